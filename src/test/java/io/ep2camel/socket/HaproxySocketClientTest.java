package io.ep2camel.socket;

import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client on its own: reply classification, command validation, and failures against fake sockets. */
class HaproxySocketClientTest {

    private final HaproxySocketClient client = new HaproxySocketClient(Duration.ofMillis(300));
    private Path dir;

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    /** Error replies as HAProxy 2.6.12 printed them on its stats socket. */
    @ParameterizedTest
    @ValueSource(strings = {
            "No such server.",
            "No such backend.",
            "Unknown command, but maybe one of the following ones is a better match:\n  add acl [@<ver>] <acl> <pattern>",
            "Unknown command. Please enter one of the following commands only:\n  abort ssl ca-file <cafile>",
            "Invalid addr 'notanip' by 'stats socket command'",
            "Require 'backend/server'.",
            "Can't find backend.",
            "Permission denied",
            "'set server <srv> state' expects 'ready', 'drain' and 'maint'.",
            "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send",
            "set server <b>/<s> addr requires an address and optionally a port.",
            "set server <b>/<s> fqdn failed because no resolution is configured.",
            "Empty weight string empty or preceded by garbage",
            "maxconn string empty or preceded by garbage",
            "Only servers in maintenance mode can be deleted.",
            "This command is restricted to experimental mode only.",   // 2.4/2.5 add server without experimental-mode
            "Backend must use a dynamic load balancing to support dynamic servers.",
            "Already exists a server with the same name in backend.",
            "agent checks are not enabled on this server.",
            "health checks are not enabled on this server",
            "'server' expects <name> and <addr>[:<port>] as arguments.",
            "unknown keyword 'foo'; did you mean 'tfo' maybe ?",
            "weight of server x is not within 0 and 256 (999)..",
            "unable to use be/s1 for tracking as it does not have any check nor agent enabled.",
            "no need to change the addr, problem converting port 'abc' to an int by 'stats socket command'",
            "Health check was not configured on this server, cannot enable.",   // enable health, server without check
            "no need to change the addr, can't change <port> to port map because it is incompatible with current"
                    + " health check port configuration (use 'port' statement from the 'server' directive. by 'stats socket command'",
            "[3]: No such server.",
            "[err]: No such server.",
            "[4]: Invalid addr 'x' by 'stats socket command'",
            "[info]: Unknown command, but maybe one of the following ones is a better match:"
    })
    void recognisesHaproxyErrorReplies(String reply) {
        assertThat(HaproxySocketClient.isErrorReply(reply)).isTrue();
    }

