package io.ep2camel.pool;

import io.ep2camel.model.Backend;

/**
 * A server line of the backend that ep2-camel manages: {@code slotN}. It holds a backend (live,
 * or draining on its way out) or is free (in maintenance, a placeholder address).
 */
public record Slot(String name, Backend backend, boolean draining) {
    public static final String PREFIX = "slot";

    public static Slot free(String name) {
        return new Slot(name, null, false);
    }

    public boolean isFree() {
        return backend == null;
    }

    /** slotN → N; 0 for names that are not ours. */
    public static int index(String name) {
        return name.matches(PREFIX + "[1-9][0-9]{0,5}") ? Integer.parseInt(name.substring(PREFIX.length())) : 0;
    }
}
