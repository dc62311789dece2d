package io.ep2camel.render;

import io.ep2camel.model.Backend;

import java.util.Optional;

/**
 * The options every generated server line carries: {@code check}, plus maxconn/inter from
 * backend_maxconn/check_interval when set. One place, so the config file and servers added at
 * runtime get the same options.
 */
public record ServerLineFormat(Optional<Integer> maxconn, Optional<String> checkInterval) {

    /** Options after the address, e.g. {@code check inter 2s maxconn 100}. */
    public String options(int weight) {
        StringBuilder b = new StringBuilder("check");
        checkInterval.ifPresent(i -> b.append(" inter ").append(i));
        maxconn.ifPresent(m -> b.append(" maxconn ").append(m));
        if (weight > 0) {
            b.append(" weight ").append(weight);
        }
        return b.toString();
    }

    /** {@code server <stable name> <address> <options>} */
    public String line(Backend b) {
        return "server " + b.serverName() + " " + b.address() + " " + options(b.weight());
    }
}
