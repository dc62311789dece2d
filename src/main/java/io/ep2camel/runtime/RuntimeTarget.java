package io.ep2camel.runtime;

import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.PoolSlots;

/**
 * One pool as update_by_runtime plans it: what it should hold after this round, its planner and
 * its slot state. {@code changed} is false for pools the round does not touch: they are only
 * rendered, as last applied, into the config file the round writes.
 */
public record RuntimeTarget(String backend, SlotPlanner planner, PoolSlots slots, BackendSet wanted, boolean changed) {
    @Override
    public String toString() {
        return backend;
    }
}
