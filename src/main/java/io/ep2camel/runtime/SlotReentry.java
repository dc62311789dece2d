package io.ep2camel.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A new server taking a free slot that has been in maintenance since HAProxy was read. The slot is
 * deleted and added again with the new address ({@code del server} + {@code add server}): a server
 * made by {@code add server} gets a check task of its own, first due within max-spread-checks of
 * the add, whereas a slot reused in place is first checked at its old task's phase, up to one
 * {@code inter} later. The follow-up commands go in the same batch, right after the add: the new
 * check task runs its first check within milliseconds and skips it (then waits a whole interval)
 * if health checks are not enabled by then. They are written to be right either way: where HAProxy
 * kept the slot (a connection still attached to it, so the del and the add fail) they take the new
 * server in place — address, weight 0, checks, ready, health forced down, weight.
 *
 * @param added    the {@code add server} command
 * @param followUp what makes the slot serve the new server, added again or kept
 */
public record SlotReentry(String backend, String slot, String added, List<String> followUp) {
    public SlotReentry {
        followUp = List.copyOf(followUp);
    }

    public String deletion() {
        return "del server " + backend + "/" + slot;
    }

    /** This re-entry's part of the batch: del, add, then the follow-up. */
    public List<String> commands() {
        List<String> all = new ArrayList<>(List.of(deletion(), added));
        all.addAll(followUp);
        return all;
    }
}
