package io.ep2camel.render;

import java.util.regex.Pattern;

/**
 * {@code max-spread-checks} in {@code global}: HAProxy schedules a server's first check up to the
 * smallest {@code inter} after a start or reload (spread across the servers), and one
 * {@code downinter} after an {@code add server}. A new server is health-gated, so that wait is
 * its whole entry time; capped, it is checked at once and served as soon as it passes. Added
 * only where the template has no max-spread-checks of its own.
 */
public final class CheckSpreadLine {
    private static final Pattern SPREAD = Pattern.compile("(?m)^\\s*max-spread-checks\\s");

    private CheckSpreadLine() {
    }

    /** The config with {@code max-spread-checks <within>} in global, unless it sets one. */
    public static String addTo(String config, String within) {
        return SPREAD.matcher(config).find() ? config : GlobalSection.withLine(config, "    max-spread-checks " + within);
    }
}
