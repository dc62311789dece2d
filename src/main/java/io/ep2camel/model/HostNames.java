package io.ep2camel.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Which host strings may become a server address: IPv4, IPv6 literals, RFC 1123 host names. */
public final class HostNames {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private HostNames() {
    }

    public static boolean isValid(String host) {
        if (host == null || host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (IPV4.matcher(host).matches()) {
            return true;
        }
        if (host.indexOf(':') >= 0) {
            return isIpv6(host);
        }
        if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return false; // looks numeric but is not a valid IPv4 address (e.g. 999.1.1.1)
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String host) {
        // character check first: InetAddress must never be asked to resolve a name here
        if (!IPV6_CHARS.matcher(host).matches()) {
            return false;
        }
        try {
            // Java hands IPv4-mapped literals (::ffff:10.0.0.1) back as Inet4Address: parsed is enough
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A rejected input made safe to log: control characters escaped, length capped. */
    public static String sanitize(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.substring(0, Math.min(s.length(), 80)).toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }
}
