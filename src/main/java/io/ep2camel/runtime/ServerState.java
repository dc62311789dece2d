package io.ep2camel.runtime;

/**
 * One server of a backend as HAProxy reports it in {@code show servers state}. The admin state
 * is HAProxy's bit field (src/server.h): maintenance is forced (0x01), inherited (0x02), from
 * DNS resolution (0x20) or from a failed resolution (0x40); 0x04 only records the config's
 * "disabled" and stays after the server is made ready; drain is 0x08 / 0x10.
 */
public record ServerState(String name, String host, int port, int adminState, int opState, int weight) {
    private static final int MAINT = 0x01 | 0x02 | 0x20 | 0x40;
    private static final int DRAIN = 0x08 | 0x10;

    public boolean inMaintenance() {
        return (adminState & MAINT) != 0;
    }

    public boolean draining() {
        return !inMaintenance() && (adminState & DRAIN) != 0;
    }

    /** Neither in maintenance nor draining: the server takes new traffic when its checks pass. */
    public boolean live() {
        return !inMaintenance() && !draining();
    }

    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
