package io.ep2camel.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * Capped exponential back-off after consecutive failures: nothing while healthy, then 1 s,
 * 2 s, 4 s ... 60 s. Used for orchestrator fetches and for applies, so neither a failing API
 * nor a failing reload is hammered every round.
 * <p>
 * With a grace period the back-off starts only once the failures have lasted that long: a short
 * outage (a leader election, a restart) is retried about once a second ({@link #GRACE_PACE}), so
 * the first answer after it is not kept waiting seconds by a back-off that grew meanwhile, and a
 * fast poll does not hammer a throttling API either; a long outage still backs off to one try a
 * minute.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);
    /**
     * Within the grace period: the next try at most once a second, less a slack so that a poll
     * every second is not skipped because its previous fetch took a few milliseconds to fail.
     */
    static final Duration GRACE_PACE = Duration.ofMillis(750);

    private final Duration grace;
    private int failures;
    private int failuresInGrace;
    private Instant firstFailure;
    private Instant nextAttempt = Instant.MIN;

    Backoff() {
        this(Duration.ZERO);
    }

    Backoff(Duration grace) {
        this.grace = grace;
    }

    synchronized void failed(Instant now) {
        if (failures == 0) {
            firstFailure = now;
        }
        failures++;
        if (now.isBefore(firstFailure.plus(grace))) {
            failuresInGrace = failures;
        }
        nextAttempt = now.plus(current());
    }

    synchronized void succeeded() {
        failures = 0;
        failuresInGrace = 0;
        firstFailure = null;
        nextAttempt = Instant.MIN;
    }

    synchronized boolean due(Instant now) {
        return !now.isBefore(nextAttempt);
    }

    synchronized int failures() {
        return failures;
    }

    /** The wait after the latest failure: zero while healthy, {@link #GRACE_PACE} within the grace period. */
    synchronized Duration current() {
        if (failures == 0) {
            return Duration.ZERO;
        }
        int counted = failures - failuresInGrace;
        if (counted <= 0) {
            return GRACE_PACE;
        }
        long ms = FIRST.toMillis() << Math.min(counted - 1, 16);
        return Duration.ofMillis(Math.min(ms, MAX.toMillis()));
    }
}
