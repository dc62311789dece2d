package io.ep2camel;

import io.ep2camel.config.Ep2ConfigLoader;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The controller end to end: file orchestrator → pipeline → real HAProxy, update_by_config. */
class ControllerE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;
    private Ep2Application app;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(3);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (app != null) {
            app.stop();
        }
        servers.close();
        fx.close();
    }

    private void startController() throws Exception {
        RouteLocator routes = RouteLocator.detect(Optional.empty());
        app = new Ep2Application(new Ep2ConfigLoader(routes.orchestrators()).load(fx.conf), routes);
        app.start();
    }

    /** The set of backend names HAProxy answered with over {@code n} requests. */
    private Set<String> served(int n) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            seen.add(Http.tryGet(fx.frontendPort));
        }
        return seen;
    }

    private void awaitServed(String... names) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> served(4 * names.length).equals(Set.of(names)));
    }

    @Test
    void bootstrapStartsHaproxyAndTrafficFollowsTheFile() throws Exception {
        fx.backends(List.of(servers.port(0), servers.port(1)));
        startController();

        awaitServed("b1", "b2");
        assertThat(fx.haproxy().isAlive()).isTrue();
        assertThat(fx.config()).contains("server srv_127.0.0.1_" + servers.port(0) + " 127.0.0.1:" + servers.port(0) + " check");

        fx.backends(List.of(servers.port(0), servers.port(1), servers.port(2)));   // scale out
        awaitServed("b1", "b2", "b3");
        fx.backends(List.of(servers.port(2)));                                     // scale in
        awaitServed("b3");
    }

    @Test
    void aToBToAReappliesA() throws Exception {
        fx.backends(List.of(servers.port(0)));
        startController();
        awaitServed("b1");
        fx.backends(List.of(servers.port(1)));
        awaitServed("b2");
        fx.backends(List.of(servers.port(0)));
        awaitServed("b1");
        assertThat(app.applied().current().orElseThrow().backends()).singleElement()
                .satisfies(b -> assertThat(b.port()).isEqualTo(servers.port(0)));
    }

    @Test
    void brokenTemplateLeavesTheOldConfigServingAndIsRetried() throws Exception {
        fx.backends(List.of(servers.port(0)));
        startController();
        awaitServed("b1");
        String before = fx.config();

        fx.writeTemplate("    {% if %}{{nodes}}");                 // Jinja syntax error
        fx.backends(List.of(servers.port(1)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> served(3).equals(Set.of("b1")) && fx.config().equals(before));

        fx.writeTemplate("    {{nodes}}");                         // fixed: the pending change goes through
        awaitServed("b2");
    }

    @Test
    void configRejectedByHaproxyIsRolledBackAndRetried() throws Exception {
        fx.backends(List.of(servers.port(0)));
        startController();
        awaitServed("b1");
        String before = fx.config();

        fx.writeTemplate("    no_such_keyword 42\n    {{nodes}}");   // renders, but haproxy -c says no
        fx.backends(List.of(servers.port(1)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> served(3).equals(Set.of("b1")) && fx.config().equals(before));
        assertThat(Files.readString(fx.logFile)).contains("no_such_keyword");
        assertThat(fx.haproxyCfg.resolveSibling("haproxy.cfg.ep2-new")).doesNotExist();

        fx.writeTemplate("    {{nodes}}");
        awaitServed("b2");
    }

    @Test
    void noFailedRequestAcrossTenBinaryReloads() throws Exception {
        fx.backends(List.of(servers.port(0), servers.port(1)));
        startController();
        awaitServed("b1", "b2");
        long firstMaster = fx.haproxy().masterPid();

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread load = new Thread(() -> {
            while (running.get()) {
                String r = Http.tryGet(fx.frontendPort);
                if (r.startsWith("ERR")) {
                    failures.add(r);
                } else {
                    ok.incrementAndGet();
                }
            }
        });
        load.start();
        try {
            for (int i = 0; i < 10; i++) {
                // alternate 2 and 3 backends: every change is a reload
                fx.backends(i % 2 == 0 ? List.of(servers.port(0), servers.port(1), servers.port(2))
                        : List.of(servers.port(0), servers.port(1)));
                String expected = i % 2 == 0 ? servers.port(2) + "" : null;
                await().atMost(Duration.ofSeconds(10)).until(() -> expected == null
                        ? !fx.config().contains("127.0.0.1:" + servers.port(2))
                        : fx.config().contains("127.0.0.1:" + expected));
            }
            awaitServed("b1", "b2");
        } finally {
            running.set(false);
            load.join();
        }
        assertThat(fx.haproxy().masterPid()).isNotEqualTo(firstMaster);
        assertThat(ok.get()).isGreaterThan(50);
        assertThat(failures).isEmpty();
    }
}
