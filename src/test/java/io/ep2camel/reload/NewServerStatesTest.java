package io.ep2camel.reload;

import io.ep2camel.runtime.RuntimeReplies;
import io.ep2camel.runtime.ServerState;
import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state-file lines that make a reload's new servers start DOWN: which servers get one (text
 * cases), and what a real HAProxy makes of them (a reload that loads such a file).
 */
class NewServerStatesTest {
    /** HAProxy 2.6.12's {@code show servers state} header, as it prints it. */
    private static final String HEADER = "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
            + "srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state "
            + "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port "
            + "srv_check_addr srv_agent_addr srv_agent_port";
    /** Its rows for two backends (web id 3, api id 4), as HAProxy 2.6.12 printed them. */
    private static final List<String> ROWS = List.of(
            "3 web 1 a 127.0.0.2 2 0 1 1 41 6 3 4 6 0 0 0 - 18090 - 0 0 - - 0",
            "3 web 2 b 127.0.0.3 2 0 1 1 41 6 3 4 6 0 0 0 - 18090 - 0 0 - - 0",
            "4 api 1 a 127.0.0.4 2 0 1 1 41 1 0 2 0 0 0 0 - 9000 - 0 0 - - 0");

    private static String down(String beId, String backend, String server, String host, String port) {
        return beId + " " + backend + " 0 " + server + " " + host + " 0 0 0 0 0 1 0 0 6 0 0 0 - " + port + " -";
    }

    @Test
    void aNewServerWithItsOwnCheckGetsAStoppedLineOfTheTwentyMandatoryFields() {
        String config = """
                global
                    server-state-file /var/lib/haproxy/state
                defaults
                    load-server-state-from-file global
                backend web
                    balance roundrobin
                    server a 127.0.0.2:18090 check
                    server b 127.0.0.3:18090 check
                    server c 127.0.0.5:18090 check inter 2s downinter 200ms maxconn 100
                """;
        List<String> lines = NewServerStates.downLines(config, HEADER, ROWS);
        assertThat(lines).containsExactly(down("3", "web", "c", "127.0.0.5", "18090"));
        assertThat(lines.get(0).split(" ")).hasSize(20);
    }

    @Test
    void serversWithoutTheirOwnCheckGetNone() {
        String config = """
                backend web
                    default-server check inter 1s
                    server a 127.0.0.2:18090 check
                    server n1 127.0.0.6:18090
                    server n2 127.0.0.7:18090 maxconn 10 weight 3
                    server n3 127.0.0.8:18090 check-ssl verify none
                    server n4 127.0.0.9:18090 agent-check agent-port 9999
                    server n5 127.0.0.10:18090 no-check
                    server n6 127.0.0.11:18090 # check
                    server n7 127.0.0.12:18090 checks
                    server y1 127.0.0.13:18090 weight 2 check
                    server y2 127.0.0.14:18090\tcheck\t# y2
                """;
        assertThat(NewServerStates.downLines(config, HEADER, ROWS)).containsExactly(
                down("3", "web", "y1", "127.0.0.13", "18090"),
                down("3", "web", "y2", "127.0.0.14", "18090"));
    }

    @Test
    void listenSectionsCountAndEveryBackendGetsItsOwnId() {
        String config = """
                listen web
                    bind :80
                    server a 127.0.0.2:18090 check
                    server c 127.0.0.5:18090 check
                backend api
                    server a 127.0.0.4:9000 check
                    server b 127.0.0.3:9000 check
                """;
        // "b" is known in web, not in api; "a" is known in both
        assertThat(NewServerStates.downLines(config, HEADER, ROWS)).containsExactly(
                down("3", "web", "c", "127.0.0.5", "18090"),
                down("4", "api", "b", "127.0.0.3", "9000"));
    }

    @Test
    void knownServersAndOtherSectionsGetNoneABackendWithoutServersYetGetsIdZero() {
        String config = """
                global
                    stats socket /run/haproxy.sock level admin
                defaults
                    mode http
                frontend fe
                    bind :80
                    default_backend web
                peers mypeers
                    server p1 127.0.0.1:10000 check
                resolvers dns
                    nameserver ns1 127.0.0.53:53
                backend jobs
                    server j1 127.0.0.20:7000 check
                backend web
                    server a 127.0.0.99:1 check
                    server b 127.0.0.3:18090 check
                """;
        // a and b are known (by name: a moved address, still known); jobs has no server in the dump
        // yet (scaling out from none): its id is unknown, 0 — the new workers match by name
        assertThat(NewServerStates.downLines(config, HEADER, ROWS))
                .containsExactly("0 jobs 0 j1 127.0.0.20 0 0 0 0 0 1 0 0 6 0 0 0 - 7000 -");
        assertThat(NewServerStates.downLines("backend web\n    server z 127.0.0.41:80 check\n", HEADER, List.of()))
                .containsExactly("0 web 0 z 127.0.0.41 0 0 0 0 0 1 0 0 6 0 0 0 - 80 -");
    }

