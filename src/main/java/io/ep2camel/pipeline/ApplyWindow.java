package io.ep2camel.pipeline;

import java.time.Duration;
import java.time.Instant;

/**
 * When queued changes may be applied.
 * <ul>
 *   <li>Coalescing (update_by_config): the first pushed change (a watch's, a route's) after a quiet
 *       spell waits {@code coalesce} for the ones that come with it — a rolling step is a register
 *       and a deregister a few milliseconds apart — so they go out in one reload instead of two,
 *       the second of which the rate limit would hold for a whole interval. A poll tick's answers
 *       need no window: the tick offers every polled pool's answer before it asks for the apply.</li>
 *   <li>Debounce, as consul-template's {@code wait = "min:max"}: a change is applied once no further
 *       change came for {@code min}, or {@code max} after the first one at the latest, so a burst of
 *       scale events becomes one apply.</li>
 *   <li>Rate limit: in update_by_config two reloads are at least {@code reloadInterval} apart; what
 *       arrives meanwhile waits and goes out together. Under a storm this is what bites: at most one
 *       reload per interval, however many events.</li>
 * </ul>
 */
public record ApplyWindow(Duration min, Duration max, Duration reloadInterval, Duration coalesce) {
    public static final ApplyWindow AT_ONCE = new ApplyWindow(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public ApplyWindow {
        if (max.compareTo(min) < 0) {
            max = min;
        }
    }

    /** No coalescing: update_by_runtime, and windows made before it existed. */
    public ApplyWindow(Duration min, Duration max, Duration reloadInterval) {
        this(min, max, reloadInterval, Duration.ZERO);
    }

    /**
     * The first instant the changes may go out: the reload rate limit's end and, unless only
     * unchanged answers wait, the coalescing window's end and the debounce's (the earlier of
     * quiet-for-{@code min} and {@code max} after the first change). A held round's wake-up time.
     *
     * @param firstChange the oldest change still queued, null when only unchanged answers are queued
     *                    (a reconcile: never held back by the debounce or the coalescing)
     * @param firstPushed the oldest pushed change still queued (the coalescing window's start), null
     *                    when only a poll's changes are queued
     * @param lastChange  the newest change queued
     * @param lastReload  when the last update_by_config apply went out, null before the first
     */
    public Instant dueAt(Instant firstChange, Instant firstPushed, Instant lastChange, Instant lastReload) {
        Instant reloadDue = lastReload == null ? Instant.MIN : lastReload.plus(reloadInterval);
        if (firstChange == null) {
            return reloadDue;
        }
        // firstPushed is one of the queued changes, so never before firstChange
        Instant changesDue = firstPushed == null ? firstChange : firstPushed.plus(coalesce);
        if (!min.isZero()) {
            Instant debounceDue = lastChange.plus(min);
            Instant capDue = firstChange.plus(max);
            changesDue = later(changesDue, debounceDue.isBefore(capDue) ? debounceDue : capDue);
        }
        return later(changesDue, reloadDue);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
