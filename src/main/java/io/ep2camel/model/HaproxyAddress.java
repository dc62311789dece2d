package io.ep2camel.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where HAProxy's CLI listens, written as HAProxy writes it on a {@code stats socket} line: a
 * path or {@code unix@/path} (a UNIX stats socket), {@code ipv4@host:port} or
 * {@code ipv6@[addr]:port} (a TCP one). {@link #toString()} is the canonical form: the absolute
 * path for UNIX sockets, {@code ipv4@host:port} / {@code ipv6@[addr]:port} for TCP.
 */
public final class HaproxyAddress {
    private static final Pattern IPV4 = Pattern.compile("ipv4@(.*):([0-9]{1,5})");
    private static final Pattern IPV6 = Pattern.compile("ipv6@(?:\\[([0-9A-Fa-f:.]+)]|([0-9A-Fa-f:.]+)):([0-9]{1,5})");
    /** A bare host:port: HAProxy would take it as an address, ep2-camel before as a relative path. */
    private static final Pattern BARE_HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:[0-9]+");
    private static final Pattern OTHER_FAMILY = Pattern.compile("([a-z0-9+]+)@.*");

    private final Path path;
    private final String host;
    private final int port;
    private final boolean ipv6;

    private HaproxyAddress(Path path, String host, int port, boolean ipv6) {
        this.path = path;
        this.host = host;
        this.port = port;
        this.ipv6 = ipv6;
    }

    /**
     * @param base directory a relative UNIX path is resolved against (the directory of ep2.conf),
     *             or null to keep it as given
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static HaproxyAddress parse(String text, Path base) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty socket address");
        }
        if (t.regionMatches(true, 0, "unix@", 0, 5)) {
            return unix(t.substring(5), base, text);
        }
        Matcher v4 = IPV4.matcher(t);
        if (v4.matches()) {
            String host = v4.group(1);
            if (!HostNames.isValid(host) || host.contains(":")) {
                throw new IllegalArgumentException("not an IPv4 address or host name in '" + HostNames.sanitize(text) + "'");
            }
            return new HaproxyAddress(null, host.toLowerCase(Locale.ROOT), port(v4.group(2), text), false);
        }
        Matcher v6 = IPV6.matcher(t);
        if (v6.matches()) {
            String addr = v6.group(1) != null ? v6.group(1) : v6.group(2);
            if (!addr.contains(":") || !HostNames.isValid(addr)) {
                throw new IllegalArgumentException("not an IPv6 address in '" + HostNames.sanitize(text) + "'");
            }
            return new HaproxyAddress(null, addr.toLowerCase(Locale.ROOT), port(v6.group(3), text), true);
        }
        if (t.startsWith("ipv4@") || t.startsWith("ipv6@")) {
            throw new IllegalArgumentException("'" + HostNames.sanitize(text) + "' is not "
                    + (t.startsWith("ipv4@") ? "ipv4@host:port" : "ipv6@[addr]:port"));
        }
        Matcher family = OTHER_FAMILY.matcher(t);
        if (family.matches()) {
            throw new IllegalArgumentException("'" + HostNames.sanitize(text) + "': only a path, unix@/path, ipv4@host:port"
                    + " and ipv6@[addr]:port are supported (not " + family.group(1) + "@)");
        }
        if (BARE_HOST_PORT.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + HostNames.sanitize(text) + "' looks like host:port; write ipv4@"
                    + t + " for a TCP stats socket (or ./" + t + " for a file of that name)");
        }
        return unix(t, base, text);
    }

    /**
     * A comma separated list, as haproxy_socket_file and haproxy-socket URIs write it; blank
     * entries are passed over.
     */
    public static List<HaproxyAddress> parseList(String text, Path base) {
        return Arrays.stream(text.split(",")).filter(s -> !s.isBlank()).map(s -> parse(s, base)).toList();
    }

    private static HaproxyAddress unix(String p, Path base, String text) {
        if (p.isBlank()) {
            throw new IllegalArgumentException("no path in '" + HostNames.sanitize(text) + "'");
        }
        Path path = Path.of(p);
        return new HaproxyAddress(base == null ? path : base.resolve(path).normalize(), null, 0, false);
    }

    private static int port(String digits, String text) {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1-65535 in '" + HostNames.sanitize(text) + "'");
        }
        return port;
    }

    /** A UNIX stats socket (a path), as opposed to a TCP one. */
    public boolean isUnix() {
        return path != null;
    }

    /** The socket file; only for {@link #isUnix()} addresses. */
    public Path path() {
        if (path == null) {
            throw new IllegalStateException(this + " is a TCP address, not a UNIX socket");
        }
        return path;
    }

    /** The TCP host (an IP literal or a name); only for TCP addresses. */
    public String host() {
        if (path != null) {
            throw new IllegalStateException(this + " is a UNIX socket, not a TCP address");
        }
        return host;
    }

    public int port() {
        return port;
    }

    /**
     * Whether a TCP address stays on this machine (127.0.0.0/8, ::1, localhost). An admin-level
     * CLI on any other interface is reachable from elsewhere: HAProxy's CLI has no authentication.
     */
    public boolean isLoopback() {
        return isUnix() || host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")
                || host.matches("127(\\.[0-9]{1,3}){3}");
    }

    @Override
    public String toString() {
        if (path != null) {
            return path.toString();
        }
        return ipv6 ? "ipv6@[" + host + "]:" + port : "ipv4@" + host + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HaproxyAddress a && toString().equals(a.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
