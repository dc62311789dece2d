package io.ep2camel.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How the orchestrator has been answering: the health checks report it, and a failing
 * orchestrator is retried with a capped exponential back-off instead of every round — once it
 * has failed for {@link #OUTAGE_GRACE}: until then it is asked about once a second (every poll
 * of a 1 s poll), so the first change after a short outage is served within a second or a poll
 * period. Polled orchestrators are tracked by the poll route; watching routes call
 * {@link #success()} and {@link #failure(String)} themselves and wait {@link #backoff()} after a failure.
 */
public class FetchHealth {
    /** How long an outage is retried at the normal pace before the back-off starts. */
    public static final Duration OUTAGE_GRACE = Duration.ofSeconds(30);
    private final Clock clock;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;
    private volatile long totalFailures;
    private final Backoff backoff = new Backoff(OUTAGE_GRACE);

    public FetchHealth() {
        this(Clock.systemUTC());
    }

    public FetchHealth(Clock clock) {
        this.clock = clock;
    }

    public synchronized void success() {
        lastSuccess = clock.instant();
        backoff.succeeded();
    }

    public synchronized void failure(String error) {
        lastFailure = clock.instant();
        lastError = error;
        totalFailures++;
        backoff.failed(lastFailure);
    }

    /** 0 while healthy, 750 ms for the first {@link #OUTAGE_GRACE} of an outage; then 1 s, 2 s, 4 s ... capped at 60 s. */
    public Duration backoff() {
        return backoff.current();
    }

    public long backoffMillis() {
        return backoff().toMillis();
    }

    /** Whether a polled orchestrator should be asked this round (false while backing off). */
    public boolean due() {
        return backoff.due(clock.instant());
    }

    public boolean reachable() {
        return backoff.failures() == 0 && lastSuccess != null;
    }

    public long totalFailures() {
        return totalFailures;
    }

    public int consecutiveFailures() {
        return backoff.failures();
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }
}