    @Test
    void addressesAreWrittenWithoutPrefixOrBrackets() {
        String config = """
                backend web
                    server v6 [2001:db8::7]:8443 check
                    server v4 ipv4@127.0.0.47:8080 check
                    server v6p ipv6@[::1]:8081 check
                    server host app-7.internal.example:8082 check
                    server unix /run/app.sock check
                    server unix2 unix@/run/app2.sock check
                    server noport 127.0.0.48 check
                    server range 127.0.0.49:8000-8010 check
                    server offset 127.0.0.50:+1 check
                """;
        assertThat(NewServerStates.downLines(config, HEADER, ROWS)).containsExactly(
                down("3", "web", "v6", "2001:db8::7", "8443"),
                down("3", "web", "v4", "127.0.0.47", "8080"),
                down("3", "web", "v6p", "::1", "8081"),
                down("3", "web", "host", "app-7.internal.example", "8082"));
    }

    @Test
    void commentsBlankLinesAndTabsAreReadAsHaproxyDoes() {
        String config = "# backend web\n\nbackend web # the app\n\t# server x 127.0.0.41:80 check\n\n"
                + "\tserver t 127.0.0.51:80 check\n    #server u 127.0.0.52:80 check\n";
        assertThat(NewServerStates.downLines(config, HEADER, ROWS)).containsExactly(down("3", "web", "t", "127.0.0.51", "80"));
    }

    @Test
    void theDumpsColumnsAreFoundByName() {
        // a later HAProxy may add or move columns: be_id, be_name, srv_name are looked up
        String header = "# be_name srv_name be_id srv_addr srv_op_state";
        List<String> rows = List.of("web a 9 127.0.0.2 2");
        assertThat(NewServerStates.downLines("backend web\n    server a 127.0.0.44:1 check\n    server q 127.0.0.45:80 check\n",
                header, rows)).containsExactly(down("9", "web", "q", "127.0.0.45", "80"));
        assertThat(NewServerStates.downLines("backend web\n    server q 127.0.0.45:80 check\n",
                "# be_name srv_name srv_addr", List.of("web a 127.0.0.2"))).isEmpty();
    }

    /**
     * BUG (NewServerStates.downLines): HAProxy does not need a server line to be indented (any line whose
     * first word is not a section keyword belongs to the current section), but downLines takes every line
     * that starts without whitespace for a section header: a server line at column 0 (a template with
     * {@code {{nodes}}} at the start of its line renders the first server so) ends the backend for it, and
     * that server and every later one in the backend get no DOWN line.
     */
    @Test
    void aServerLineWithoutIndentationIsStillInItsBackend() {
        String config = "backend web\nserver c 127.0.0.5:18090 check\n    server d 127.0.0.6:18090 check\n";
        assertThat(NewServerStates.downLines(config, HEADER, ROWS)).containsExactly(
                down("3", "web", "c", "127.0.0.5", "18090"),
                down("3", "web", "d", "127.0.0.6", "18090"));
    }

    // ------------------------------------------------------------------ a real HAProxy reads the lines

