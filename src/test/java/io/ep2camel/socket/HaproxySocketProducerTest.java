package io.ep2camel.socket;

import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.TestDirs;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The component against real HAProxy 2.6 processes, through a plain CamelContext. Every HAProxy
 * here serves its CLI on a UNIX and on a TCP stats socket; this class talks to the UNIX one,
 * {@link HaproxySocketProducerOverTcpTest} runs the same tests over TCP.
 */
class HaproxySocketProducerTest {

    private final List<Path> dirs = new ArrayList<>();
    private final List<HaproxyProcess> haproxies = new ArrayList<>();
    protected CamelContext context;
    protected ProducerTemplate template;
    protected String socket;
    private int frontendPort;
    /** The last started HAProxy's two CLI addresses. */
    protected Path lastUnixSocket;
    protected int lastTcpPort;

    /** Which of an HAProxy's two stats sockets the tests talk to. */
    protected String address(Path unixSocket, int tcpPort) {
        return unixSocket.toString();
    }

    /** An address of the same kind where nothing answers. */
    protected String unreachable() {
        return lastUnixSocket.resolveSibling("missing.sock").toString();
    }

    @BeforeEach
    void start() throws Exception {
        socket = startHaproxy();
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        haproxies.forEach(HaproxyProcess::stop);
        dirs.forEach(TestDirs::deleteQuietly);
    }

    @Test
    void batchGetsOneReplyPerCommand() {
        List<?> replies = template.requestBody(uri(socket),
                List.of("show servers state be", "get weight be/s2", "show backend"), List.class);

        assertThat(replies).hasSize(3);
        Map<String, Map<String, String>> servers = serverStates((String) replies.get(0));
        assertThat(servers).containsOnlyKeys("s1", "s2", "s3");
        assertThat(servers.get("s1")).containsEntry("be_name", "be").containsEntry("srv_op_state", "0");
        assertThat(replies.get(1)).isEqualTo("1 (initial 1)");
        assertThat(replies.get(2)).isEqualTo("# name\nbe");
    }

    @Test
    void singleCommandGetsItsReplyAsString() {
        String reply = template.requestBody(uri(socket), "get weight be/s1", String.class);

        assertThat(reply).isEqualTo("1 (initial 1)");
    }

    @Test
    void setAddressAndStateMovesTraffic() throws Exception {
        try (HttpBackends backends = HttpBackends.start(1)) {
            int port = backends.port(0);
            assertThat(Http.tryGet(frontendPort)).startsWith("ERR"); // every server is disabled

            List<?> replies = template.requestBody(uri(socket), List.of(
                    "set server be/s1 addr 127.0.0.1 port " + port, "set server be/s1 state ready"), List.class);

            assertThat((String) replies.get(0)).contains("port changed from").contains("to '" + port + "'");
            assertThat(replies.get(1)).isEqualTo("");
            Map<String, String> s1 = serverStates(template.requestBody(uri(socket), "show servers state be", String.class)).get("s1");
            assertThat(s1).containsEntry("srv_addr", "127.0.0.1").containsEntry("srv_port", String.valueOf(port))
                    .containsEntry("srv_op_state", "2"); // SRV_ST_RUNNING
            assertThat(Http.get(frontendPort)).isEqualTo("b1");
        }
    }

    @Test
    void errorReplyFailsTheExchangeAfterTheWholeBatchRan() {
        Exchange exchange = template.send(uri(socket), e -> e.getMessage().setBody(List.of(
                "set server be/nosuch state ready", "set server be/s2 state ready", "foo")));

        HaproxySocketException e = (HaproxySocketException) exchange.getException();
        assertThat(e).hasMessageContaining(socket.toString())
                .hasMessageContaining("[set server be/nosuch state ready] -> No such server.")
                .hasMessageContaining("[foo] -> Unknown command");
        assertThat(e.getFailures()).extracting(HaproxySocketException.FailedCommand::command)
                .containsExactly("set server be/nosuch state ready", "foo");
        assertThat(e.getFailures().get(0).reply()).isEqualTo("No such server.");
        // the command after the failed one ran; replies are kept for error handlers, commands for redelivery
        assertThat(serverStates(template.requestBody(uri(socket), "show servers state be", String.class)).get("s2"))
                .containsEntry("srv_op_state", "2");
        assertThat(exchange.getMessage().getHeader(HaproxySocketConstants.REPLIES, Map.class))
                .containsOnlyKeys(socket);
        assertThat(exchange.getMessage().getBody()).isEqualTo(List.of(
                "set server be/nosuch state ready", "set server be/s2 state ready", "foo"));
    }

    @Test
    void errorRepliesCanBeAccepted() {
        String viaOption = template.requestBody(uri(socket) + "?failOnErrorReply=false",
                "set server be/nosuch state ready", String.class);
        String viaHeader = template.requestBodyAndHeader(uri(socket), "set server be/s1 addr notanip",
                HaproxySocketConstants.FAIL_ON_ERROR_REPLY, false, String.class);

        assertThat(viaOption).isEqualTo("No such server.");
        // 2.6 adds " by 'stats socket command'", 3.0 does not: only the start is the same everywhere
        assertThat(viaHeader).startsWith("Invalid addr 'notanip'");
    }

