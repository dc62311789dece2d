package io.ep2camel.pipeline;

import java.time.Duration;
import java.time.Instant;

/**
 * When queued changes may be applied. Debounce, as consul-template's {@code wait = "min:max"}:
 * a change is applied once no further change came for {@code min}, or {@code max} after the
 * first one at the latest, so a burst of scale events becomes one apply. Rate limit: in
 * update_by_config two reloads are at least {@code reloadInterval} apart; what arrives meanwhile
 * waits and goes out together.
 */
public record ApplyWindow(Duration min, Duration max, Duration reloadInterval) {
    public static final ApplyWindow AT_ONCE = new ApplyWindow(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public ApplyWindow {
        if (max.compareTo(min) < 0) {
            max = min;
        }
    }

    /**
     * @param firstChange the oldest change still queued, null when only unchanged answers are queued
     *                    (a reconcile: never held back by the debounce)
     * @param lastChange  the newest change queued
     * @param lastReload  when the last update_by_config apply went out, null before the first
     */
    public boolean due(Instant firstChange, Instant lastChange, Instant lastReload, Instant now) {
        return !now.isBefore(dueAt(firstChange, lastChange, lastReload));
    }

    /**
     * The first instant the changes may go out (parameters as for {@link #due}): the reload rate
     * limit's end, and, unless the debounce is off or only unchanged answers wait, the earlier of
     * quiet-for-{@code min} and {@code max} after the first change. A held round's wake-up time.
     */
    public Instant dueAt(Instant firstChange, Instant lastChange, Instant lastReload) {
        Instant reloadDue = lastReload == null ? Instant.MIN : lastReload.plus(reloadInterval);
        if (firstChange == null || min.isZero()) {
            return reloadDue;
        }
        Instant debounceDue = lastChange.plus(min);
        Instant capDue = firstChange.plus(max);
        Instant changesDue = debounceDue.isBefore(capDue) ? debounceDue : capDue;
        return changesDue.isAfter(reloadDue) ? changesDue : reloadDue;
    }
}
