package io.ep2camel;

import com.sun.net.httpserver.HttpServer;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Orchestrators written only in YAML: the shipped http-json route, and one dropped into a routes directory. */
class YamlOrchestratorsE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;
    private HttpServer api;
    private final AtomicReference<String> apiAnswer = new AtomicReference<>("{}");
    private final AtomicReference<Integer> apiStatus = new AtomicReference<>(200);

    @BeforeEach
    void setUp() throws Exception {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(3);
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        api.createContext("/v1/pool", ex -> {
            byte[] body = apiAnswer.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(apiStatus.get(), body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        api.start();
    }

    @AfterEach
    void tearDown() {
        api.stop(0);
        servers.close();
        fx.close();
    }


    /** orchestrator = http-json on this test's API, its fields named ip/listen/w, entries chosen by JSONPath. */
    private void httpJson(String entries) {
        fx.set("orchestrator", "http-json");
        fx.section("FILE").clear();
        fx.section("http-json").put("url", "http://127.0.0.1:" + api.getAddress().getPort() + "/v1/pool");
        fx.section("http-json").put("entries", entries);
        fx.section("http-json").put("host_key", "ip");
        fx.section("http-json").put("port_key", "listen");
        fx.section("http-json").put("weight_key", "w");
        fx.writeConf();
    }

    private String entry(int index, String state) {
        return "{\"ip\":\"127.0.0.1\",\"listen\":" + servers.port(index) + ",\"state\":\"" + state + "\",\"w\":" + (index + 1) + "}";
    }

    @Test
    void httpJsonRouteMapsAnyJsonApiWithJsonPathFromTheConfig() throws Exception {
        apiAnswer.set("{\"servers\":[" + entry(0, "up") + "," + entry(1, "down") + "]}");
        httpJson("$.servers[?(@.state =~ /up/)]");
        Ep2Application app = fx.startController();

        await().atMost(Duration.ofSeconds(15)).until(() -> fx.served(4).equals(Set.of("b1")));
        apiAnswer.set("{\"servers\":[" + entry(0, "up") + "," + entry(1, "up") + "," + entry(2, "up") + "]}");
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.served(9).equals(Set.of("b1", "b2", "b3")));
        assertThat(fx.config()).contains("127.0.0.1:" + servers.port(2) + " check weight 3");

        apiStatus.set(500);                          // the API fails: the backends stay
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> fx.served(6).equals(Set.of("b1", "b2", "b3")));
        assertThat(app.context().getRegistry().lookupByNameAndType("fetchHealth",
                io.ep2camel.pool.FetchHealth.class).reachable()).isFalse();
    }

    /** --dry-run reads the answer as a round does: the key-name headers the http-json route sets count. */
    @Test
    void dryRunReadsTheHttpJsonAnswerThroughTheSamePathAsARound() throws Exception {
        apiAnswer.set("{\"servers\":[" + entry(0, "up") + "," + entry(1, "up") + "]}");
        httpJson("$.servers[*]");
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Ep2Main.run(new String[]{"-f", fx.conf.toString(), "--dry-run"})).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("# orchestrator http-json: 2 backends")
                .contains("127.0.0.1:" + servers.port(0) + " check weight 1")
                .contains("127.0.0.1:" + servers.port(1) + " check weight 2");
        assertThat(fx.haproxyCfg).doesNotExist();
    }

    @Test
    void anOrchestratorIsAddedByDroppingOneYamlFileIntoTheRoutesDirectory() throws Exception {
        Path routesDir = Files.createDirectories(fx.dir.resolve("routes"));
        // a "static" orchestrator: its list comes from its own ep2.conf section, as JSON
        Files.writeString(routesDir.resolve("static.camel.yaml"), """
                - route:
                    id: ep2-fetch-static
                    from:
                      uri: direct:ep2-fetch-static
                      steps:
                        - setBody:
                            simple: "{{ep2.static.servers}}"
                        - unmarshal:
                            json: {}
                """);
        fx.set("orchestrator", "static");
        fx.section("FILE").clear();
        fx.section("static").put("servers", "[\"127.0.0.1:" + servers.port(1) + "\", \"127.0.0.1:" + servers.port(2) + "\"]");
        fx.writeConf();
        fx.startController(Optional.of(routesDir));

        await().atMost(Duration.ofSeconds(15)).until(() -> fx.served(8).equals(Set.of("b2", "b3")));
    }

    /** An orchestrator written the shortest way an operator would: a comma list split into a String[]. */
    @Test
    void theShortestOrchestratorAnOperatorWouldWriteIsTaken() throws Exception {
        Path routesDir = Files.createDirectories(fx.dir.resolve("routes"));
        Files.writeString(routesDir.resolve("short.camel.yaml"), """
                - route:
                    from:
                      uri: direct:ep2-fetch-short
                      steps:
                        - setBody:
                            simple: "{{ep2.short.servers}}"
                        - setBody:
                            simple: "${body.split(',')}"
                """);
        fx.set("orchestrator", "short");
        fx.section("FILE").clear();
        fx.section("short").put("servers", "127.0.0.1:" + servers.port(0) + ",127.0.0.1:" + servers.port(2));
        fx.writeConf();
        fx.startController(Optional.of(routesDir));

        await().atMost(Duration.ofSeconds(15)).until(() -> fx.served(8).equals(Set.of("b1", "b3")));
    }

    @Test
    void aRouteHandingOverSomethingElseIsRefusedByNameAndNothingIsApplied() throws Exception {
        Path routesDir = Files.createDirectories(fx.dir.resolve("routes"));
        Files.writeString(routesDir.resolve("broken.camel.yaml"), """
                - route:
                    id: ep2-fetch-broken
                    from:
                      uri: direct:ep2-fetch-broken
                      steps:
                        - setBody:
                            simple: "${date:now}"
                """);
        fx.set("orchestrator", "broken");
        fx.section("FILE").clear();
        fx.writeConf();
        fx.startController(Optional.of(routesDir));

        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().contains("orchestrator route 'direct:ep2-fetch-broken' handed over a Date"));
        assertThat(fx.haproxyCfg).doesNotExist();
    }

    @Test
    void aPlainRouteServesTheHaproxyPoolOnlyAndAPoolOfItIsRefusedByName() throws Exception {
        Path routesDir = Files.createDirectories(fx.dir.resolve("routes"));
        Files.writeString(routesDir.resolve("static.camel.yaml"), """
                - route:
                    id: ep2-fetch-static
                    from:
                      uri: direct:ep2-fetch-static
                      steps:
                        - setBody:
                            constant: "[]"
                """);
        fx.write(fx.template, fx.templateText("    {{nodes}}") + "\nbackend api\n    {{ pools.api.nodes }}\n");
        fx.section("pool:api").put("orchestrator", "static");
        fx.writeConf();
        assertThatThrownBy(() -> fx.startController(Optional.of(routesDir)))
                .hasStackTraceContaining("[pool:api]: routes/static.camel.yaml has plain routes only")
                .hasStackTraceContaining("write them as routeTemplate");
        assertThat(fx.haproxyCfg).doesNotExist();
    }
}
