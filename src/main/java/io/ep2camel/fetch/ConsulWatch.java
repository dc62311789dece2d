package io.ep2camel.fetch;

import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.FetchHealth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * The state of the Consul watch (routes/consul.camel.yaml, route {@code ep2-watch-consul}): one
 * blocking query after the other, each answer handed to the pipeline when it matters. Its
 * {@link ConsulWatchConsumer} waits for each turn ({@link #awaitTurn()}) and starts the call with
 * {@link #nextIndex()} and {@link #nextWait()}; the route tells it the outcome ({@link #answered},
 * {@link #failed}).
 * <p>
 * Consul's rules for blocking queries (API docs, "Blocking Queries"):
 * <ul>
 *   <li>the first call, and the first after an error, carries no index: Consul answers at once;
 *       later calls carry the last {@code X-Consul-Index} and {@code wait}, and Consul holds them
 *       until the service changes or the wait runs out;</li>
 *   <li>an index that went backwards (a snapshot restore, a rebuilt cluster) resets to 0, so the
 *       next call starts over instead of blocking on an index that will not come back;</li>
 *   <li>an index below 1 is used as 1: index 0 would never block and turn the loop into a busy loop;</li>
 *   <li>rate limit: at least {@link #MIN_INTERVAL} between two calls, and {@link #EARLY_PAUSE}
 *       after an answer with an unchanged index that came back before half its wait (the agent did
 *       not block: nothing to gain by asking again at once).</li>
 * </ul>
 * An answer goes to the pipeline when its index moved (or after a start, an error, a reset) and,
 * as a heartbeat, when a whole wait passed without change: every answer is a round, so HAProxy is
 * checked (restarted, runtime drift repaired) at least once per wait. While HAProxy does not have
 * what Consul says — the answer is empty and waits for its confirmations, an apply failed and is
 * to be retried, nothing was applied yet — the wait is cut to sleep_before_next_run (at least 1 s):
 * the pipeline then gets a round as often as in poll mode, and a change still arrives at once.
 * <p>
 * Errors are the caller's exceptions: {@link #failed} records them in {@link FetchHealth} (the
 * capped back-off {@link #due()} waits out, once the outage outlasts its grace period), pauses
 * {@link #RETRY_PAUSE} and resets the index.
 */
public final class ConsulWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulWatch.class);
    static final Duration MIN_INTERVAL = Duration.ofMillis(50);
    static final Duration EARLY_PAUSE = Duration.ofSeconds(1);
    /**
     * The pause after a failed call. The fetch back-off starts only after its grace period, so
     * this is what paces a short outage: about one call a second, and the first answer after the
     * outage comes within a second of it.
     */
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** How often a back-off is looked at while waiting for a turn (FetchHealth says due, not when). */
    static final Duration TURN_CHECK = Duration.ofMillis(100);

    private final FetchHealth health;
    private final AppliedBackends applied;
    private final ConsulAgent agent;
    private final Duration wait;
    private final Duration catchUpWait;
    private final Clock clock;

    private BigInteger index = BigInteger.ZERO;
    private boolean mustPush = true;
    private boolean lastEmpty;
    private Duration callWait = Duration.ZERO;
    private Instant callStarted = Instant.MIN;
    private Instant lastPush = Instant.MIN;
    private Instant notBefore = Instant.MIN;
    private volatile boolean stopped;

    /**
     * @param waitSeconds      [CONSUL] wait: how long a blocking query may be held
     * @param pollPeriodMillis sleep_before_next_run: the wait while HAProxy is not at Consul's state yet
     */
    public ConsulWatch(FetchHealth health, AppliedBackends applied, ConsulAgent agent, int waitSeconds,
                       long pollPeriodMillis) {
        this(health, applied, agent, waitSeconds, pollPeriodMillis, Clock.systemUTC());
    }

    ConsulWatch(FetchHealth health, AppliedBackends applied, ConsulAgent agent, int waitSeconds, long pollPeriodMillis,
                Clock clock) {
        this.health = health;
        this.applied = applied;
        this.agent = agent;
        this.wait = Duration.ofSeconds(Math.max(1, waitSeconds));
        // whole seconds (consul-client's timeout handling reads "Ns"), at least 1, at most wait
        long catchUp = (pollPeriodMillis + 999) / 1000;
        this.catchUpWait = Duration.ofSeconds(Math.max(1, Math.min(waitSeconds, catchUp)));
        this.clock = clock;
    }

    /** Whether the next call may start now: not backing off after a failure, not within the rate limit. */
    public synchronized boolean due() {
        return !stopping() && health.due() && !clock.instant().isBefore(notBefore);
    }

    /**
     * Blocks until the next call is {@link #due()}; false once the watch or Camel stops. Waits,
     * never spins: at most {@link #TURN_CHECK} at a time, and only during the rate limit or a
     * back-off; a healthy watch waits in Consul's blocking query instead. {@link #stop()} wakes it.
     */
    public synchronized boolean awaitTurn() throws InterruptedException {
        while (!stopping() && !due()) {
            // the rate limit ends at notBefore; a back-off (notBefore passed) is looked at every TURN_CHECK
            Duration toLimit = Duration.between(clock.instant(), notBefore);
            wait(toLimit.isNegative() || toLimit.isZero() ? TURN_CHECK.toMillis()
                    : Math.max(1, Math.min(TURN_CHECK.toMillis(), toLimit.toMillis())));
        }
        return !stopping();
    }

    /** The watch (re)starts: its first call answers at once, and the answer is pushed. */
    public synchronized void start() {
        stopped = false;
        index = BigInteger.ZERO;
        mustPush = true;
    }

    /** The watch stops: a turn awaited ends, calls cancelled from now on are no failures. */
    public synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    ConsulAgent agent() {
        return agent;
    }

    /** Starts a call: the index to send ({@code CamelConsulIndex}), null for "answer at once". */
    public synchronized BigInteger nextIndex() {
        Instant now = clock.instant();
        callStarted = now;
        notBefore = now.plus(MIN_INTERVAL);
        callWait = index.signum() > 0 ? (catchingUp() ? catchUpWait : wait) : Duration.ZERO;
        return index.signum() > 0 ? index : null;
    }

    /** The call's {@code CamelConsulWait}, a Consul duration ("30s"); null with no index. */
    public synchronized String nextWait() {
        return callWait.isZero() ? null : callWait.toSeconds() + "s";
    }

    /**
     * Takes an answer: its {@code X-Consul-Index} and body. Returns whether it goes to the pipeline.
     */
    public synchronized boolean answered(Object answerIndex, Object body) {
        Instant now = clock.instant();
        BigInteger got = toIndex(answerIndex).max(BigInteger.ONE);
        boolean moved = !got.equals(index);
        boolean push = mustPush || moved || !now.isBefore(lastPush.plus(callWait.isZero() ? wait : callWait));
        if (got.compareTo(index) < 0) {
            LOG.info("Consul's index went backwards ({} -> {}): starting the watch over", index, got);
            index = BigInteger.ZERO;
        } else {
            index = got;
        }
        if (!moved && !callWait.isZero() && now.isBefore(callStarted.plus(callWait.dividedBy(2)))) {
            LOG.debug("Consul answered a blocking query early with an unchanged index; pausing {}", EARLY_PAUSE);
            notBefore = max(notBefore, now.plus(EARLY_PAUSE));
        }
        lastEmpty = body instanceof Collection<?> c && c.isEmpty();
        mustPush = false;
        if (push) {
            lastPush = now;
        }
        return push;
    }

    /**
     * A call (or the round it started) failed. Records it for the health checks and the back-off,
     * and starts the watch over with the next call. Returns the error as logged and reported, or
     * null while the watch or Camel stops: the call was cancelled on purpose.
     */
    public synchronized String failed(Throwable error) {
        if (stopping()) {
            return null;
        }
        String message = describe(error);
        health.failure(message);
        notBefore = max(notBefore, clock.instant().plus(RETRY_PAUSE));
        index = BigInteger.ZERO;
        mustPush = true;
        return message;
    }

    /** How long after a failure the next call waits: the retry pause, or the fetch back-off once it is longer. */
    public long retryMillis() {
        return Math.max(health.backoffMillis(), RETRY_PAUSE.toMillis());
    }

    /** The index the next call blocks on (0: none, it answers at once). */
    public synchronized BigInteger index() {
        return index;
    }

    private boolean stopping() {
        return stopped || agent.stopping();
    }

    /** HAProxy does not have what Consul said yet: rounds are needed at the poll pace meanwhile. */
    private boolean catchingUp() {
        return lastEmpty || applied.current().isEmpty() || applied.retryPending();
    }

    private static BigInteger toIndex(Object v) {
        if (v instanceof BigInteger b) {
            return b;
        }
        if (v instanceof Number n) {
            return BigInteger.valueOf(n.longValue());
        }
        if (v instanceof String s && s.matches("[0-9]+")) {
            return new BigInteger(s);
        }
        return BigInteger.ZERO; // no X-Consul-Index: treated like 0, i.e. used as 1 next time
    }

    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !b.toString().contains(root.getMessage())) {
            b.append(": ").append(root.getClass().getSimpleName()).append(' ').append(root.getMessage());
        }
        return b.toString().replaceAll("\\s+", " ").strip();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
