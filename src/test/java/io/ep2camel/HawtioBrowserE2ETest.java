package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HawtioConsole;
import io.ep2camel.testsupport.HawtioProcess;
import io.ep2camel.testsupport.HeadlessChromium;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.ScreenshotOnFailure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Hawtio as an operator opens it: scripts/hawtio.sh against a running controller (real HAProxy),
 * in headless Chromium. The console connects by itself (the launcher's preset connection) and
 * shows ep2-camel's routes, a route's diagram and statistics, the haproxy-socket endpoint and
 * the pool MBean with the backend HAProxy serves. Tagged "browser": run by
 * {@code mvn -B -Phawtio test}, not by a plain build (it needs chromium and chromium-driver).
 * Everything is started once for the class; each test starts again from the console's start page.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HawtioBrowserE2ETest {
    private static final Path OUT = Path.of("target/hawtio-browser");

    private Ep2Fixture fx;
    private HttpBackends servers;
    private HawtioProcess hawtio;
    private HeadlessChromium chromium;
    private HawtioConsole console;

    @RegisterExtension
    final ScreenshotOnFailure screenshots = new ScreenshotOnFailure(OUT, () -> chromium);

    @BeforeAll
    void startControllerHawtioAndBrowser() throws Exception {
        assertThat(HeadlessChromium.installed())
                .as("%s and %s (apt-get install chromium chromium-driver)", HeadlessChromium.CHROMIUM, HeadlessChromium.CHROMEDRIVER)
                .isTrue();
        fx = new Ep2Fixture();
        servers = HttpBackends.start(1);
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        await().atMost(Duration.ofSeconds(15)).until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
        hawtio = HawtioProcess.start("http://127.0.0.1:" + fx.observePort + "/observe/jolokia", OUT.resolve("hawtio.log"));
        chromium = new HeadlessChromium();
        console = new HawtioConsole(chromium.driver);
    }

    @AfterAll
    void stopAll() {
        // each step on its own: one failing to stop must not leave the others running
        if (chromium != null) {
            chromium.close();
        }
        if (hawtio != null) {
            hawtio.close();
        }
        if (servers != null) {
            servers.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void camelTreeListsTheControllersRoutesAndItsHaproxySocketEndpoint() {
        List<String> nodes = console.open(hawtio.url("/")).treeNodesOnceShown("ep2-poll");

        assertThat(nodes).contains("ep2-camel", "ep2-poll", "ep2-push", "ep2-diff", "ep2-apply", "ep2-apply-due",
                "ep2-update-by-config", "ep2-update-by-runtime", "ep2-fetch-file");
        assertThat(nodes).as("the endpoint of HAProxy's runtime API")
                .anyMatch(n -> n.startsWith("haproxy-socket:") && n.contains(fx.socket.toString()));
    }

    @Test
    void routeShowsItsStatisticsAndItsDiagram() throws IOException {
        console.open(hawtio.url("/")).selectTreeNode("ep2-poll");

        // a route node opens on its Attributes: the route's statistics, live
        assertThat(console.attribute("RouteId")).isEqualTo("ep2-poll");
        assertThat(console.attribute("State")).isEqualTo("Started");
        String completed = console.attributeUntil("ExchangesCompleted", v -> v.matches("[1-9][0-9]*"));
        assertThat(Long.parseLong(completed)).as("ep2-poll runs every 0.2 s").isPositive();
        assertThat(console.attribute("ExchangesFailed")).isEqualTo("0");

        // the diagram comes from the route's dump operations, which the read-only policy opens
        console.navigate("Route Diagram");
        List<String> boxes = console.diagramNodes(4);
        // (each box's exchange count needs the per-step MBeans, off by default: application.properties)
        assertThat(boxes).as("the route's steps as boxes")
                .anyMatch(b -> b.contains("From timer:ep2-poll"))
                .anyMatch(b -> b.contains("To direct:ep2-diff"));
        chromium.screenshot(OUT.resolve("ep2-poll-diagram.png"));
    }

    @Test
    void poolMBeanShowsTheBackendHaproxyServes() {
        console.open(hawtio.url("/")).navigate("JMX");
        console.expandAll();
        console.selectTreeNode("be_app");   // io.ep2camel > Pool > be_app

        String backend = "127.0.0.1:" + servers.port(0);
        assertThat(console.attributeUntil("Backends", v -> v.contains(backend))).isEqualTo("[\"" + backend + "\"]");
        assertThat(console.attribute("OrchestratorReachable")).isEqualTo("true");
        assertThat(Http.tryGet(fx.frontendPort)).as("and HAProxy serves it").isEqualTo("b1");
    }

    @Test
    void hawtioListensOnLoopbackOnlyAndItsOwnJolokiaAnswersNothing() throws Exception {
        // bound to 127.0.0.1: another loopback address of this machine is refused already
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.2", hawtio.port), 2000);
            }
        }).isInstanceOf(ConnectException.class);

        // Hawtio's own Jolokia (its JVM's MBeans): no login, so nothing at all
        HttpResponse<String> own = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(hawtio.url("/hawtio/jolokia/read/java.lang:type=Runtime/SystemProperties")))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(own.body()).contains("\"status\":403").doesNotContain("java.home");
    }

    @Test
    void hawtiosProxyPassesTheOriginOnSoTheControllersOriginCheckStillApplies() throws Exception {
        // a console with no login must not let another site's page (DNS rebinding onto
        // 127.0.0.1, say) read the controller: the proxy forwards Origin, Jolokia's strict check refuses it
        assertThat(versionThroughProxy("http://127.0.0.1:" + hawtio.port)).contains("\"agent\":");
        assertThat(versionThroughProxy("http://evil.example"))
                .contains("\"status\":403").contains("Origin http://evil.example is not allowed");
    }

    private String versionThroughProxy(String origin) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(
                        hawtio.url("/hawtio/proxy/http/127.0.0.1/" + fx.observePort + "/observe/jolokia")))
                .header("Origin", origin).header("Content-Type", "text/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}"))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString()).body();
    }
}
