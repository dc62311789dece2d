package io.ep2camel.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** update_by_runtime's state of one pool: its planner, its draining servers, its slots as last applied. */
public final class PoolSlots {
    private final SlotPlanner planner;
    private final Map<String, Instant> drainSince = new ConcurrentHashMap<>();
    private volatile List<Slot> layout = List.of();

    public PoolSlots(SlotPlanner planner) {
        this.planner = planner;
    }

    public SlotPlanner planner() {
        return planner;
    }

    Map<String, Instant> drainSince() {
        return drainSince;
    }

    /** The slots as of the last successful round. */
    public List<Slot> layout() {
        return layout;
    }

    void applied(List<Slot> newLayout, boolean reloaded) {
        layout = List.copyOf(newLayout);
        if (reloaded) {
            drainSince.clear();
        }
    }
}
