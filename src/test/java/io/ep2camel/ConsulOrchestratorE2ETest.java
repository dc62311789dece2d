package io.ep2camel;

import io.ep2camel.config.Ep2ConfigLoader;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.testsupport.ConsulDouble.Failure;
import io.ep2camel.testsupport.ConsulDouble.Instance;
import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.JmxText;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.ep2camel.testsupport.ConsulDouble.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * orchestrator = consul end to end: camel-consul and consul-client against the Consul HTTP API
 * double, the pipeline, and a real HAProxy in front of one HTTP server per instance (b1..b4, all
 * on 127.0.0.1, each on its own port).
 */
class ConsulOrchestratorE2ETest {
    private static final String TOKEN = "6a1f0c2e-7d3b-4e8a-9c55-e2e0acl70ken";

    private Ep2Fixture fx;
    private HttpBackends servers;
    private ConsulDouble consul;
    private Ep2Application app;

    @BeforeEach
    void setUp() {
        servers = HttpBackends.start(4);
        consul = ConsulDouble.start();
        fx = new Ep2Fixture();
        fx.set("orchestrator", "consul");
        fx.section("CONSUL").put("service_name", "web");
        fx.section("CONSUL").put("consul_ip", consul.host());
        fx.section("CONSUL").put("consul_port", Integer.toString(consul.port()));
        fx.section("CONSUL").put("wait", "2");
        fx.writeConf();
    }

    @AfterEach
    void tearDown() {
        fx.close();
        consul.close();
        servers.close();
    }

    /** Instance web-N, served by backend bN (127.0.0.1 on its own port). */
    private Instance web(int n) {
        return instance("web-" + n, "web").address("127.0.0.1").port(servers.port(n - 1));
    }

    private Ep2Application start() throws Exception {
        app = fx.startController();
        return app;
    }

    private FetchHealth fetchHealth() {
        return app.context().getRegistry().lookupByNameAndType("fetchHealth", FetchHealth.class);
    }

    private ServiceStatus route(String id) {
        return app.context().getRouteController().getRouteStatus(id);
    }

    private void consul(String key, String value) {
        fx.section("CONSUL").put(key, value);
        fx.writeConf();
    }

