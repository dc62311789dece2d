package io.ep2camel.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the two runtime API answers the planner needs. Columns are found by their header
 * names, not positions, so a newer HAProxy adding columns does not shift anything; a reply
 * without the expected header is rejected rather than half-read.
 */
public final class RuntimeReplies {
    private RuntimeReplies() {
    }

    /** {@code show servers state <backend>}: a "1" version line, a "# be_id be_name ..." header, rows. */
    public static List<ServerState> serversState(String reply) {
        List<String> lines = reply.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2 || !lines.get(0).strip().equals("1") || !lines.get(1).startsWith("#")) {
            throw new IllegalArgumentException("unexpected 'show servers state' reply: " + firstLine(reply));
        }
        List<String> header = Arrays.asList(lines.get(1).substring(1).trim().split("\\s+"));
        int name = column(header, "srv_name");
        int addr = column(header, "srv_addr");
        int port = column(header, "srv_port");
        int admin = column(header, "srv_admin_state");
        int op = column(header, "srv_op_state");
        int weight = column(header, "srv_uweight");
        int checkResult = column(header, "srv_check_result");
        int checkState = column(header, "srv_check_state");
        List<ServerState> out = new ArrayList<>();
        for (String row : lines.subList(2, lines.size())) {
            String[] f = row.trim().split("\\s+");
            if (f.length < header.size()) {
                throw new IllegalArgumentException("short 'show servers state' row: " + row);
            }
            out.add(new ServerState(f[name], f[addr], Integer.parseInt(f[port]), Integer.parseInt(f[admin]),
                    Integer.parseInt(f[op]), Integer.parseInt(f[weight]), Integer.parseInt(f[checkResult]),
                    Integer.parseInt(f[checkState])));
        }
        return out;
    }

    /** {@code show stat <backend> 4 -1}: CSV with a "# pxname,svname,qcur,qmax,scur,..." header → scur per server. */
    public static Map<String, Integer> currentSessions(String reply) {
        List<String> lines = reply.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            throw new IllegalArgumentException("unexpected 'show stat' reply: " + firstLine(reply));
        }
        List<String> header = Arrays.asList(lines.get(0).substring(2).split(",", -1));
        int sv = column(header, "svname");
        int scur = column(header, "scur");
        Map<String, Integer> out = new HashMap<>();
        for (String row : lines.subList(1, lines.size())) {
            String[] f = row.split(",", -1);
            if (f.length > scur && !f[sv].equals("BACKEND") && !f[sv].equals("FRONTEND")) {
                out.put(f[sv], f[scur].isEmpty() ? 0 : Integer.parseInt(f[scur]));
            }
        }
        return out;
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("HAProxy reply has no column '" + name + "'");
        }
        return i;
    }

    private static String firstLine(String reply) {
        return reply.lines().findFirst().orElse("(empty)");
    }
}
