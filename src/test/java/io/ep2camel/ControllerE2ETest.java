package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The controller end to end: file orchestrator → pipeline → real HAProxy, update_by_config. */
class ControllerE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(3);
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    @Test
    void bootstrapStartsHaproxyAndTrafficFollowsTheFile() throws Exception {
        fx.backends(List.of(servers.port(0), servers.port(1)));
        fx.startController();

        fx.awaitServed("b1", "b2");
        assertThat(fx.haproxy().isAlive()).isTrue();
        assertThat(fx.config()).contains("server srv_127.0.0.1_" + servers.port(0) + " 127.0.0.1:" + servers.port(0) + " check");

        fx.backends(List.of(servers.port(0), servers.port(1), servers.port(2)));   // scale out
        fx.awaitServed("b1", "b2", "b3");
        fx.backends(List.of(servers.port(2)));                                     // scale in
        fx.awaitServed("b3");
    }

    @Test
    void aToBToAReappliesA() throws Exception {
        fx.backends(List.of(servers.port(0)));
        Ep2Application app = fx.startController();
        fx.awaitServed("b1");
        fx.backends(List.of(servers.port(1)));
        fx.awaitServed("b2");
        fx.backends(List.of(servers.port(0)));
        fx.awaitServed("b1");
        // the new workers may serve before the controller has recorded the round as applied
        await().atMost(Duration.ofSeconds(10)).until(() -> app.applied().current().orElseThrow().backends().size() == 1
                && app.applied().current().orElseThrow().backends().get(0).port() == servers.port(0));
    }

    @Test
    void brokenTemplateLeavesTheOldConfigServingAndIsRetried() throws Exception {
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        fx.awaitServed("b1");
        String before = fx.config();

        fx.writeTemplate("    {% if %}{{nodes}}");                 // Jinja syntax error
        fx.backends(List.of(servers.port(1)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> fx.served(3).equals(Set.of("b1")) && fx.config().equals(before));

        fx.writeTemplate("    {{nodes}}");                         // fixed: the pending change goes through
        fx.awaitServed("b2");
    }

    @Test
    void configRejectedByHaproxyIsRolledBackAndRetried() throws Exception {
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        fx.awaitServed("b1");
        String before = fx.config();

        fx.writeTemplate("    no_such_keyword 42\n    {{nodes}}");   // renders, but haproxy -c says no
        fx.backends(List.of(servers.port(1)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> fx.served(3).equals(Set.of("b1")) && fx.config().equals(before));
        assertThat(Files.readString(fx.logFile)).contains("no_such_keyword");
        assertThat(fx.haproxyCfg.resolveSibling("haproxy.cfg.ep2-new")).doesNotExist();

        fx.writeTemplate("    {{nodes}}");
        fx.awaitServed("b2");
    }

    @Test
    void noFailedRequestAcrossTenBinaryReloadsThroughTheMasterCli() throws Exception {
        fx.backends(List.of(servers.port(0), servers.port(1)));
        fx.startController();
        fx.awaitServed("b1", "b2");
        long firstMaster = fx.haproxy().masterPid();

        RequestLoop load = RequestLoop.start(fx.frontendPort);
        try (load) {
            for (int i = 0; i < 10; i++) {
                // alternate 2 and 3 backends: every change is a reload
                fx.backends(i % 2 == 0 ? List.of(servers.port(0), servers.port(1), servers.port(2))
                        : List.of(servers.port(0), servers.port(1)));
                String expected = i % 2 == 0 ? servers.port(2) + "" : null;
                await().atMost(Duration.ofSeconds(10)).until(() -> expected == null
                        ? !fx.config().contains("127.0.0.1:" + servers.port(2))
                        : fx.config().contains("127.0.0.1:" + expected));
            }
            fx.awaitServed("b1", "b2");
        }
        // reloaded through the master CLI (-S): the same master, new workers each time
        assertThat(fx.haproxy().masterPid()).isEqualTo(firstMaster);
        // the new workers may serve before the reload's log line is written
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log()
                .matches("(?s)(.*HAProxy reloaded through the master CLI: master " + firstMaster + "){10}.*"));
        assertThat(load.ok()).isGreaterThan(50);
        assertThat(load.failures()).isEmpty();
    }
}
