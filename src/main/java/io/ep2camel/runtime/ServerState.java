package io.ep2camel.runtime;

/**
 * One server of a backend as HAProxy reports it in {@code show servers state}. The admin state
 * is HAProxy's bit field (src/server.h): maintenance is forced (0x01), inherited (0x02), from
 * DNS resolution (0x20) or from a failed resolution (0x40); 0x04 only records the config's
 * "disabled" and stays after the server is made ready; drain is 0x08 / 0x10.
 */
public record ServerState(String name, String host, int port, int adminState, int opState, int weight,
                          int checkResult, int checkState) {
    private static final int MAINT = 0x01 | 0x02 | 0x20 | 0x40;
    private static final int DRAIN = 0x08 | 0x10;
    /** srv_op_state: SRV_ST_RUNNING (src/server-t.h). */
    private static final int RUNNING = 2;
    /** srv_check_result: CHK_RES_PASSED, CHK_RES_CONDPASS (include/haproxy/check-t.h). */
    private static final int CHECK_PASSED = 3;
    /** srv_check_state: CHK_ST_CONFIGURED, the server has a health check. */
    private static final int CHECK_CONFIGURED = 0x0002;

    /** A server whose health check is not looked at (the runtime planner's view). */
    public ServerState(String name, String host, int port, int adminState, int opState, int weight) {
        this(name, host, port, adminState, opState, weight, 0, 0);
    }

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

    /**
     * UP and, when it has a health check, passed it: a server HAProxy has just started (a reload
     * without saved state for it) counts as running before its first check, which says nothing
     * about whether the instance answers.
     */
    public boolean upAfterCheck() {
        return opState == RUNNING && ((checkState & CHECK_CONFIGURED) == 0 || checkResult >= CHECK_PASSED);
    }

    /** Takes new requests now: UP (checked or not) and neither in maintenance nor draining. */
    public boolean serving() {
        return live() && opState == RUNNING;
    }

    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
