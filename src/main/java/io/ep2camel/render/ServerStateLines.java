package io.ep2camel.render;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two lines that make HAProxy's new workers start from the servers' state saved before a
 * reload (health, weights, drain and maintenance) instead of taking every server as UP:
 * {@code server-state-file <path>} in {@code global} and {@code load-server-state-from-file global}
 * in the proxies. Added to a rendered config only where the template has none of its own.
 */
public final class ServerStateLines {
    private static final Pattern STATE_FILE = Pattern.compile("(?m)^\\s*server-state-file\\s+(\\S+)");
    private static final Pattern STATE_BASE = Pattern.compile("(?m)^\\s*server-state-base\\s");
    private static final Pattern LOAD = Pattern.compile("(?m)^\\s*load-server-state-from-file\\s");
    private static final Pattern DEFAULTS = Pattern.compile("(?m)^defaults\\b.*$");
    private static final Pattern PROXY = Pattern.compile("(?m)^(backend|listen)\\s.*$");

    private ServerStateLines() {
    }

    /** The config with the state file lines added where it has none; {@code stateFile} is where they point. */
    public static String addTo(String config, Path stateFile) {
        String out = config;
        if (!LOAD.matcher(out).find()) {
            // in every defaults section, which the proxies inherit; without one, in each backend/listen
            Pattern where = DEFAULTS.matcher(out).find() ? DEFAULTS : PROXY;
            out = where.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group() + "\n    load-server-state-from-file global"));
        }
        if (!STATE_FILE.matcher(out).find()) {
            out = GlobalSection.withLine(out, "    server-state-file " + stateFile);
        }
        return out;
    }

    /**
     * The state file a config loads: its {@code server-state-file} when that is an absolute path and
     * no {@code server-state-base} changes where it is; empty otherwise.
     */
    public static Optional<Path> stateFile(String config) {
        Matcher m = STATE_FILE.matcher(config);
        if (!m.find() || STATE_BASE.matcher(config).find()) {
            return Optional.empty();
        }
        Path p = Path.of(m.group(1));
        return p.isAbsolute() ? Optional.of(p) : Optional.empty();
    }
}
