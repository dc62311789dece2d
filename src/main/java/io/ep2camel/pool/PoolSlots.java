package io.ep2camel.pool;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * update_by_runtime's state of one pool: its slots as last applied and since when each
 * draining server drains. The planner (a stage) reads and updates it; observers only read.
 */
public final class PoolSlots {
    private final Map<String, Instant> drainSince = new ConcurrentHashMap<>();
    private volatile List<Slot> layout = List.of();

    /** When each draining slot started draining; the planner updates it in place. */
    public Map<String, Instant> drainSince() {
        return drainSince;
    }

    /** The slots as of the last successful round. */
    public List<Slot> layout() {
        return layout;
    }

    /** After a successful round; a reload ends every drain (the new workers start without sessions). */
    public void applied(List<Slot> newLayout, boolean reloaded) {
        layout = List.copyOf(newLayout);
        if (reloaded) {
            drainSince.clear();
        }
    }
}
