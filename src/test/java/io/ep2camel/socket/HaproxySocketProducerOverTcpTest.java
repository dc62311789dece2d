package io.ep2camel.socket;

import io.ep2camel.testsupport.FreePort;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every test of {@link HaproxySocketProducerTest} again, over HAProxy's TCP stats socket
 * ({@code stats socket ipv4@127.0.0.1:PORT level admin}) through camel-netty: the same replies,
 * the same framing, the same error replies raised, the same timeouts. Then what only TCP has.
 */
class HaproxySocketProducerOverTcpTest extends HaproxySocketProducerTest {

    @Override
    protected String address(Path unixSocket, int tcpPort) {
        return "ipv4@127.0.0.1:" + tcpPort;
    }

    /** A loopback port nobody listens on: the connection is refused. */
    @Override
    protected String unreachable() {
        return "ipv4@127.0.0.1:" + FreePort.find();
    }

    @Test
    void aMixedListOfOneHaproxysUnixAndTcpSocketsGetsEveryBatchOnBoth() {
        String unix = lastUnixSocket.toString();
        Exchange exchange = template.request(uri(unix + "," + socket), e -> e.getMessage().setBody(
                List.of("set server be/s1 weight 7", "get weight be/s1")));

        assertThat(exchange.getException()).isNull();
        // the same process answered both: its second batch saw the weight the first one set
        assertThat(exchange.getMessage().getHeader(HaproxySocketConstants.REPLIES, Map.class)).isEqualTo(Map.of(
                unix, List.of("", "7 (initial 1)"),
                socket, List.of("", "7 (initial 1)")));
    }

    @Test
    void aListenerThatNeverAnswersTimesOutNamingTheAddress() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(silent.accept());      // take the connection, never say anything
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            String quiet = "ipv4@127.0.0.1:" + silent.getLocalPort();
            long started = System.nanoTime();

            CamelExecutionException e = catchThrowableOfType(CamelExecutionException.class,
                    () -> template.requestBody(uri(quiet) + "?timeout=500", "show info"));

            assertThat(e.getCause()).isInstanceOf(HaproxySocketException.class)
                    .hasMessage(quiet + ": no answer from HAProxy within 500 ms");
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(400L, 10_000L);
            acceptor.join(5000);
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void ipv6AddressesReachHaproxyToo() throws Exception {
        Path dir = io.ep2camel.testsupport.TestDirs.shortTemp();
        int port = FreePort.find();
        java.nio.file.Files.writeString(dir.resolve("h.cfg"), "global\n    stats socket ipv6@[::1]:" + port + " level admin\n");
        io.ep2camel.testsupport.HaproxyProcess v6 = io.ep2camel.testsupport.HaproxyProcess.start(dir.resolve("h.cfg"), dir.resolve("h.pid"));
        try {
            assertThat(template.requestBody(uri("ipv6@[::1]:" + port), "show info", String.class)).contains("Name: HAProxy");
        } finally {
            v6.stop();
            io.ep2camel.testsupport.TestDirs.deleteQuietly(dir);
        }
    }

    @Test
    void eachBatchIsItsOwnConnectionClosedAfterwards() {
        for (int i = 0; i < 20; i++) {
            assertThat(template.requestBody(uri(socket), "get weight be/s2", String.class)).isEqualTo("1 (initial 1)");
        }
        // HAProxy counts the CLI sessions open right now: only the one asking
        String sessions = template.requestBody(uri(socket), "show sess", String.class);
        assertThat(sessions.lines().filter(l -> l.contains("fe=GLOBAL"))).hasSize(1);
    }
}
