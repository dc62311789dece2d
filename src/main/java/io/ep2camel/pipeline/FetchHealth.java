package io.ep2camel.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How the orchestrator has been answering: the health checks report it, and a failing
 * orchestrator is retried with a capped exponential back-off instead of every round. Polled
 * orchestrators are tracked by the poll route; watching routes call {@link #success()} and
 * {@link #failure(String)} themselves and wait {@link #backoff()} after a failure.
 */
public class FetchHealth {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final Clock clock;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;
    private volatile int consecutiveFailures;
    private volatile long totalFailures;
    private volatile Instant nextAttempt = Instant.MIN;

    public FetchHealth() {
        this(Clock.systemUTC());
    }

    FetchHealth(Clock clock) {
        this.clock = clock;
    }

    public synchronized void success() {
        lastSuccess = clock.instant();
        consecutiveFailures = 0;
        nextAttempt = Instant.MIN;
    }

    public synchronized void failure(String error) {
        lastFailure = clock.instant();
        lastError = error;
        consecutiveFailures++;
        totalFailures++;
        nextAttempt = lastFailure.plus(backoff());
    }

    /** 0 while healthy; then 1 s, 2 s, 4 s ... capped at 60 s. */
    public Duration backoff() {
        int f = consecutiveFailures;
        if (f == 0) {
            return Duration.ZERO;
        }
        long ms = FIRST_BACKOFF.toMillis() << Math.min(f - 1, 16);
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }

    public long backoffMillis() {
        return backoff().toMillis();
    }

    /** Whether a polled orchestrator should be asked this round (false while backing off). */
    public boolean due() {
        return !clock.instant().isBefore(nextAttempt);
    }

    public boolean reachable() {
        return consecutiveFailures == 0 && lastSuccess != null;
    }

    public long totalFailures() {
        return totalFailures;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }
}
