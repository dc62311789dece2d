package io.ep2camel.runtime;

import java.util.List;

/**
 * A new server taking a free slot that has been in maintenance since HAProxy was read. The slot is
 * deleted and added again with the new address ({@code del server} + {@code add server}, sent
 * apart, first): a server made by {@code add server} gets a check task of its own, first due one
 * {@code downinter} after the add, whereas a slot reused in place is first checked at its old
 * task's phase, up to one {@code inter} later. Where HAProxy keeps the slot (a connection still
 * attached to it), the server takes it in place as before ({@link #inPlace}).
 *
 * @param added   the {@code add server} command
 * @param afterAdd what follows a successful add: checks enabled, ready, health forced down, weight
 * @param inPlace the in-place commands: address, weight 0, ready, health down, weight
 */
public record SlotReentry(String backend, String slot, String added, List<String> afterAdd, List<String> inPlace) {
    public SlotReentry {
        afterAdd = List.copyOf(afterAdd);
        inPlace = List.copyOf(inPlace);
    }

    public String deletion() {
        return "del server " + backend + "/" + slot;
    }
}
