package io.ep2camel.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * Capped exponential back-off after consecutive failures: nothing while healthy, then 1 s,
 * 2 s, 4 s ... 60 s. Used for orchestrator fetches and for applies, so neither a failing API
 * nor a failing reload is hammered every round.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private int failures;
    private Instant nextAttempt = Instant.MIN;

    synchronized void failed(Instant now) {
        failures++;
        nextAttempt = now.plus(current());
    }

    synchronized void succeeded() {
        failures = 0;
        nextAttempt = Instant.MIN;
    }

    synchronized boolean due(Instant now) {
        return !now.isBefore(nextAttempt);
    }

    synchronized int failures() {
        return failures;
    }

    synchronized Duration current() {
        if (failures == 0) {
            return Duration.ZERO;
        }
        long ms = FIRST.toMillis() << Math.min(failures - 1, 16);
        return Duration.ofMillis(Math.min(ms, MAX.toMillis()));
    }
}
