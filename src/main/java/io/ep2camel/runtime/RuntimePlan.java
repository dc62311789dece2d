package io.ep2camel.runtime;

import io.ep2camel.pool.Slot;
import io.ep2camel.render.PoolLines;

import java.util.List;

/**
 * What one update_by_runtime round does, decided before anything is touched: its {@link Outcome},
 * the socket commands (in order) and every pool's slot layout after it, with the server lines
 * the config file is rendered from (so a later reload or restart keeps the same slots).
 */
public record RuntimePlan(Outcome outcome, List<String> commands, List<PlannedPool> pools) {
    /** The branches of the runtime route. */
    public enum Outcome {
        /** HAProxy already holds the wanted servers: only the file is brought in line. */
        NOTHING_TO_SEND,
        /** One batch of socket commands, then the file is brought in line without a reload. */
        RUNTIME,
        /** Start HAProxy, give it a backend it lacks, or grow its slots: write the config and reload once. */
        RELOAD
    }

    /** A pool's layout after the round; {@code planned} false for a pool the round leaves as it is. */
    public record PlannedPool(RuntimeTarget target, List<Slot> layout, boolean planned) {
        PoolLines lines() {
            return new PoolLines(target.backend(), target.planner().serverLines(layout),
                    layout.stream().filter(s -> !s.isFree()).map(Slot::backend).toList());
        }
    }

    public RuntimePlan {
        commands = List.copyOf(commands);
        pools = List.copyOf(pools);
    }

    /** The server lines of every pool after this round: what the config file is rendered from. */
    public List<PoolLines> configLines() {
        return pools.stream().map(PlannedPool::lines).toList();
    }
}