    /**
     * The running HAProxy has backend web with server "up" (UP, checked); the reload adds "fresh" (check,
     * its port refuses connections, first check far off), "plain" (no check), "off" (check, disabled) and
     * "heavy" (check, weight 7). Without the lines the new workers start "fresh" UP before any check; with
     * the file ServerStateFile writes (the dump + downLines) they start it DOWN, keep "plain" UP, "off" in
     * maintenance and "heavy"'s configured weight, and warn about nothing.
     */
    @Test
    void aRealHaproxyStartsTheNewCheckedServersDownFromTheWrittenStateFile() throws Exception {
        Path dir = TestDirs.shortTemp();
        Path cfg = dir.resolve("haproxy.cfg");
        Path pid = dir.resolve("haproxy.pid");
        Path sock = dir.resolve("h.sock");
        Path state = dir.resolve("haproxy.state");
        int refused = FreePort.find();
        List<Long> masters = new ArrayList<>();
        HaproxySocketClient cli = new HaproxySocketClient(java.time.Duration.ofSeconds(5));
        try (ServerSocket up = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = up.accept()) {
                            s.getOutputStream().flush();
                        }
                    }
                } catch (IOException closed) {
                    // test over
                }
            }, "up-backend");
            acceptor.setDaemon(true);
            acceptor.start();
            String before = config(sock, state, "    server up 127.0.0.1:" + up.getLocalPort() + " check inter 100ms\n");
            String after = before + """
                        server fresh 127.0.0.1:%1$d check inter 60s
                        server plain 127.0.0.1:%1$d
                        server off 127.0.0.1:%1$d check inter 60s disabled
                        server heavy 127.0.0.1:%1$d check inter 60s weight 7
                    """.formatted(refused);
            Files.writeString(cfg, before);
            Files.writeString(state, "");
            masters.add(start(cfg, pid, List.of()).master());
            awaitCheckPassed(cli, sock, "up");

            // without the lines: what HAProxy does on its own
            String dump = cli.execute(sock, List.of("show servers state")).get(0);
            Files.writeString(state, dump + "\n");
            Files.writeString(cfg, after);
            String output = reload(cfg, pid, masters);
            Map<String, ServerState> unaided = servers(cli, sock);
            assertThat(unaided.get("fresh").opState()).as("HAProxy alone starts a new server UP").isEqualTo(2);
            assertThat(unaided.get("fresh").checkResult()).as("before any check").isZero();
            assertThat(output).doesNotContain("server-state");

            // back to the config without the new servers
            Files.writeString(state, cli.execute(sock, List.of("show servers state")).get(0) + "\n");
            Files.writeString(cfg, before);
            reload(cfg, pid, masters);
            assertThat(servers(cli, sock)).containsOnlyKeys("up");

            // the reload as update_by_config does it: the dump, plus a line for each new checked server
            dump = cli.execute(sock, List.of("show servers state")).get(0);
            assertThat(new ServerStateFile(true).save(dump, after)).isEqualTo(1);
            String file = Files.readString(state);
            assertThat(file.lines().filter(l -> l.matches("[0-9]+ web 0 .*"))).extracting(l -> l.split(" ")[3])
                    .containsExactly("fresh", "off", "heavy");
            Files.writeString(cfg, after);
            output = reload(cfg, pid, masters);

            Map<String, ServerState> s = servers(cli, sock);
            // HAProxy 2.6 applied every line (no "application failed", "partially applied", "can't find server",
            // "corrupted"), and says so for each server the file stopped
            assertThat(output).doesNotContain("server-state application failed").doesNotContain("partially applied")
                    .doesNotContain("can't find server").doesNotContain("corrupted")
                    .contains("Server web/fresh is DOWN, changed from server-state after a reload")
                    .contains("Server web/heavy is DOWN, changed from server-state after a reload")
                    .doesNotContain("web/plain").doesNotContain("web/up");
            assertThat(s.get("fresh").opState()).as("the new checked server starts DOWN").isZero();
            assertThat(s.get("fresh").upAfterCheck()).isFalse();
            assertThat(s.get("heavy").opState()).isZero();
            assertThat(s.get("heavy").weight()).as("its configured weight kept").isEqualTo(7);
            assertThat(s.get("off").inMaintenance()).as("the config's disabled still wins").isTrue();
            assertThat(s.get("plain").opState()).as("no check: no line, UP").isEqualTo(2);
            assertThat(s.get("up").opState()).isEqualTo(2);
            // a known server keeps its state (the dump may catch its check in progress, result 0: the next check says it again)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                    .until(() -> servers(cli, sock).get("up").upAfterCheck());
            String stat = cli.execute(sock, List.of("show stat web 4 -1")).get(0);
            assertThat(stat.lines().filter(l -> l.startsWith("web,fresh,")).findFirst().orElseThrow()).contains(",DOWN,");
        } finally {
            new HaproxyProcess(pid).stop();
            masters.forEach(m -> ProcessHandle.of(m).ifPresent(ProcessHandle::destroyForcibly));
            TestDirs.deleteQuietly(dir);
        }
    }

    private static String config(Path sock, Path state, String servers) {
        return """
                global
                    stats socket %s level admin
                    server-state-file %s
                defaults
                    mode http
                    load-server-state-from-file global
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend web
                backend web
                %s""".formatted(sock, state, FreePort.find(), servers);
    }

    /** What {@code haproxy -W -D -f CFG -p PID [-sf OLD]} said (its warnings included), and the master it left. */
    private record Started(long master, String output) {
    }

    private static Started start(Path cfg, Path pid, List<Long> old) throws Exception {
        List<String> argv = new ArrayList<>(List.of(HaproxyProcess.BINARY, "-W", "-D", "-f", cfg.toString(), "-p", pid.toString()));
        if (!old.isEmpty()) {
            argv.add("-sf");
            old.forEach(p -> argv.add(Long.toString(p)));
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new Started(new HaproxyProcess(pid).masterPid(), out);
    }

    /** A reload EP2's way (a new master, -sf the previous one); what HAProxy said. */
    private static String reload(Path cfg, Path pid, List<Long> masters) throws Exception {
        Started s = start(cfg, pid, List.of(masters.get(masters.size() - 1)));
        assertThat(s.master()).isNotIn(masters);
        masters.add(s.master());
        return s.output();
    }

    private static Map<String, ServerState> servers(HaproxySocketClient cli, Path sock) {
        return RuntimeReplies.serversState(cli.execute(sock, List.of("show servers state web")).get(0)).stream()
                .collect(Collectors.toMap(ServerState::name, Function.identity()));
    }

    private static void awaitCheckPassed(HaproxySocketClient cli, Path sock, String server) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> servers(cli, sock).get(server).upAfterCheck());
    }
}
