package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
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
 * A new server is checked at once, not one check interval later, in both update types, real
 * HAProxy: inter and downinter are 20 s here, so a server served within seconds of its arrival can
 * only have been checked at once (max_spread_checks, default 20 ms, caps the first check's wait
 * after an add server or a reload; without it HAProxy waits up to downinter after an add and
 * spreads first checks over inter after a reload).
 */
class FirstCheckE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        fx.set("check_interval", "20s").set("down_check_interval", "20s").set("node_slots", "2");
        fx.write(fx.template, fx.templateText("    {{nodes}}")
                .replace("    balance roundrobin\n", "    balance roundrobin\n    default-server rise 1\n"));
        servers = HttpBackends.start(2);
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_runtime", "update_by_config"})
    void aNewServerIsServedWithinSecondsThoughItsChecksAreTwentySecondsApart(String updateType) throws Exception {
        // the new server has the higher port, so it is the last server line: after a reload HAProxy
        // would first check it half an inter (10 s) after the first one, were the spread not capped
        int old = servers.port(0) < servers.port(1) ? 0 : 1;
        int added = 1 - old;
        fx.set("update_type", updateType).writeConf();
        fx.backends(List.of(servers.port(old)));
        fx.startController();
        fx.awaitServed("b" + (old + 1));
        assertThat(fx.config()).contains("    max-spread-checks 20ms\n");

        fx.backends(List.of(servers.port(old), servers.port(added)));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> fx.served(8).equals(Set.of("b1", "b2")));
    }
}
