package io.ep2camel.model;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One server an orchestrator reports alive. Identity is host + port: the same host on two
 * ports is two backends. The weight is carried for orchestrators that have one (Consul);
 * 0 means "HAProxy's default". A Backend can only be built from a valid host and port, so
 * nothing hostile reaches a template or a socket command through it.
 */
public record Backend(String host, int port, int weight) implements Comparable<Backend> {

    private static final String SERVER_PREFIX = "srv_";
    static final Comparator<Backend> ORDER = Comparator.comparing(Backend::host).thenComparingInt(Backend::port);

    public Backend {
        Objects.requireNonNull(host, "host");
        if (!HostNames.isValid(host)) {
            throw new IllegalArgumentException("not an IPv4/IPv6 address or RFC 1123 host name: '"
                    + HostNames.sanitize(host) + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
        if (weight < 0 || weight > 256) {
            throw new IllegalArgumentException("weight out of range 0-256: " + weight);
        }
    }

    public Backend(String host, int port) {
        this(host, port, 0);
    }

    /** host:port, with IPv6 literals bracketed, as HAProxy's server line wants it. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * A server name that is stable for the same host:port across rounds and restarts and
     * unique per host:port: a valid host only holds letters, digits, '.', '-' and ':', all
     * legal in HAProxy names, and never '_', so the separator cannot be confused.
     */
    public String serverName() {
        return SERVER_PREFIX + host + "_" + port;
    }

    /** The backend a {@link #serverName()} names; empty for any other name (a server of the template's own). */
    public static Optional<Backend> named(String serverName) {
        int cut = serverName.lastIndexOf('_');
        if (!serverName.startsWith(SERVER_PREFIX) || cut <= SERVER_PREFIX.length()) {
            return Optional.empty();
        }
        try {
            Backend b = new Backend(serverName.substring(SERVER_PREFIX.length(), cut), Integer.parseInt(serverName.substring(cut + 1)));
            return b.serverName().equals(serverName) ? Optional.of(b) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();                 // not a host and a port
        }
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 literal;
     * {@code defaultPort} (0 = none) applies when no port is given.
     */
    public static Backend parse(String entry, int defaultPort) {
        String host;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in IPv6 address");
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (entry.chars().filter(c -> c == ':').count() > 1) {
            host = entry; // bare IPv6 literal, no port
        } else {
            int colon = entry.indexOf(':');
            host = colon < 0 ? entry : entry.substring(0, colon);
            port = colon < 0 ? null : entry.substring(colon + 1);
        }
        if (port == null) {
            if (defaultPort <= 0) {
                throw new IllegalArgumentException("no port given and backend_port is not set");
            }
            return new Backend(host, defaultPort);
        }
        try {
            return new Backend(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number: '" + HostNames.sanitize(port) + "'");
        }
    }

    @Override
    public int compareTo(Backend o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return address() + (weight > 0 ? " weight " + weight : "");
    }
}
