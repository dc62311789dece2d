package io.ep2camel.pipeline;

import io.ep2camel.config.UpdateType;
import io.ep2camel.observe.Ep2Metrics;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.runtime.RuntimeUpdate;

/** Everything the pipeline routes of one pool (one HAProxy backend fed by one orchestrator) call. */
public record PoolStages(String orchestrator, UpdateType updateType, BackendSetReader reader, AppliedBackends applied,
                         EmptyAnswerGuard emptyGuard, FetchHealth fetchHealth, ConfigUpdate configUpdate,
                         RuntimeUpdate runtimeUpdate, HaproxyControl control, Ep2Metrics metrics) {
}
