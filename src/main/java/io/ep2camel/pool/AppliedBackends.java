package io.ep2camel.pool;

import io.ep2camel.model.BackendSet;
import io.ep2camel.model.Diff;

import java.time.Instant;
import java.util.Optional;

/**
 * The set HAProxy was last successfully brought to. Not an idempotent "seen" store: it moves
 * only after an apply succeeded, so A→B→A re-applies A and a failed apply is retried next round.
 */
public class AppliedBackends {
    private volatile BackendSet applied;
    private volatile Instant appliedAt;
    private final Backoff retry = new Backoff();

    /** An apply failed: the next attempt waits (1 s doubling to 60 s) instead of reloading every round. */
    public void applyFailed() {
        retry.failed(Instant.now());
    }

    /** False while a failed apply is backing off. */
    public boolean applyDue() {
        return retry.due(Instant.now());
    }

    /** True from a failed apply until the next successful one (a watching source re-asks sooner meanwhile). */
    public boolean retryPending() {
        return retry.failures() > 0;
    }

    /** Before the first successful apply (bootstrap) everything needs applying, even an unchanged-looking set. */
    public boolean needsApply(BackendSet wanted) {
        return applied == null || !applied.equals(wanted);
    }

    public Diff diff(BackendSet wanted) {
        return Diff.between(applied == null ? BackendSet.EMPTY : applied, wanted);
    }

    public void markApplied(BackendSet set) {
        applied = set;
        appliedAt = Instant.now();
        retry.succeeded();
    }

    /** Forget the applied state, so the next round applies whatever it fetches (HAProxy went away). */
    public void forget() {
        applied = null;
    }

    public Optional<BackendSet> current() {
        return Optional.ofNullable(applied);
    }

    public Optional<Instant> appliedAt() {
        return Optional.ofNullable(appliedAt);
    }
}
