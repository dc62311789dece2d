package io.ep2camel.pipeline;

import io.ep2camel.config.PoolSpec;
import io.ep2camel.model.BackendSet;
import io.ep2camel.observe.Ep2Metrics;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.EmptyAnswerGuard;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.pool.PoolSlots;
import io.ep2camel.render.PoolLines;
import io.ep2camel.render.ServerLineFormat;
import io.ep2camel.runtime.SlotPlanner;

/**
 * One HAProxy backend fed by one orchestrator, with the state the pipeline keeps for it: what
 * was last applied, the fetch health, the empty-answer guard, its slots in update_by_runtime,
 * and the stage objects made for it (answer reader, server line format, slot planner, metrics).
 */
public record Pool(PoolSpec spec, BackendSetReader reader, AppliedBackends applied, EmptyAnswerGuard emptyGuard,
                   FetchHealth fetchHealth, ServerLineFormat format, PoolSlots slots, SlotPlanner planner,
                   Ep2Metrics metrics) {

    public String backend() {
        return spec.backendName();
    }

    public String orchestrator() {
        return spec.orchestrator();
    }

    /** update_by_config: this pool's server lines for a set of backends. */
    public PoolLines lines(BackendSet set) {
        return PoolLines.of(backend(), format, set);
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
