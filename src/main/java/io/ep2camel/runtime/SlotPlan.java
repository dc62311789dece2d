package io.ep2camel.runtime;

import io.ep2camel.pool.Slot;

import java.util.List;

/**
 * What one round does at runtime: the socket commands, in order, and the slot layout HAProxy
 * holds after them (rendered to the config file so a later reload or restart keeps it).
 * {@code needsReload} when the backends do not fit the slots and servers cannot be added at runtime.
 */
public record SlotPlan(List<String> commands, List<Slot> layout, boolean needsReload) {
}
