package io.ep2camel.pool;

import io.ep2camel.model.BackendSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An orchestrator answer with no backends at all empties HAProxy's backend; it is applied only
 * once the same empty answer came back on {@code empty_confirmations} consecutive fetches, so a
 * glitch (a half-written file, an agent restarting) never takes every server out.
 */
public class EmptyAnswerGuard {
    private static final Logger LOG = LoggerFactory.getLogger(EmptyAnswerGuard.class);

    private final int required;
    private int seen;

    public EmptyAnswerGuard(int required) {
        this.required = required;
    }

    /** True when {@code wanted} may go on to be applied over {@code applied}. */
    public synchronized boolean admit(BackendSet wanted, AppliedBackends applied) {
        if (!wanted.isEmpty() || applied.current().map(BackendSet::isEmpty).orElse(true)) {
            seen = 0;
            return true;
        }
        seen++;
        if (seen < required) {
            LOG.warn("orchestrator answered with no backends ({}/{}); keeping the {} current backends until confirmed",
                    seen, required, applied.current().map(BackendSet::size).orElse(0));
            return false;
        }
        LOG.warn("orchestrator confirmed no backends {} times in a row: emptying the backend", seen);
        return true;
    }
}
