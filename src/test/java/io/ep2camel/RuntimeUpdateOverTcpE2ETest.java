package io.ep2camel;

import io.ep2camel.testsupport.FakeSystemctl;
import io.ep2camel.testsupport.FreePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every update_by_runtime test of {@link RuntimeUpdateE2ETest} again with haproxy_socket_file a
 * TCP stats socket alone ({@code ipv4@127.0.0.1:PORT}, reached through camel-netty): scale out and
 * in without a reload, more backends than slots, drift repaired. HAProxy is started and reloaded
 * through systemd (played by {@link FakeSystemctl}): a binary reload needs a UNIX socket for -x.
 * Then what only a TCP address can get wrong.
 */
class RuntimeUpdateOverTcpE2ETest extends RuntimeUpdateE2ETest {
    private FakeSystemctl systemctl;
    private String tcp;

    @BeforeEach
    void overTcp() {
        tcp = fx.tcpStatsSocket();
        fx.set("haproxy_socket_file", tcp).set("start_by", "systemd").set("service_name", "haproxy-test");
        systemctl = FakeSystemctl.install(fx.dir, fx.haproxyCfg, fx.pidFile);
    }

    @AfterEach
    void noSystemctl() {
        FakeSystemctl.uninstall();
    }

    /**
     * A socket address where no HAProxy answers — a port nobody listens on, another loopback
     * host — is a failed apply naming the address, HAProxy keeps serving what it has, and the
     * controller does not fall back to reloading as if the backend were missing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"closed port", "wrong host"})
    void anUnreachableTcpSocketIsAFailedApplyNamingTheAddress(String what) throws Exception {
        String wrong = what.equals("closed port") ? "ipv4@127.0.0.1:" + FreePort.find() : "ipv4@127.0.0.99:" + tcp.substring(tcp.lastIndexOf(':') + 1);
        fx.set("haproxy_socket_file", wrong);
        fx.backends(List.of(servers.port(0)));
        fx.startController();

        // not running: started from the config, no socket needed; then every round asks the socket
        fx.awaitServed("b1");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().contains(wrong + ": cannot connect: Connection refused"));
        fx.backends(List.of(servers.port(0), servers.port(1)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> fx.served(6).equals(java.util.Set.of("b1")));

        assertThat(fx.log()).contains("update_by_runtime failed").doesNotContain("lacks a pool's backend");
        assertThat(systemctl.calls()).contains("start haproxy-test").doesNotContain("reload haproxy-test");
        // readiness says so too, naming the address
        await().atMost(Duration.ofSeconds(10)).until(() -> health().contains(wrong + ": cannot connect"));
        assertThat(haproxyCheck()).isEqualTo("DOWN");
    }

    @Test
    void theHaproxyHealthCheckAsksTheTcpSocket() throws Exception {
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        fx.awaitServed("b1");

        await().atMost(Duration.ofSeconds(10)).until(() -> haproxyCheck().equals("UP"));
        assertThat(health()).contains("haproxy-socket:" + tcp);
    }

    private String health() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + fx.observePort + "/observe/health?data=true")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private String haproxyCheck() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\"name\":\\s*\"ep2-haproxy\",\\s*\"status\":\\s*\"(UP|DOWN)\"").matcher(health());
        return m.find() ? m.group(1) : "missing";
    }
}
