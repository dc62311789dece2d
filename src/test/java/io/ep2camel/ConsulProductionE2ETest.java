package io.ep2camel;

import io.ep2camel.pool.FetchHealth;
import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.ConsulDouble.Instance;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.JmxText;
import io.ep2camel.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.ep2camel.testsupport.ConsulDouble.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * orchestrator = consul as production agents run: HTTPS with verify_incoming (a client
 * certificate required), the ACL token in a file that gets rotated, a namespace and partition,
 * stale reads, and the consul CLI's CONSUL_* environment instead of [CONSUL] keys. camel-consul
 * and consul-client against the double serving HTTPS with certificates made here by keytool,
 * and a real HAProxy.
 */
class ConsulProductionE2ETest {
    private static final String TOKEN_1 = "0b5d1c2e-1111-4e8a-9c55-e2e0f1rst7ok";
    private static final String TOKEN_2 = "7c9e3f4a-2222-4b1d-8e66-a3b1sec0ndtk";

    @TempDir
    static Path pki;
    private static TestCertificates certs;

    private Ep2Fixture fx;
    private HttpBackends servers;
    private ConsulDouble consul;
    private Path tokenFile;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.create(pki.resolve("rsa"), "RSA");
    }

    @BeforeEach
    void setUp() throws Exception {
        servers = HttpBackends.start(2);
        consul = ConsulDouble.startTls(certs);
        fx = new Ep2Fixture();
        tokenFile = fx.dir.resolve("consul.token");
        writeToken(TOKEN_1);
        fx.set("orchestrator", "consul");
        fx.section("CONSUL").put("service_name", "web");
        fx.section("CONSUL").put("wait", "2");
        fx.writeConf();
    }

    @AfterEach
    void tearDown() {
        fx.close();
        consul.close();
        servers.close();
    }

    private void writeToken(String token) throws Exception {
        Path tmp = tokenFile.resolveSibling("consul.token.new");
        Files.writeString(tmp, token + "\n");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, tokenFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private Instance web(int n) {
        return instance("web-" + n, "web").address("127.0.0.1").port(servers.port(n - 1));
    }

    private FetchHealth fetchHealth() {
        return fx.controller().context().getRegistry().lookupByNameAndType("fetchHealth", FetchHealth.class);
    }

    private void productionKeys() {
        var c = fx.section("CONSUL");
        c.put("address", "https://127.0.0.1:" + consul.port());
        c.put("ca_file", certs.caPem.toString());
        c.put("cert_file", certs.clientCertPem.toString());
        c.put("key_file", certs.clientKeyPem.toString());
        c.put("token_file", tokenFile.toString());
        c.put("namespace", "team-a");
        c.put("partition", "part-1");
        fx.writeConf();
    }

    @Test
    void mutualTlsTokenFileAndNamespaceConvergeAndARotatedTokenIsPickedUpMidWatch() throws Exception {
        consul.requireToken(TOKEN_1).register(web(1));
        productionKeys();
        fx.startController();
        fx.awaitServed("b1");

        assertThat(consul.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.token()).isEqualTo(TOKEN_1);
            assertThat(r.param("ns")).isEqualTo("team-a");
            assertThat(r.param("partition")).isEqualTo("part-1");
            assertThat(r.query()).doesNotContainKeys("token", "stale");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1); // the watch holds a query

        // rotation as Vault agent or consul-template does it: a new file moved into place, the old token revoked
        writeToken(TOKEN_2);
        consul.requireToken(TOKEN_2);
        consul.register(web(2));
        fx.awaitServed("b1", "b2");
        Instant rotated = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> fetchHealth().reachable()
                && consul.requestsSince(rotated).stream().anyMatch(r -> r.status() == 200));
        assertThat(consul.requestsSince(rotated)).allSatisfy(r -> assertThat(r.token()).isEqualTo(TOKEN_2));

        String keyLine = Files.readAllLines(certs.clientKeyPem).get(1);
        assertThat(fx.log()).doesNotContain(TOKEN_1, TOKEN_2, keyLine);
        assertThat(fx.controller().context().getPropertiesComponent().loadProperties().values())
                .noneMatch(v -> v.toString().contains(TOKEN_1) || v.toString().contains(TOKEN_2) || v.toString().contains(keyLine));
        assertThat(fx.controller().context().getEndpoints())
                .noneMatch(e -> e.getEndpointUri().contains(TOKEN_1) || e.getEndpointUri().contains(TOKEN_2));
        assertThat(JmxText.all()).doesNotContain(TOKEN_1, TOKEN_2, keyLine);
    }

    @Test
    void withoutTheClientCertificateTheHandshakeFailsAndTheBackendsAreKept() throws Exception {
        consul.requireToken(TOKEN_1).register(web(1));
        productionKeys();
        fx.startController();
        fx.awaitServed("b1");

        // the same controller restarted without its client certificate (HAProxy keeps running)
        fx.stopController();
        fx.section("CONSUL").remove("cert_file");
        fx.section("CONSUL").remove("key_file");
        fx.writeConf();
        Instant restarted = Instant.now();
        fx.startController();
        await().atMost(Duration.ofSeconds(10)).until(() -> fetchHealth().lastError().isPresent());
        assertThat(fetchHealth().reachable()).isFalse();
        assertThat(consul.requestsSince(restarted)).as("no request gets past the handshake").isEmpty();
        assertThat(fetchHealth().lastError()).hasValueSatisfying(e -> assertThat(e.toLowerCase())
                // TLS 1.3: the agent refuses the certificate-less client after the handshake, the client sees EOF
                .contains("needs a client certificate: set cert_file and key_file"));
        consul.register(web(2));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> fx.served(4).equals(Set.of("b1")));
        assertThat(fx.log()).contains("consul watch of web failed, backends of be_app kept as they are");
    }

    @Test
    void staleReadsAreAskedForAndAnAnswerOlderThanMaxStaleIsAnOutage() throws Exception {
        consul.requireToken(TOKEN_1).register(web(1));
        productionKeys();
        fx.section("CONSUL").put("stale", "True");
        fx.section("CONSUL").put("max_stale", "5");
        fx.writeConf();
        fx.startController();
        fx.awaitServed("b1");
        assertThat(consul.requests()).allSatisfy(r -> assertThat(r.query()).containsKey("stale"));

        consul.staleness(60_000, true);            // a follower cut off from its leader for a minute
        consul.register(web(2));
        await().atMost(Duration.ofSeconds(8)).until(() -> !fetchHealth().reachable());
        assertThat(fetchHealth().lastError()).hasValueSatisfying(e -> assertThat(e).contains("X-Consul-LastContact"));
        assertThat(fx.served(4)).containsExactly("b1");

        consul.staleness(100, true);
        fx.awaitServed("b1", "b2");
        await().atMost(Duration.ofSeconds(10)).until(() -> fetchHealth().reachable());
    }

    @Test
    void theConsulCliEnvironmentAloneConfiguresTheAgent() throws Exception {
        consul.requireToken(TOKEN_1).register(web(1)).register(web(2));
        fx.env.put("CONSUL_HTTP_ADDR", "https://127.0.0.1:" + consul.port());
        fx.env.put("CONSUL_CACERT", certs.caPem.toString());
        fx.env.put("CONSUL_CLIENT_CERT", certs.clientCertPem.toString());
        fx.env.put("CONSUL_CLIENT_KEY", certs.clientKeyPem.toString());
        fx.env.put("CONSUL_HTTP_TOKEN_FILE", tokenFile.toString());
        fx.env.put("CONSUL_NAMESPACE", "team-env");
        fx.startController(); // [CONSUL] has service_name and wait only
        fx.awaitServed("b1", "b2");
        assertThat(consul.requests()).allSatisfy(r -> {
            assertThat(r.token()).isEqualTo(TOKEN_1);
            assertThat(r.param("ns")).isEqualTo("team-env");
        });
        assertThat(List.copyOf(fx.section("CONSUL").keySet())).containsExactly("service_name", "wait");
    }
}
