package io.ep2camel.runtime;

import io.ep2camel.model.Backend;
import io.ep2camel.pool.Slot;
import io.ep2camel.render.PoolLines;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one update_by_runtime round does, decided before anything is touched: its {@link Outcome},
 * the socket commands (in order) and every pool's slot layout after it, with the server lines
 * the config file is rendered from (so a later reload or restart keeps the same slots).
 */
public record RuntimePlan(Outcome outcome, List<String> commands, List<PlannedPool> pools, List<SlotReentry> reentries) {
    /** The branches of the runtime route. */
    public enum Outcome {
        /** HAProxy already holds the wanted servers: only the file is brought in line. */
        NOTHING_TO_SEND,
        /** One batch of socket commands, then the file is brought in line without a reload. */
        RUNTIME,
        /** Start HAProxy, give it a backend it lacks, or grow its slots: write the config and reload once. */
        RELOAD
    }

    /**
     * A pool's layout after the round; {@code planned} false for a pool the round leaves as it is;
     * {@code deletions} the {@code del server} commands of its slots past node_slots (already left
     * out of the layout).
     */
    public record PlannedPool(RuntimeTarget target, List<Slot> layout, boolean planned, List<String> deletions) {
        public PlannedPool {
            layout = List.copyOf(layout);
            deletions = List.copyOf(deletions);
        }

        public PlannedPool(RuntimeTarget target, List<Slot> layout, boolean planned) {
            this(target, layout, planned, List.of());
        }

        /** The servers the answer left out that slots still hold: kept serving until a wanted one is UP, or draining. */
        List<Backend> leaving() {
            return planned ? layout.stream().filter(s -> !s.isFree() && !target.wanted().contains(s.backend()))
                    .map(Slot::backend).toList() : List.of();
        }

        PoolLines lines() {
            return new PoolLines(target.backend(), target.planner().serverLines(layout),
                    layout.stream().filter(s -> !s.isFree()).map(Slot::backend).toList());
        }

        /** The same pool with the slots HAProxy refused to delete back in its layout, as free slots. */
        PlannedPool keeping(Set<String> refused) {
            List<String> names = deletions.stream().map(SlotPlanner::deletedSlot)
                    .filter(n -> n != null && refused.contains(n)).toList();
            if (names.isEmpty()) {
                return this;
            }
            List<Slot> back = new ArrayList<>(layout);
            names.forEach(n -> back.add(Slot.free(n)));
            back.sort(Comparator.comparingInt(s -> Slot.index(s.name())));
            return new PlannedPool(target, back, planned, List.of());
        }
    }

    /** Per backend, the servers its answer left out that its slots still hold after this plan (none: not listed). */
    public Map<String, List<Backend>> leavingServers() {
        Map<String, List<Backend>> out = new LinkedHashMap<>();
        for (PlannedPool p : pools) {
            List<Backend> leaving = p.leaving();
            if (!leaving.isEmpty()) {
                out.put(p.target().backend(), leaving);
            }
        }
        return out;
    }

    public RuntimePlan {
        commands = List.copyOf(commands);
        pools = List.copyOf(pools);
        reentries = List.copyOf(reentries);
    }

    public RuntimePlan(Outcome outcome, List<String> commands, List<PlannedPool> pools) {
        this(outcome, commands, pools, List.of());
    }

    /**
     * The batch sent before the commands when servers re-enter free slots: for each, {@code del server},
     * {@code add server} (it fails where HAProxy kept the slot) and the follow-up; empty when none does.
     */
    public List<String> reentryBatch() {
        if (reentries.isEmpty()) {
            return List.of();
        }
        List<String> batch = new ArrayList<>(List.of(SlotPlanner.EXPERIMENTAL_MODE));
        reentries.forEach(r -> batch.addAll(r.commands()));
        return batch;
    }

    /** Every command the round would send: the re-entry batch, then the commands (a dry run's view). */
    public List<String> plannedCommands() {
        List<String> all = new ArrayList<>(reentryBatch());
        all.addAll(commands);
        return all;
    }

    /** Every pool's {@code del server} commands (each pool's batch opens with experimental-mode on). */
    public List<String> deletions() {
        return pools.stream().flatMap(p -> p.deletions().stream()).toList();
    }

    /** This plan after HAProxy refused to delete some slots (named slotN per backend): they stay, free. */
    RuntimePlan keeping(java.util.Map<String, Set<String>> refusedByBackend) {
        return new RuntimePlan(outcome, commands, pools.stream()
                .map(p -> p.keeping(refusedByBackend.getOrDefault(p.target().backend(), Set.of()))).toList(), reentries);
    }

    /** The server lines of every pool after this round: what the config file is rendered from. */
    public List<PoolLines> configLines() {
        return pools.stream().map(PlannedPool::lines).toList();
    }
}
