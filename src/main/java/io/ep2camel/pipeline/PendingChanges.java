package io.ep2camel.pipeline;

import io.ep2camel.model.BackendSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers accepted since the last apply, the newest per pool. Sources of every pool offer
 * here; the apply stage takes them all at once, so one render + reload (or one socket batch)
 * covers every pool that changed — once the {@link ApplyWindow} lets them go.
 */
public class PendingChanges {
    private static final Logger LOG = LoggerFactory.getLogger(PendingChanges.class);
    private final Pools pools;
    private final Map<Pool, BackendSet> pending = new LinkedHashMap<>();
    private final Map<Pool, Long> received = new LinkedHashMap<>();
    private final ApplyWindow window;
    private final boolean reloads;
    private final Clock clock;
    private List<String> lastAwaited = List.of();
    private Instant firstChange;
    /** The oldest change pushed (not polled) still queued: where the coalescing window starts. */
    private Instant firstPushed;
    private Instant lastChange;
    private Instant lastReload;
    /** Not before then, unless a change arrives: a pool's answer offered again ({@link #offerAgain}). */
    private Instant recheckAt;

    /** @param reloads true in update_by_config: every apply is a reload, rate-limited by the window */
    public PendingChanges(Pools pools, ApplyWindow window, boolean reloads, Clock clock) {
        this.pools = pools;
        this.window = window;
        this.reloads = reloads;
        this.clock = clock;
    }

    /**
     * An answer pushed by a watch or a route: a change waits for the coalescing window, for the
     * changes that come with it.
     *
     * @param receivedNanos when the answer arrived (System.nanoTime), for the change-to-applied latency
     */
    public synchronized void offer(Pool pool, BackendSet wanted, long receivedNanos) {
        offer(pool, wanted, receivedNanos, true);
    }

    /**
     * An answer of a poll tick: the tick offers every polled pool's answer before it asks for the
     * apply, so they are together already and the coalescing window would only delay them.
     */
    public synchronized void offerPolled(Pool pool, BackendSet wanted, long receivedNanos) {
        offer(pool, wanted, receivedNanos, false);
    }

    private void offer(Pool pool, BackendSet wanted, long receivedNanos, boolean pushed) {
        BackendSet before = pending.containsKey(pool) ? pending.get(pool) : pool.applied().current().orElse(null);
        if (!wanted.equals(before)) {
            Instant now = clock.instant();
            firstChange = firstChange == null ? now : firstChange;
            if (pushed && firstPushed == null) {
                firstPushed = now;
            }
            lastChange = now;
            recheckAt = null;
        }
        pending.put(pool, wanted);
        received.putIfAbsent(pool, receivedNanos);
    }

    /**
     * A pool's answer again, for a round no sooner than {@code notBefore} (or with the next change,
     * whichever comes first); nothing when an answer for the pool waits already, which is newer.
     */
    public synchronized void offerAgain(Pool pool, BackendSet wanted, Instant notBefore) {
        if (pending.containsKey(pool)) {
            return;
        }
        pending.put(pool, wanted);
        received.putIfAbsent(pool, System.nanoTime());
        recheckAt = recheckAt == null || notBefore.isBefore(recheckAt) ? notBefore : recheckAt;
    }

    /** Now, by the clock the window is timed with. */
    Instant now() {
        return clock.instant();
    }

    /** True while an answer for this pool waits: a newer answer must replace it even if it equals the applied set. */
    public synchronized boolean holds(Pool pool) {
        return pending.containsKey(pool);
    }

    /** True while something waits to be applied. */
    public synchronized boolean waiting() {
        return !pending.isEmpty();
    }

    /**
     * Milliseconds until what the window holds back is due, or -1 when no wake-up is needed:
     * nothing waits, or the first apply waits for a pool's first answer (which comes through the
     * pipeline and asks for an apply itself).
     */
    public synchronized long millisUntilDue() {
        if (pending.isEmpty() || !awaited().isEmpty()) {
            return -1;
        }
        Instant now = clock.instant();
        Instant due = dueAt();
        // rounded up: a wake-up a fraction of a millisecond early would find the round not due yet
        return due.isAfter(now) ? (Duration.between(now, due).toNanos() + 999_999) / 1_000_000 : 0;
    }

    /**
     * Everything pending, as one round, and nothing pending afterwards. Empty while the window
     * holds the changes back (debounce, reload rate limit), and while some pool
     * has neither been applied nor answered yet: writing HAProxy's config without that pool
     * would empty its backend in a running HAProxy (a restarted controller), so the first apply
     * waits for every pool's first answer.
     */
    public synchronized Round take() {
        return take(false);
    }

    /**
     * The same round without waiting for the apply window: a dry run shows what the round will
     * do once it is due.
     */
    public synchronized Round takeNow() {
        return take(true);
    }

    /** The pools never applied and not answered yet: the first apply waits for them. */
    private List<String> awaited() {
        return pools.neverApplied().stream().filter(p -> !pending.containsKey(p)).map(Pool::backend).toList();
    }

    private Round take(boolean ignoreWindow) {
        List<String> awaited = awaited();
        if (!awaited.isEmpty()) {
            if (!pending.isEmpty() && !awaited.equals(lastAwaited)) {
                LOG.info("first apply waits for the first answer of pool(s) {}", awaited);
            }
            lastAwaited = awaited;
            return Round.none(pools.all());
        }
        Instant at = clock.instant();
        if (pending.isEmpty() || !ignoreWindow && at.isBefore(dueAt())) {
            return Round.none(pools.all());
        }
        if (reloads) {
            // a poll during the apply queued the set that apply was installing: nothing left to do
            // for it (update_by_runtime keeps such answers: each is a reconcile with HAProxy's state)
            pending.entrySet().removeIf(e -> e.getKey().applied().current().filter(e.getValue()::equals).isPresent());
            received.keySet().retainAll(pending.keySet());
            if (pending.isEmpty()) {
                firstChange = null;
                firstPushed = null;
                lastChange = null;
                recheckAt = null;
                return Round.none(pools.all());
            }
        }
        Round round = new Round(pending, received, pools.all());
        pending.clear();
        received.clear();
        firstChange = null;
        firstPushed = null;
        lastChange = null;
        recheckAt = null;
        lastReload = at;
        return round;
    }

    /** When what waits may go: the apply window's time, and no sooner than a recheck asked for. */
    private Instant dueAt() {
        // the first apply already waits for every pool's first answer: nothing more can come with
        // them, so the coalescing window would only delay start-up
        Instant coalesceFrom = pools.neverApplied().isEmpty() ? firstPushed : null;
        Instant due = window.dueAt(firstChange, coalesceFrom, lastChange, reloads ? lastReload : null);
        return recheckAt != null && recheckAt.isAfter(due) ? recheckAt : due;
    }
}
