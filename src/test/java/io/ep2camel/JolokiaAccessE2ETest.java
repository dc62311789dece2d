package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may do what through /observe/jolokia on a running controller. Loopback is not access
 * control on a shared host: by default Jolokia only reads; route control needs the operator's
 * opt-in and a login, and the JDK's diagnostic MBeans (system properties, agent loading, file
 * writes) stay closed to everyone.
 */
class JolokiaAccessE2ETest {
    private static final String ROUTE = "org.apache.camel:context=ep2-camel,type=routes,name=\\\"ep2-apply-due\\\"";
    private static final String DIAGNOSTIC = "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
            + "\"operation\":\"vmSystemProperties()\"}";
    private static final String STOP_ROUTE = "{\"type\":\"exec\",\"mbean\":\"" + ROUTE + "\",\"operation\":\"stop()\"}";
    private static final String START_ROUTE = "{\"type\":\"exec\",\"mbean\":\"" + ROUTE + "\",\"operation\":\"start()\"}";
    private static final String REMOVE_ROUTE = "{\"type\":\"exec\",\"mbean\":\"" + ROUTE + "\",\"operation\":\"remove()\"}";
    private static final String READ_STATE = "{\"type\":\"read\",\"mbean\":\"" + ROUTE + "\",\"attribute\":\"State\"}";
    private static final String WRITE_TRACING = "{\"type\":\"write\",\"mbean\":\"" + ROUTE + "\",\"attribute\":\"Tracing\","
            + "\"value\":true}";

    private final HttpClient http = HttpClient.newHttpClient();
    private Ep2Fixture fx;
    private HttpBackends servers;
    private Ep2Application app;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(1);
        fx.backends(List.of(servers.port(0)));
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    private void start() throws Exception {
        app = fx.startController();
        await().atMost(Duration.ofSeconds(15)).until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
    }

    /** Route control opted in, with one user in an owner-only credentials file. */
    private void withRouteControl() throws IOException {
        Path users = fx.dir.resolve("observe.users");
        Files.writeString(users, "user.ops = s3cret-ops\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-------"));
        fx.set("observe_credentials_file", users.toString()).set("observe_route_control", "True");
    }

    private HttpResponse<String> post(String json, String authorization, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.observePort + "/observe/jolokia/"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(authorization.getBytes(StandardCharsets.UTF_8)));
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ServiceStatus routeStatus() {
        return app.context().getRouteController().getRouteStatus("ep2-apply-due");
    }

    /** Jolokia's refusal, in its JSON: status 403, a SecurityException-style error, no result. */
    private static void assertRefused(HttpResponse<String> r) {
        assertThat(r.body()).contains("\"status\":403").contains("\"error\"").doesNotContain("\"timestamp\"");
    }

    @Test
    void byDefaultJolokiaOnlyReads() throws Exception {
        start();

        assertThat(post(READ_STATE, null, null).body()).contains("\"status\":200").contains("\"value\":\"Started\"");
        assertRefused(post(DIAGNOSTIC, null, null));
        assertRefused(post(STOP_ROUTE, null, null));
        assertRefused(post(WRITE_TRACING, null, null));
        assertThat(routeStatus()).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void hawtiosRouteDiagramDumpIsReadOnlyAndAllowed() throws Exception {
        start();

        HttpResponse<String> dump = post("{\"type\":\"exec\",\"mbean\":\"" + ROUTE + "\",\"operation\":\"dumpRouteAsXml()\"}",
                null, null);

        assertThat(dump.body()).contains("\"status\":200").contains("ep2-apply-due");
    }

    @Test
    void routeControlNeedsALoginAndOpensOnlyRouteOperations() throws Exception {
        withRouteControl();
        start();

        assertThat(post(STOP_ROUTE, null, null).statusCode()).as("no login").isEqualTo(401);
        assertThat(post(STOP_ROUTE, "ops:wrong", null).statusCode()).as("wrong password").isEqualTo(401);
        assertThat(routeStatus()).isEqualTo(ServiceStatus.Started);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.observePort
                + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("health stays open").isEqualTo(200);

        assertThat(post(STOP_ROUTE, "ops:s3cret-ops", null).body()).contains("\"status\":200");
        assertThat(routeStatus()).isEqualTo(ServiceStatus.Stopped);
        assertThat(post(START_ROUTE, "ops:s3cret-ops", null).body()).contains("\"status\":200");
        assertThat(routeStatus()).isEqualTo(ServiceStatus.Started);

        assertRefused(post(DIAGNOSTIC, "ops:s3cret-ops", null));
        assertRefused(post(REMOVE_ROUTE, "ops:s3cret-ops", null));
        assertRefused(post(WRITE_TRACING, "ops:s3cret-ops", null));
        assertThat(routeStatus()).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aForeignOriginIsRefused() throws Exception {
        start();

        assertRefused(post(READ_STATE, null, "http://attacker.example"));
        assertThat(post(READ_STATE, null, "http://127.0.0.1:" + fx.observePort).body()).contains("\"status\":200");
    }

    @Test
    void aClientFromAnotherAddressIsRefused() throws Exception {
        start();
        // 127.0.0.2 is loopback too, yet not in the policy's list: as a client from another host
        String body = "{\"type\":\"version\"}";
        String answer = rawPost(InetAddress.getByName("127.0.0.2"), body);
        assertThat(answer).contains("\"status\":403").doesNotContain("\"agent\"");
        assertThat(rawPost(InetAddress.getByName("127.0.0.1"), body)).contains("\"status\":200");
    }

    @Test
    void routeControlWithoutACredentialsFileIsABadConfig() {
        fx.set("observe_route_control", "True");

        assertThat(Ep2Main.run(new String[] {"-f", fx.conf.toString()})).isEqualTo(Ep2Main.EXIT_USAGE);
    }

    @Test
    void aCredentialsFileOthersCanReadIsABadConfig() throws Exception {
        withRouteControl();
        Files.setPosixFilePermissions(fx.dir.resolve("observe.users"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(Ep2Main.run(new String[] {"-f", fx.conf.toString()})).isEqualTo(Ep2Main.EXIT_USAGE);
    }

    /** One HTTP/1.0 POST from a chosen local address (the JDK's HttpClient cannot bind one). */
    private String rawPost(InetAddress from, String body) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", fx.observePort), 5_000);
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST /observe/jolokia/ HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + payload.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
