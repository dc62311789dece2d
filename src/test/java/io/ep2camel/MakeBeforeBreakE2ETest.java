package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pool replaced at once (the orchestrator's answer goes from {A} to {B}) drops no request, real
 * HAProxy, both update types: B starts DOWN until it has passed its checks (rise 2, the second a
 * second after the first), so A keeps serving until B is UP and only then goes (served only B
 * means A is out: it stays UP). Removing A in the round that adds B left the backend with no
 * server for that second: HTTP 503s.
 */
class MakeBeforeBreakE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        fx.set("check_interval", "1s").set("down_check_interval", "1s").set("node_slots", "2");
        servers = HttpBackends.start(2);
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_config", "update_by_runtime"})
    void aPoolReplacedAtOnceKeepsItsOldServerServingUntilTheNewOneIsUp(String updateType) throws Exception {
        fx.set("update_type", updateType).writeConf();
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        fx.awaitServed("b1");

        RequestLoop load = RequestLoop.start(fx.frontendPort);
        try {
            fx.backends(List.of(servers.port(1)));
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> fx.served(4).equals(Set.of("b2")));
        } finally {
            load.close();
        }
        assertThat(load.failures()).as("requests while the pool was replaced").isEmpty();
        assertThat(load.ok()).isPositive();
    }

    /**
     * update_by_config, a controller restarted while it kept A serving for a B that is not UP (nothing
     * listens on B's port): its first round knows no applied set, so it asks HAProxy which of its
     * servers serve, and A stays. Before, that round wrote B alone and every request failed (503).
     */
    @org.junit.jupiter.api.Test
    void aControllerRestartedWhileItKeptALeavingServerKeepsItToo() throws Exception {
        fx.set("update_type", "update_by_config").writeConf();
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        fx.awaitServed("b1");
        int notListening = io.ep2camel.testsupport.FreePort.find();
        String a = "srv_127.0.0.1_" + servers.port(0);
        String keeping = "leaving [127.0.0.1:" + servers.port(0) + "] keep serving";

        fx.backends(List.of(notListening));
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.log().contains(keeping));
        RequestLoop load = RequestLoop.start(fx.frontendPort);
        try {
            fx.stopController();
            int keptBefore = count(fx.log(), keeping);
            fx.startController();
            await().atMost(Duration.ofSeconds(15)).until(() -> count(fx.log(), keeping) > keptBefore);
            Thread.sleep(1500);                     // requests after the restarted controller's reload
            assertThat(fx.config()).as("the restarted controller's config").contains("server " + a + " ")
                    .contains("srv_127.0.0.1_" + notListening);
            assertThat(fx.served(4)).isEqualTo(Set.of("b1"));
        } finally {
            load.close();
        }
        assertThat(load.failures()).as("requests across the restart").isEmpty();
        assertThat(load.ok()).isPositive();
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