    /** A change reaches HAProxy while a blocking query is held, well before any wait runs out. */
    private void awaitServedSoon(Instant changedAt, String... names) {
        fx.awaitServed(names);
        assertThat(Duration.between(changedAt, Instant.now())).as("convergence").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void watchConvergesWithUpdateByConfig() throws Exception {
        consul("wait", "30");   // a change can only arrive this fast through the blocking query
        consul.register(web(1));
        start();
        fx.awaitServed("b1");
        assertThat(route("ep2-watch-consul")).isEqualTo(ServiceStatus.Started);
        assertThat(route("ep2-poll")).as("no poll timer besides the watch").isEqualTo(ServiceStatus.Stopped);
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);

        consul.register(web(2));
        awaitServedSoon(Instant.now(), "b1", "b2");
        assertThat(fx.config()).contains("127.0.0.1:" + servers.port(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);
        consul.deregister("web-1");
        awaitServedSoon(Instant.now(), "b2");

        List<ConsulDouble.Request> requests = consul.requests();
        assertThat(requests.get(0).blocking()).as("the first call answers at once").isFalse();
        assertThat(requests.subList(1, requests.size())).allSatisfy(r -> assertThat(r.blocking()).isTrue());
        assertThat(requests).allSatisfy(r -> assertThat(r.param("passing")).isEqualTo("true"));

        // stopping does not wait for the held blocking query (30 s): it is cancelled
        long t0 = System.nanoTime();
        fx.stopController();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(fx.log()).doesNotContain("consul watch of web failed");
    }

    @Test
    void watchConvergesWithUpdateByRuntimeWithoutReload() throws Exception {
        fx.set("update_type", "update_by_runtime").set("node_slots", "3").set("check_interval", "100");
        consul("wait", "30");
        consul.register(web(1));
        start();
        fx.awaitServed("b1");
        List<Long> master = fx.haproxy().processes();

        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);
        consul.register(web(2)).register(web(3));
        awaitServedSoon(Instant.now(), "b1", "b2", "b3");
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);
        consul.deregister("web-1").deregister("web-2");
        awaitServedSoon(Instant.now(), "b3");
        assertThat(fx.haproxy().processes()).as("no reload").isEqualTo(master);
    }

    /**
     * update_by_runtime keeps a leaving server serving while none of the wanted ones is UP; once
     * one is, the leaving one goes without a new answer — the watch is quiet (wait 30 s), so the
     * round that removes it is the pool's recheck, not the orchestrator's next answer.
     */
    @Test
    void aReplacedServerKeptServingGoesOnceItsReplacementIsUpWhileTheWatchIsQuiet() throws Exception {
        fx.set("update_type", "update_by_runtime").set("node_slots", "2")
                .set("check_interval", "1s").set("down_check_interval", "1s");
        consul("wait", "30");
        consul.register(web(1));
        start();
        fx.awaitServed("b1");

        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);
        consul.register(web(2)).deregister("web-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);
        int answers = consul.requests().size();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> fx.served(4).equals(Set.of("b2")));
        assertThat(consul.requests()).as("no new answer from the watch meanwhile").hasSize(answers);
        assertThat(fx.log()).contains("be_app: [127.0.0.1:" + servers.port(0) + "] stay in their slots");
    }

    @Test
    void tagFilterAddressAndPortFallbackAndWeights() throws Exception {
        fx.set("backend_port", Integer.toString(servers.port(3)));
        consul("tags", "web,v2");
        consul.register(web(1).tags("web", "v2", "eu"))
                .register(web(2).tags("web"))                                                 // lacks v2
                .register(web(3).address("").node("node-3", "127.0.0.1").tags("v2", "web").weight(7))
                .register(web(4).port(0).tags("web", "v2"));                                  // backend_port
        start();

        fx.awaitServed("b1", "b3", "b4");
        assertThat(fx.config())
                .contains("server srv_127.0.0.1_" + servers.port(2) + " 127.0.0.1:" + servers.port(2) + " check")
                .containsPattern("127\\.0\\.0\\.1:" + servers.port(2) + " check.* weight 7")
                .contains("127.0.0.1:" + servers.port(3) + " check")
                .doesNotContain("127.0.0.1:" + servers.port(1) + " ");
    }

    @Test
    void onlyPassingInstancesAreServed() throws Exception {
        consul.register(web(1)).register(web(2).status("critical"));
        start();
        fx.awaitServed("b1");

        consul.status("web-2", "passing");
        fx.awaitServed("b1", "b2");
        consul.status("web-1", "warning");    // Consul's passing filter wants every check passing
        fx.awaitServed("b2");
    }

    @Test
    void outagesKeepTrafficFlowingAndAreReported() throws Exception {
        consul.register(web(1)).register(web(2));
        start();
        fx.awaitServed("b1", "b2");
        await().atMost(Duration.ofSeconds(5)).until(() -> fetchHealth().reachable());

        for (Failure f : List.of(Failure.HTTP_500, Failure.MALFORMED_JSON)) {
            consul.failure(f);
            await().atMost(Duration.ofSeconds(5)).until(() -> !fetchHealth().reachable());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> fx.served(4).equals(Set.of("b1", "b2")));
            consul.failure(Failure.NONE);
            await().atMost(Duration.ofSeconds(10)).until(() -> fetchHealth().reachable());
        }
        assertThat(fetchHealth().lastError()).hasValueSatisfying(e -> assertThat(e).containsIgnoringCase("json"));

        consul.down();
        await().atMost(Duration.ofSeconds(5)).until(() -> !fetchHealth().reachable());
        Instant downSince = Instant.now();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> fx.served(4).equals(Set.of("b1", "b2")));
        assertThat(consul.requestsSince(downSince)).as("nobody answers while down").isEmpty();
        assertThat(fetchHealth().consecutiveFailures()).as("backing off: 1 s, 2 s ...").isBetween(1, 4);

        consul.deregister("web-1").up();                  // back, and it changed meanwhile
        fx.awaitServed("b2");
        assertThat(fetchHealth().reachable()).isTrue();
        assertThat(fx.log()).contains("consul watch of web failed, backends of be_app kept as they are");
    }

    @Test
    void aHungAgentIsATimeoutNotAnEmptyBackend() throws Exception {
        consul("wait", "1");   // a blocking call times out after wait + wait/16 + 2 s
        consul.register(web(1));
        start();
        fx.awaitServed("b1");
        await().atMost(Duration.ofSeconds(5)).until(() -> fetchHealth().reachable());

        consul.failure(Failure.HANG);
        await().atMost(Duration.ofSeconds(8)).until(() -> !fetchHealth().reachable());
        assertThat(fx.served(3)).containsExactly("b1");
        consul.failure(Failure.NONE).register(web(2));
        fx.awaitServed("b1", "b2");
    }

    @Test
    void anEmptyServiceIsAppliedOnlyOnceConfirmed() throws Exception {
        fx.set("empty_confirmations", "3");   // sleep_before_next_run 0.2: a confirmation round every 1 s
        consul.register(web(1));
        start();
        fx.awaitServed("b1");

        Instant gone = Instant.now();
        consul.deregisterAll();
        await().atMost(Duration.ofSeconds(3)).until(() -> fx.log().contains("orchestrator answered with no backends (1/3)"));
        assertThat(fx.served(3)).as("not yet confirmed").containsExactly("b1");
        await().atMost(Duration.ofSeconds(8)).until(() -> fx.served(2).stream().allMatch(s -> s.startsWith("ERR")));
        assertThat(Duration.between(gone, Instant.now())).as("two confirmation rounds, 1 s apart")
                .isGreaterThan(Duration.ofMillis(1500));
        assertThat(fx.log()).contains("orchestrator answered with no backends (2/3)");

        consul.register(web(2));
        fx.awaitServed("b2");
    }

    @Test
    void anIndexThatGoesBackwardsRestartsTheWatch() throws Exception {
        consul("wait", "30");
        consul.register(web(1));
        start();
        fx.awaitServed("b1");
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);

        int before = consul.requests().size();    // the held query is recorded once answered
        consul.resetIndex(3);     // a snapshot restore: the index is far below the one being waited on
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1
                && consul.requests().size() >= before + 2);
        List<ConsulDouble.Request> after = consul.requests().subList(before, before + 2);
        assertThat(after.get(0).param("index")).as("the held query").isNotNull();
        assertThat(after.get(1).param("index")).as("started over without an index").isNull();

        consul.register(web(2));
        awaitServedSoon(Instant.now(), "b1", "b2");
    }

    @Test
    void noBusyLoopWhileNothingChangesNorWithAnAgentThatDoesNotBlock() throws Exception {
        consul("wait", "1");
        consul.register(web(1));
        start();
        fx.awaitServed("b1");
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);

        Instant from = Instant.now();
        Thread.sleep(3000);
        assertThat(consul.requestsSince(from)).as("one blocking query per wait (1 s)").hasSizeBetween(2, 4);

        consul.failure(Failure.IGNORE_BLOCKING);    // answers at once with the same index
        Thread.sleep(1500);
        from = Instant.now();
        Thread.sleep(3000);
        assertThat(consul.requestsSince(from)).as("paused 1 s after each early answer, not every 50 ms")
                .hasSizeBetween(2, 4);
        assertThat(fx.served(3)).containsExactly("b1");
    }

    @Test
    void theAclTokenIsSentAndNeverShown() throws Exception {
        consul.requireToken(TOKEN).register(web(1));
        consul("acl_token", TOKEN);
        start();
        fx.awaitServed("b1");

        assertThat(consul.requests()).allSatisfy(r -> {
            assertThat(r.token()).isEqualTo(TOKEN);
            assertThat(r.query()).doesNotContainKey("token");
        });
        assertThat(app.context().getPropertiesComponent().loadProperties().values()).noneMatch(v -> v.toString().contains(TOKEN));

        consul.requireToken("the-token-was-revoked");     // 403 "ACL not found": an error, backends kept
        await().atMost(Duration.ofSeconds(8)).until(() -> !fetchHealth().reachable());
        consul.register(web(2));
        assertThat(fetchHealth().lastError()).hasValueSatisfying(e -> assertThat(e).contains("403"));
        assertThat(fx.served(4)).containsExactly("b1");
        assertThat(fx.log()).contains("403").doesNotContain(TOKEN);
        assertThat(JmxText.all()).doesNotContain(TOKEN);
    }

    @Test
    void pollModeStillWorks() throws Exception {
        consul("watch", "False");
        consul.register(web(1));
        start();
        fx.awaitServed("b1");
        assertThat(route("ep2-watch-consul")).isEqualTo(ServiceStatus.Stopped);
        assertThat(route("ep2-poll")).isEqualTo(ServiceStatus.Started);

        consul.register(web(2));
        fx.awaitServed("b1", "b2");
        assertThat(consul.requests()).allSatisfy(r -> assertThat(r.query()).doesNotContainKeys("index", "wait"));
    }

    @Test
    void dryRunFetchesOnceAndStartsNoWatch() throws Exception {
        consul.register(web(1)).register(web(2));
        RouteLocator routes = RouteLocator.detect(java.util.Optional.empty());
        Ep2Application dry = new Ep2Application(new Ep2ConfigLoader(routes.orchestrators()).load(fx.conf), routes,
                Ep2Application.Mode.DRY_RUN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dry.dryRun(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("# orchestrator consul: 2 backends")
                .contains("127.0.0.1:" + servers.port(1));
        Thread.sleep(300);
        assertThat(consul.requests()).singleElement().satisfies(r -> assertThat(r.blocking()).isFalse());
        assertThat(fx.haproxyCfg).doesNotExist();
        assertThat(Http.tryGet(fx.frontendPort)).startsWith("ERR");
    }
}