    @Test
    void missingSocketNamesThePath() {
        String missing = unreachable();

        CamelExecutionException e = catchThrowableOfType(CamelExecutionException.class,
                () -> template.requestBody(uri(missing), "show info"));

        assertThat(e.getCause()).isInstanceOf(HaproxySocketException.class)
                .hasMessageStartingWith(missing + ": cannot connect");
    }

    @Test
    void batchGoesToEverySocket() throws Exception {
        String second = startHaproxy();

        Exchange exchange = template.request(uri(socket) + "," + second, e -> e.getMessage().setBody(
                List.of("set server be/s2 state ready", "get weight be/s2")));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody()).isEqualTo(List.of("", "1 (initial 1)"));
        assertThat(exchange.getMessage().getHeader(HaproxySocketConstants.REPLIES, Map.class)).isEqualTo(Map.of(
                socket, List.of("", "1 (initial 1)"),
                second, List.of("", "1 (initial 1)")));
        for (String each : List.of(socket, second)) {
            assertThat(serverStates(template.requestBody(uri(each), "show servers state be", String.class)).get("s2"))
                    .containsEntry("srv_op_state", "2");
        }
    }

    @Test
    void unreachableSocketDoesNotStopTheOthers() {
        String missing = unreachable();

        CamelExecutionException e = catchThrowableOfType(CamelExecutionException.class,
                () -> template.requestBody(uri(missing) + "," + socket, "set server be/s3 state ready"));

        assertThat(e.getCause()).isInstanceOf(HaproxySocketException.class).hasMessageContaining(missing);
        assertThat(serverStates(template.requestBody(uri(socket), "show servers state be", String.class)).get("s3"))
                .containsEntry("srv_op_state", "2");
    }

    @Test
    void commandWithNewlineIsRejectedBeforeAnythingIsSent() {
        CamelExecutionException e = catchThrowableOfType(CamelExecutionException.class,
                () -> template.requestBody(uri(socket), List.of(
                        "set server be/s1 state ready", "show info\nset server be/s2 state ready")));

        assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("show info\\nset server be/s2 state ready");
        Map<String, Map<String, String>> servers =
                serverStates(template.requestBody(uri(socket), "show servers state be", String.class));
        assertThat(servers.get("s1")).containsEntry("srv_op_state", "0");
        assertThat(servers.get("s2")).containsEntry("srv_op_state", "0");
    }

    @Test
    void thousandCommandsInOneBatch() {
        // each "get weight" must report the weight set just before it: replies stay paired with commands
        List<String> commands = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String server = "be/s" + (i % 3 + 1);
            int weight = i % 257;
            commands.add("set server " + server + " weight " + weight);
            commands.add("get weight " + server);
            expected.add("");
            expected.add(weight + " (initial 1)");
        }

        List<?> replies = template.requestBody(uri(socket), commands, List.class);

        assertThat(replies).hasSize(1000).isEqualTo(expected);
    }

    protected static String uri(String socket) {
        return "haproxy-socket:" + socket;
    }

    /**
     * Starts one HAProxy with backend "be" of three disabled servers and its CLI on a UNIX and a
     * TCP (loopback) stats socket; returns the one {@link #address} picks.
     */
    protected String startHaproxy() throws Exception {
        Path dir = TestDirs.shortTemp();
        dirs.add(dir);
        Path stats = dir.resolve("s.sock");
        int tcp = FreePort.find();
        int port = FreePort.find();
        if (haproxies.isEmpty()) {
            frontendPort = port;
        }
        String config = String.join("\n",
                "global",
                "    stats socket " + stats + " mode 600 level admin expose-fd listeners",
                "    stats socket ipv4@127.0.0.1:" + tcp + " level admin",
                "defaults",
                "    mode http",
                "    timeout connect 1s",
                "    timeout client 5s",
                "    timeout server 5s",
                "frontend fe",
                "    bind 127.0.0.1:" + port,
                "    default_backend be",
                "backend be",
                "    server s1 127.0.0.1:" + FreePort.find() + " disabled",
                "    server s2 127.0.0.1:" + FreePort.find() + " disabled",
                "    server s3 127.0.0.1:" + FreePort.find() + " disabled",
                "");
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), config);
        haproxies.add(HaproxyProcess.start(cfg, dir.resolve("haproxy.pid")));
        lastUnixSocket = stats;
        lastTcpPort = tcp;
        return address(stats, tcp);
    }

    /** "show servers state" reply: version line, "# col col ..." header, one row per server. */
    protected static Map<String, Map<String, String>> serverStates(String reply) {
        List<String> lines = reply.lines().toList();
        assertThat(lines.get(0)).isEqualTo("1");
        List<String> columns = Arrays.asList(lines.get(1).substring(2).split(" "));
        Map<String, Map<String, String>> servers = new LinkedHashMap<>();
        for (String row : lines.subList(2, lines.size())) {
            String[] values = row.split(" ");
            assertThat(values).hasSameSizeAs(columns);
            Map<String, String> server = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                server.put(columns.get(i), values[i]);
            }
            servers.put(server.get("srv_name"), server);
        }
        return servers;
    }
}