    /** Successful replies as HAProxy 2.6.12 printed them. */
    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "New server registered.",
            "Server deleted.",
            "IP changed from '127.0.0.1' to '127.0.0.2' by 'stats socket command'",
            "IP changed from '127.0.0.1' to '::1', port changed from '18232' to '1' by 'stats socket command'",
            "no need to change the addr, port changed from '18232' to '9999' by 'stats socket command'",
            "no need to change the addr, no need to change the port by 'stats socket command'",
            "1 (initial 1)",
            "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state\n3 be 1 s1 127.0.0.1 2 4",
            "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp\nfe,FRONTEND,,,0,0",
            "# name\nbe",
            "Name: HAProxy\nVersion: 2.6.12-1+deb12u3",
            "[6]: Server deleted.",
            "[4]: IP changed from '127.0.0.2' to '127.0.0.1' by 'stats socket command'"
    })
    void acceptsSuccessfulReplies(String reply) {
        assertThat(HaproxySocketClient.isErrorReply(reply)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "show info\nshow stat", "show info\r", "show info; show stat", "show\tinfo", "show info\u0000",
            "", "   ", "prompt", " quit", "set ssl cert /x.pem <<", "add map m.map <<  "
    })
    void rejectsCommandsThatWouldNotReachHaproxyAsOneCommand(String command) {
        assertThatThrownBy(() -> HaproxySocketClient.validate(command)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheRejectedCommandOnOneLine() {
        assertThatThrownBy(() -> HaproxySocketClient.validate("show info\nshow stat"))
                .hasMessageContaining("show info\\nshow stat");
    }

    @Test
    void acceptsOrdinaryCommands() {
        assertThatCode(() -> {
            HaproxySocketClient.validate("set server be/s1 addr 127.0.0.1 port 8080");
            HaproxySocketClient.validate("show servers state be");
            HaproxySocketClient.validate("set map /etc/haproxy/hosts.map example.org be_é");
        }).doesNotThrowAnyException();
    }

    @Test
    void invalidCommandFailsBeforeConnecting() {
        // the socket does not exist: reaching it would raise HaproxySocketException instead
        assertThatThrownBy(() -> client.execute(Path.of("/nonexistent/s.sock"), List.of("show info", "a;b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingSocketNamesThePath() {
        dir = TestDirs.shortTemp();
        Path socket = dir.resolve("missing.sock");

        assertThatThrownBy(() -> client.execute(socket, List.of("show info")))
                .isInstanceOf(HaproxySocketException.class)
                .hasMessageContaining(socket.toString())
                .hasMessageContaining("cannot connect");
    }

    @Test
    void socketWithoutListenerIsRefused() throws IOException {
        dir = TestDirs.shortTemp();
        Path socket = dir.resolve("stale.sock");
        // closing the listener leaves the socket file behind, as a crashed HAProxy would
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket)).close();

        assertThatThrownBy(() -> client.execute(socket, List.of("show info")))
                .isInstanceOf(HaproxySocketException.class)
                .hasMessageContaining(socket.toString())
                .hasMessageContaining("refused");
    }

    @Test
    void silentPeerTimesOut() throws IOException {
        dir = TestDirs.shortTemp();
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket)); // the backlog accepts; nobody ever answers

            assertThatThrownBy(() -> client.execute(socket, List.of("show info")))
                    .isInstanceOf(HaproxySocketException.class)
                    .hasMessageContaining(socket.toString())
                    .hasMessageContaining("no answer from HAProxy within 300 ms");
        }
    }

    @Test
    void missingRepliesAreReportedNotGuessed() throws Exception {
        dir = TestDirs.shortTemp();
        Path socket = dir.resolve("short.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            // takes the whole request, answers "prompt" and the first command only, then hangs up
            Thread peer = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    readUntilQuit(c);
                    c.write(ByteBuffer.wrap("\n> 1 (initial 1)\n\n> ".getBytes(StandardCharsets.UTF_8)));
                } catch (IOException ignored) {
                    // the assertion below reports what matters
                }
            });
            peer.start();

            assertThatThrownBy(() -> client.execute(socket, List.of("get weight be/s1", "get weight be/s2")))
                    .isInstanceOf(HaproxySocketException.class)
                    .hasMessageContaining("expected 2 replies")
                    .hasMessageContaining("got 1");
            peer.join(2000);
        }
    }

    private static void readUntilQuit(SocketChannel channel) throws IOException {
        StringBuilder request = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (!request.toString().endsWith("quit\n") && channel.read(buffer.clear()) > 0) {
            request.append(StandardCharsets.UTF_8.decode(buffer.flip()));
        }
    }

    @Test
    void errorRepliesAreListedWithTheirCommands() {
        Path socket = Path.of("/run/haproxy/admin.sock");
        List<String> commands = List.of("set server be/nosuch state ready", "show stat", "foo");
        List<String> replies = List.of("No such server.", "# pxname,svname", "Unknown command, but maybe...\n  help");

        assertThatThrownBy(() -> HaproxySocketClient.requireNoErrorReplies(socket.toString(), commands, replies))
                .isInstanceOfSatisfying(HaproxySocketException.class, e -> {
                    assertThat(e.getSocket()).isEqualTo(socket.toString());
                    assertThat(e.getFailures()).containsExactly(
                            new HaproxySocketException.FailedCommand("set server be/nosuch state ready", "No such server."),
                            new HaproxySocketException.FailedCommand("foo", "Unknown command, but maybe...\n  help"));
                    assertThat(e.getMessage()).contains("[set server be/nosuch state ready] -> No such server.",
                            "[foo] -> Unknown command, but maybe...").doesNotContain("help");
                });
    }
}
