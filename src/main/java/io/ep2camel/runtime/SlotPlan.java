package io.ep2camel.runtime;

import io.ep2camel.pool.Slot;

import java.util.List;

/**
 * What one round does at runtime: the socket commands, in order, and the slot layout HAProxy
 * holds after them (rendered to the config file so a later reload or restart keeps it).
 * {@code needsReload} when the backends do not fit the slots and servers cannot be added at runtime.
 * {@code deletions}: the {@code del server} commands for slots past node_slots that are free
 * (sent apart from the commands: HAProxy may still refuse one, which only delays it to a later round).
 * {@code reentries}: free slots new servers re-enter by {@code del server} + {@code add server}, sent
 * before the commands (whose own commands for those servers depend on what HAProxy answered).
 */
public record SlotPlan(List<String> commands, List<Slot> layout, boolean needsReload, List<String> deletions,
                       List<SlotReentry> reentries) {
    public SlotPlan {
        commands = List.copyOf(commands);
        layout = List.copyOf(layout);
        deletions = List.copyOf(deletions);
        reentries = List.copyOf(reentries);
    }

    public SlotPlan(List<String> commands, List<Slot> layout, boolean needsReload, List<String> deletions) {
        this(commands, layout, needsReload, deletions, List.of());
    }

    public SlotPlan(List<String> commands, List<Slot> layout, boolean needsReload) {
        this(commands, layout, needsReload, List.of());
    }
}
