package io.ep2camel.pipeline;

import io.ep2camel.config.UpdateType;
import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.reload.ConfigFiles;
import io.ep2camel.reload.HaproxyControl;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The diff step of route {@code ep2-diff}: does this answer go on to the apply stage? Keyed on the
 * pool's last <em>applied</em> set, not on answers seen before, so A→B→A re-applies A, and an
 * answer that failed to apply is retried (after its back-off). The decision is the exchange
 * property {@link #CHANGED}, which the route filters on.
 * <ul>
 *   <li>update_by_config: a set that differs from the applied one, or one that replaces a queued
 *       answer; an unchanged set too when HAProxy is not running or its config file was changed
 *       by someone else (the applied state is then forgotten, so the round writes it again);</li>
 *   <li>update_by_runtime: every answer, as a reconcile against HAProxy's own state (drift is
 *       repaired even when the orchestrator's answer did not change).</li>
 * </ul>
 */
public final class AppliedSetDiff implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(AppliedSetDiff.class);
    public static final String CHANGED = "ep2.changed";

    private final UpdateType updateType;
    private final HaproxyControl control;
    private final ConfigFiles files;
    private final PendingChanges pending;

    public AppliedSetDiff(UpdateType updateType, HaproxyControl control, ConfigFiles files, PendingChanges pending) {
        this.updateType = updateType;
        this.control = control;
        this.files = files;
        this.pending = pending;
    }

    @Override
    public void process(Exchange e) throws IOException {
        Pool pool = e.getProperty(PipelineRoutes.POOL, Pool.class);
        BackendSet wanted = e.getMessage().getBody(BackendSet.class);
        e.setProperty(CHANGED, updateType == UpdateType.UPDATE_BY_CONFIG ? configChanged(pool, wanted)
                : pool.applied().applyDue());
    }

    private boolean configChanged(Pool pool, BackendSet wanted) throws IOException {
        AppliedBackends applied = pool.applied();
        if (!applied.needsApply(wanted) && !control.isRunning()) {
            LOG.warn("HAProxy is not running; starting it again with the current backends");
            applied.forget();
        } else if (!applied.needsApply(wanted) && files.fileDrifted()) {
            LOG.warn("the HAProxy config file was changed outside ep2-camel; writing it again from the template");
            applied.forget();
        }
        // an answer back to the applied set still replaces a queued one that differs
        return (applied.needsApply(wanted) || pending.holds(pool)) && applied.applyDue();
    }
}
