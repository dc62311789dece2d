package io.ep2camel.render;

import io.ep2camel.model.Backend;

import java.util.List;
import java.util.Optional;

/**
 * The options every generated server line carries: {@code check}, plus inter/downinter/maxconn
 * from check_interval/down_check_interval/backend_maxconn when set. One place, so the config file
 * and servers added at runtime get the same options.
 * <p>
 * downinter is what makes a new server's entry take the time the server needs: it is checked every
 * downinter while DOWN (waiting for its first passed check, or failing), every fastinter (the same
 * value) on its way up when rise is above 1, and every inter once UP, so the template's cadence
 * for servers in service is untouched.
 */
public record ServerLineFormat(Optional<Integer> maxconn, Optional<String> checkInterval, Optional<String> downInterval,
                               Optional<String> fastInterval, List<String> defaultServer) {
    public ServerLineFormat {
        defaultServer = List.copyOf(defaultServer);
    }

    public ServerLineFormat(Optional<Integer> maxconn, Optional<String> checkInterval, Optional<String> downInterval,
                            List<String> defaultServer) {
        this(maxconn, checkInterval, downInterval, Optional.empty(), defaultServer);
    }

    public ServerLineFormat(Optional<Integer> maxconn, Optional<String> checkInterval, Optional<String> downInterval) {
        this(maxconn, checkInterval, downInterval, List.of());
    }

    public ServerLineFormat(Optional<Integer> maxconn, Optional<String> checkInterval) {
        this(maxconn, checkInterval, Optional.empty());
    }

    /**
     * Options of a server made by {@code add server}: the template's default-server options for
     * the backend first ({@link DefaultServerOptions}; HAProxy does not apply them to dynamic
     * servers), then {@link #options}, whose later keywords win as on any server line.
     */
    public String dynamicOptions(int weight) {
        return defaultServer.isEmpty() ? options(weight) : String.join(" ", defaultServer) + " " + options(weight);
    }

    /** Options after the address, e.g. {@code check inter 2s maxconn 100 weight 3 downinter 200ms}. */
    public String options(int weight) {
        StringBuilder b = new StringBuilder("check");
        checkInterval.ifPresent(i -> b.append(" inter ").append(i));
        maxconn.ifPresent(m -> b.append(" maxconn ").append(m));
        if (weight > 0) {
            b.append(" weight ").append(weight);
        }
        downInterval.ifPresent(i -> b.append(" downinter ").append(i));
        fastInterval.ifPresent(i -> b.append(" fastinter ").append(i));
        return b.toString();
    }

    /** {@code server <stable name> <address> <options>} */
    public String line(Backend b) {
        return "server " + b.serverName() + " " + b.address() + " " + options(b.weight());
    }

    /**
     * down_check_interval unless the template sets downinter itself (e.g. on default-server): a
     * server line's option would override the operator's own choice.
     */
    public static Optional<String> downInterval(Optional<String> configured, String templateText) {
        return unlessTemplateSets("downinter", configured, templateText);
    }

    /**
     * down_check_interval as fastinter too, unless the template sets fastinter itself: with
     * {@code rise} above 1 a new server's checks after its first passed one come every fastinter
     * (HAProxy: a server between DOWN and UP), else a whole inter apart. Failing servers are found
     * DOWN sooner the same way (fall checks fastinter apart).
     */
    public static Optional<String> fastInterval(Optional<String> configured, String templateText) {
        return unlessTemplateSets("fastinter", configured, templateText);
    }

    /**
     * down_check_interval, but never slower than check_interval: a server on its way up checked less
     * often than one that is UP would wait longer for traffic than with HAProxy's own defaults
     * (downinter and fastinter follow inter when unset).
     */
    public static Optional<String> notSlowerThan(Optional<String> downCheck, Optional<String> checkInterval) {
        if (downCheck.isPresent() && checkInterval.isPresent()
                && millis(checkInterval.get()) < millis(downCheck.get())) {
            return checkInterval;
        }
        return downCheck;
    }

    /** An HAProxy time (a number of milliseconds, or with a unit us/ms/s/m/h/d; validated as such) in milliseconds. */
    static double millis(String time) {
        String unit = time.replaceAll("^[0-9]+", "");
        double n = Double.parseDouble(time.substring(0, time.length() - unit.length()));
        return switch (unit) {
            case "us" -> n / 1000;
            case "", "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> throw new IllegalArgumentException("not an HAProxy time: '" + time + "'");
        };
    }

    /** The configured value, or none where the template's own text sets {@code keyword} (on default-server or a line). */
    private static Optional<String> unlessTemplateSets(String keyword, Optional<String> configured, String templateText) {
        return templateText.matches("(?s).*\\b" + keyword + "\\b.*") ? Optional.empty() : configured;
    }
}
