package io.ep2camel;

import io.ep2camel.observe.PoolStatus;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What operators see: JMX, Jolokia over HTTP, health checks and Prometheus metrics of a running controller. */
class ObserveE2ETest {
    private final HttpClient http = HttpClient.newHttpClient();
    private Ep2Fixture fx;
    private HttpBackends servers;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(2);
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        await().atMost(Duration.ofSeconds(15)).until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.observePort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The state ("UP"/"DOWN") of one check in /observe/health?data=true. */
    private String checkState(String id) throws Exception {
        String body = get("/observe/health?data=true").body();
        Matcher m = Pattern.compile("\"name\":\\s*\"" + id + "\",\\s*\"status\":\\s*\"(UP|DOWN)\"").matcher(body);
        return m.find() ? m.group(1) : "missing in " + body;
    }

    private double metric(String name, String labelFragment) throws Exception {
        for (String line : get("/observe/metrics").body().lines().toList()) {
            if (line.startsWith(name + "{") && line.contains(labelFragment)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void poolStateIsReadableOverJmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName pool = PoolStatus.objectName("be_app");
        // HAProxy may answer a moment before the controller has recorded the apply
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat((String[]) server.getAttribute(pool, "Backends")).containsExactly("127.0.0.1:" + servers.port(0)));
        assertThat(server.getAttribute(pool, "OrchestratorReachable")).isEqualTo(true);
        assertThat(server.getAttribute(pool, "UpdateType")).isEqualTo("update_by_config");
        assertThat(server.queryNames(new ObjectName("org.apache.camel:context=ep2-camel,type=routes,name=\"ep2-poll\""), null))
                .hasSize(1);
    }

    /** Camel's MBeans of one type in this controller's context. */
    private static Set<ObjectName> camelMBeans(String type) throws Exception {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("org.apache.camel:context=ep2-camel,type=" + type + ",*"), null);
    }

    @Test
    void camelRegistersTheMBeansAConsoleReadsNotOnePerProducerOrService() throws Exception {
        assertThat(camelMBeans("routes")).isNotEmpty();
        assertThat(camelMBeans("consumers")).isNotEmpty();
        assertThat(camelMBeans("components")).isNotEmpty();
        assertThat(camelMBeans("endpoints")).extracting(n -> n.getKeyProperty("name"))
                .anyMatch(name -> name.startsWith("\"haproxy-socket:"));
        assertThat(camelMBeans("producers")).isEmpty();
        assertThat(camelMBeans("threadpools")).isEmpty();
        assertThat(camelMBeans("eventnotifiers")).isEmpty();
    }

    @Test
    void jolokiaReadsACamelRouteMBeanOverHttp() throws Exception {
        HttpResponse<String> r = get("/observe/jolokia/read/org.apache.camel:context=ep2-camel,type=routes,name=%22ep2-poll%22/State");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"value\":\"Started\"").contains("\"status\":200");
    }

    @Test
    void healthFlipsWhenTheOrchestratorOrHaproxyGoesAway() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> checkState("ep2-orchestrator").equals("UP")
                && checkState("ep2-haproxy").equals("UP") && checkState("ep2-last-apply").equals("UP"));
        assertThat(get("/observe/health/ready").statusCode()).isEqualTo(200);

        Files.delete(fx.backendsFile);                       // the orchestrator fails from now on
        await().atMost(Duration.ofSeconds(10)).until(() -> checkState("ep2-orchestrator").equals("DOWN"));
        assertThat(get("/observe/health/ready").statusCode()).isEqualTo(503);
        fx.haproxy().stop();                                 // and the stats socket goes away
        await().atMost(Duration.ofSeconds(10)).until(() -> checkState("ep2-haproxy").equals("DOWN"));
        assertThat(get("/observe/health/live").statusCode()).as("liveness does not depend on either").isEqualTo(200);

        fx.backends(List.of(servers.port(0)));               // back: HAProxy restarted, all ready again
        await().atMost(Duration.ofSeconds(20)).until(() -> checkState("ep2-orchestrator").equals("UP")
                && checkState("ep2-haproxy").equals("UP"));
    }

    @Test
    void metricsScrapeShowsTheCountersMoving() throws Exception {
        double applies = metric("ep2_applies_total", "kind=\"reload\"");
        assertThat(applies).isGreaterThanOrEqualTo(1);
        assertThat(metric("ep2_backends_live", "pool=\"be_app\"")).isEqualTo(1);

        fx.backends(List.of(servers.port(0), servers.port(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("ep2_applies_total", "kind=\"reload\"") > applies
                && metric("ep2_backends_live", "pool=\"be_app\"") == 2);
        assertThat(metric("ep2_fetch_seconds_count", "pool=\"be_app\"")).isGreaterThan(1);

        Files.delete(fx.backendsFile);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("ep2_fetch_failures_total", "pool=\"be_app\"") >= 1);
    }
}
