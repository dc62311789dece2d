package io.ep2camel.config;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** How a config value is checked and normalised. Each check returns the canonical text or throws with the reason. */
enum KeyType {
    TEXT, PATH,
    /** HAProxy CLI addresses, comma separated: paths, unix@/path, ipv4@host:port, ipv6@[addr]:port */
    SOCKET_LIST,
    PORT {
        @Override
        String check(String v) {
            int n = integer(v);
            if (n < 1 || n > 65535) {
                throw new IllegalArgumentException("port out of range 1-65535: '" + v + "'");
            }
            return Integer.toString(n);
        }
    },
    /** a port, or 0 for "off" */
    NON_NEGATIVE_PORT {
        @Override
        String check(String v) {
            int n = integer(v);
            if (n < 0 || n > 65535) {
                throw new IllegalArgumentException("port out of range 0-65535: '" + v + "'");
            }
            return Integer.toString(n);
        }
    },
    POSITIVE_INT {
        @Override
        String check(String v) {
            int n = integer(v);
            if (n < 1) {
                throw new IllegalArgumentException("must be a positive whole number: '" + v + "'");
            }
            return Integer.toString(n);
        }
    },
    /** seconds, fractions allowed (sleep_before_next_run) */
    SECONDS {
        @Override
        String check(String v) {
            double d = number(v);
            // a timer period rounds to whole milliseconds; 0 ms would fire once and never again
            if (!(d >= 0.001) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("must be a number of seconds, at least 0.001: '" + v + "'");
            }
            return v;
        }
    },
    /** seconds, fractions allowed, 0 meaning "none" (debounce, rate limit) */
    SECONDS_OR_ZERO {
        @Override
        String check(String v) {
            double d = number(v);
            if (!(d >= 0) || Double.isInfinite(d) || d > 3600) {
                throw new IllegalArgumentException("must be a number of seconds from 0 to 3600: '" + v + "'");
            }
            return v;
        }
    },
    /** an HAProxy time: a number of milliseconds, or with a unit (us, ms, s, m, h, d) */
    HAPROXY_TIME {
        private final Pattern time = Pattern.compile("[0-9]+(us|ms|s|m|h|d)?");

        @Override
        String check(String v) {
            if (!time.matcher(v).matches() || v.matches("0+[a-z]*")) {
                throw new IllegalArgumentException("not a number (milliseconds, or with unit us/ms/s/m/h/d): '" + v + "'");
            }
            return v;
        }
    },
    /** Python configparser's getboolean words */
    BOOLEAN {
        private final Set<String> yes = Set.of("1", "yes", "true", "on");
        private final Set<String> no = Set.of("0", "no", "false", "off");

        @Override
        String check(String v) {
            String l = v.toLowerCase(Locale.ROOT);
            if (yes.contains(l)) {
                return "true";
            }
            if (no.contains(l)) {
                return "false";
            }
            throw new IllegalArgumentException("not a boolean (True/False, yes/no, on/off, 1/0): '" + v + "'");
        }
    };

    String check(String v) {
        if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("control characters are not allowed");
        }
        return v;
    }

    private static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: '" + v + "'");
        }
    }

    private static double number(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + v + "'");
        }
    }
}
