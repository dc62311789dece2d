package io.ep2camel.observe;

import io.ep2camel.testsupport.TestDirs;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The /observe HTTP server on its own (the controller-level behaviour, Jolokia's policy included,
 * is ObserveE2ETest's and JolokiaAccessE2ETest's): what it answers for paths, methods, bodies and
 * logins outside what a client should send, and a taken port.
 */
class ObserveServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private CamelContext context;
    private ObserveServer server;
    private Path dir;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
        if (dir != null) {
            TestDirs.deleteQuietly(dir);
        }
    }

    private void start(Optional<Path> credentials) throws Exception {
        context = new DefaultCamelContext();
        server = new ObserveServer(new InetSocketAddress("127.0.0.1", 0), credentials, false, meters);
        context.addService(server, true, true);
        context.start();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** The MBeans Jolokia registers for itself (its config, its server handler) in this JVM. */
    private static int jolokiaMBeans() throws Exception {
        return ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("jolokia:*"), null).size();
    }

    @Test
    void jolokiaStartsOnItsFirstRequestNotWithTheServerAndStopsWithIt() throws Exception {
        int before = jolokiaMBeans();
        start(Optional.empty());
        send(to("/observe/health"));
        assertThat(jolokiaMBeans()).as("Jolokia before any request to it").isEqualTo(before);

        HttpResponse<String> version = send(to("/observe/jolokia/version"));
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(version.body()).contains("\"agent\"");
        assertThat(jolokiaMBeans()).as("Jolokia after its first request").isGreaterThan(before);

        context.stop();
        assertThat(jolokiaMBeans()).as("Jolokia after the server stopped").isEqualTo(before);
    }

    @Test
    void healthMetricsAndJolokiaAnswerTheirPathsOnly() throws Exception {
        meters.counter("ep2_test_total").increment();
        start(Optional.empty());

        HttpResponse<String> health = send(to("/observe/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(health.body()).contains("\"status\": \"UP\"");
        assertThat(send(to("/observe/health/live")).statusCode()).isEqualTo(200);
        assertThat(send(to("/observe/metrics")).body()).contains("ep2_test_total 1.0");
        assertThat(send(to("/observe/jolokia/version")).body()).contains("\"status\":200").contains("\"agent\"");

        assertThat(send(to("/observe/healthz")).statusCode()).isEqualTo(404);
        assertThat(send(to("/observe/metrics/x")).statusCode()).isEqualTo(404);
        assertThat(send(to("/observe/health").POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(405);
        assertThat(send(to("/observe/jolokia/").DELETE()).statusCode()).isEqualTo(405);
    }

    @Test
    void aJolokiaBodyOverTheLimitIsRefusedUnread() throws Exception {
        start(Optional.empty());
        String big = "{\"type\":\"version\",\"pad\":\"" + "x".repeat(ObserveJolokia.MAX_BODY_BYTES) + "\"}";

        HttpResponse<String> r = send(to("/observe/jolokia/").POST(HttpRequest.BodyPublishers.ofString(big)));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(send(to("/observe/jolokia/").POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")))
                .body()).contains("\"status\":200");
    }

    @Test
    void withACredentialsFileJolokiaNeedsAKnownUserAndHisPasswordWhileHealthStaysOpen() throws Exception {
        dir = TestDirs.shortTemp();
        Path users = dir.resolve("users");
        Files.writeString(users, "# operators\nuser.ops = s3cret-ops,admin\nuser.view = v1ew\n");
        start(Optional.of(users));
        HttpRequest.Builder version = to("/observe/jolokia/version");

        assertThat(send(version).statusCode()).isEqualTo(401);
        assertThat(send(to("/observe/jolokia/version").header("Authorization", basic("ops:wrong"))).statusCode()).isEqualTo(401);
        assertThat(send(to("/observe/jolokia/version").header("Authorization", basic("nobody:s3cret-ops"))).statusCode())
                .isEqualTo(401);
        assertThat(send(to("/observe/jolokia/version").header("Authorization", basic("ops:s3cret-ops,admin"))).statusCode())
                .as("what follows the comma is a role list, not the password").isEqualTo(401);
        assertThat(send(to("/observe/jolokia/version").header("Authorization", basic("ops:s3cret-ops"))).body())
                .contains("\"status\":200");
        assertThat(send(to("/observe/jolokia/version").header("Authorization", basic("view:v1ew"))).statusCode()).isEqualTo(200);
        assertThat(send(to("/observe/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void aCredentialsFileWithoutUsersIsAnErrorNamingIt() throws Exception {
        dir = TestDirs.shortTemp();
        Path users = dir.resolve("users");
        Files.writeString(users, "ops = s3cret\n");

        assertThatThrownBy(() -> ObserveUsers.read(users)).isInstanceOf(IOException.class)
                .hasMessageContaining(users.toString()).hasMessageContaining("user.NAME = PASSWORD");
    }

    @Test
    void aBadCredentialsFileStopsTheStartBeforeThePortIsBound() throws Exception {
        dir = TestDirs.shortTemp();
        Path users = dir.resolve("users");
        Files.writeString(users, "\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        ObserveServer bad = new ObserveServer(new InetSocketAddress("127.0.0.1", port), Optional.of(users), false, meters);

        assertThatThrownBy(bad::start).hasRootCauseInstanceOf(IOException.class);
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).as("the port was left free").isEqualTo(port);
        }
    }

    @Test
    void anAddressThatCannotBeBoundIsAnErrorNamingTheKeys() {
        ObserveServer unresolved = new ObserveServer(InetSocketAddress.createUnresolved("ep2-no-such-host.invalid", 0),
                Optional.empty(), false, meters);

        assertThatThrownBy(unresolved::start).cause().isInstanceOf(IOException.class)
                .hasMessageContaining("observe_host/observe_port ep2-no-such-host.invalid:0").hasMessageContaining("Unresolved address");
    }

    @Test
    void aTakenPortIsAnErrorNamingTheKeysAndTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ObserveServer other = new ObserveServer(new InetSocketAddress("127.0.0.1", taken.getLocalPort()),
                    Optional.empty(), false, meters);

            assertThatThrownBy(other::start).hasRootCauseInstanceOf(BindException.class)
                    .rootCause().hasMessageContaining("observe_host/observe_port 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
