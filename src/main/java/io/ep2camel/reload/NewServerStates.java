package io.ep2camel.reload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * State-file lines that make a reload's new servers start DOWN. HAProxy (before 3.1's
 * {@code init-state}) starts every server UP until a check fails, so a server the reload adds
 * would take requests before it was ever checked: an instance still booting would fail them.
 * The new workers apply a state-file line to the server of that backend and name (and to no
 * other), so a line with srv_op_state 0 for each new server makes it start DOWN; its health check
 * (every downinter while DOWN) then brings it UP once it answers. Only servers with their own
 * {@code check} keyword get one: without a check, DOWN would be for good.
 * <p>
 * Field by field (server_state.c, version 1, the 20 mandatory fields): the backend's id as the
 * dump has it (0 for a backend without servers yet: the new workers match backend and server by
 * name), its name, srv_id 0 (unused: servers are found by name), the name, the address,
 * op state 0 (STOPPED), admin state 0 (the config's own "disabled" still wins), weights 0/0 (the
 * config's weight stays), last change 0, check status 1 (initialising), result 0 (unknown), health
 * 0, check state 6 (configured, enabled), agent 0, no forced ids, no FQDN, the port, no SRV record.
 */
final class NewServerStates {
    private static final Pattern SECTION = Pattern.compile("^\\s*(\\S+)(?:\\s+(\\S+))?");
    /** HAProxy's section keywords: a line starting with one opens a section, indented or not. */
    private static final Set<String> SECTIONS = Set.of("global", "defaults", "frontend", "backend", "listen", "peers",
            "resolvers", "userlist", "mailers", "cache", "program", "http-errors", "ring", "log-forward", "crt-store",
            "traces", "fcgi-app");
    private static final Pattern SERVER = Pattern.compile("^\\s*server\\s+(\\S+)\\s+(\\S+)(.*)$");
    private static final Pattern ADDRESS = Pattern.compile("^(?:ipv4@|ipv6@)?(\\[[^]]+]|[^:\\[\\]]+):([0-9]{1,5})$");

    private NewServerStates() {
    }

    /**
     * @param content the config about to be loaded
     * @param header  the dump's column header ("# be_id be_name ...")
     * @param rows    the dump's rows: the servers the running workers know
     */
    static List<String> downLines(String content, String header, List<String> rows) {
        List<String> columns = Arrays.asList(header.substring(1).trim().split("\\s+"));
        int beId = columns.indexOf("be_id");
        int beName = columns.indexOf("be_name");
        int srvName = columns.indexOf("srv_name");
        if (beId < 0 || beName < 0 || srvName < 0) {
            return List.of();
        }
        Map<String, String> backendIds = new HashMap<>();
        Set<String> known = new HashSet<>();
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            backendIds.putIfAbsent(f[beName], f[beId]);
            known.add(f[beName] + " " + f[srvName]);
        }
        List<String> lines = new ArrayList<>();
        String backend = null;
        for (String line : content.lines().toList()) {
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            Matcher s = SECTION.matcher(line);
            if (s.find() && SECTIONS.contains(s.group(1))) {
                backend = s.group(1).equals("backend") || s.group(1).equals("listen") ? s.group(2) : null;
                continue;
            }
            Matcher m = SERVER.matcher(line);
            if (backend == null || !m.matches() || known.contains(backend + " " + m.group(1))
                    || !Arrays.asList(m.group(3).split("#", 2)[0].trim().split("\\s+")).contains("check")) {
                continue;
            }
            Matcher a = ADDRESS.matcher(m.group(2));
            if (!a.matches()) {
                continue;
            }
            String host = a.group(1).startsWith("[") ? a.group(1).substring(1, a.group(1).length() - 1) : a.group(1);
            lines.add(String.join(" ", backendIds.getOrDefault(backend, "0"), backend, "0", m.group(1), host,
                    "0", "0", "0", "0", "0", "1", "0", "0", "6", "0", "0", "0", "-", a.group(2), "-"));
        }
        return lines;
    }
}
