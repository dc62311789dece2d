package io.ep2camel.fetch;

import io.ep2camel.config.ConsulTls;
import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.ServiceHealth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.ep2camel.testsupport.ConsulDouble.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS files as Consul operators have them, read by {@link ConsulTls} and used by consul-client
 * against the double with verify_incoming: EC certificates here (the E2E test uses RSA), key
 * formats PKCS#8, PKCS#1 and SEC1, tls_server_name.
 */
class ConsulTlsTest {
    @TempDir
    static Path dir;
    private static TestCertificates ec;

    @BeforeAll
    static void certificates() {
        ec = TestCertificates.create(dir.resolve("ec"), "EC");
    }

    private static List<ServiceHealth> ask(ConsulAgent agent) {
        Consul c = agent.newClient();
        try {
            return c.healthClient().getHealthyServiceInstances("web").getResponse();
        } finally {
            c.destroy();
        }
    }

    private static Optional<ConsulTls> tls(Path key) {
        return ConsulTls.from(Optional.of(ec.caPem), Optional.empty(), Optional.of(ec.clientCertPem), Optional.of(key));
    }

    @Test
    void anEcClientCertificateGetsThroughVerifyIncomingAndNoCertificateDoesNot() {
        try (ConsulDouble consul = ConsulDouble.startTls(ec)) {
            consul.register(instance("web-1", "web").address("127.0.0.1").port(8080));
            ConsulAgent with = new ConsulAgent("127.0.0.1", consul.port(), true, ConsulToken.none(),
                    tls(ec.clientKeyPem), Optional.empty(), ConsulScope.none());
            assertThat(ask(with)).hasSize(1);

            ConsulAgent without = new ConsulAgent("127.0.0.1", consul.port(), true, ConsulToken.none(),
                    ConsulTls.from(Optional.of(ec.caPem), Optional.empty(), Optional.empty(), Optional.empty()),
                    Optional.empty(), ConsulScope.none());
            assertThatThrownBy(() -> ask(without)).isInstanceOf(RuntimeException.class);
            assertThat(consul.requests()).hasSize(1);

            ConsulAgent jvmTrust = new ConsulAgent("127.0.0.1", consul.port(), true, ConsulToken.none(),
                    Optional.empty(), Optional.empty(), ConsulScope.none());
            assertThatThrownBy(() -> ask(jvmTrust)).as("the test CA is not in the JVM's trust store")
                    .hasStackTraceContaining("PKIX");
        }
    }

    @Test
    void tlsServerNameIsWhatTheCertificateIsCheckedAgainst() {
        try (ConsulDouble consul = ConsulDouble.startTls(ec)) {
            consul.register(instance("web-1", "web").address("127.0.0.1").port(8080));
            ConsulAgent right = new ConsulAgent("127.0.0.1", consul.port(), true, ConsulToken.none(),
                    tls(ec.clientKeyPem), Optional.of("localhost"), ConsulScope.none());
            assertThat(ask(right)).hasSize(1);
            ConsulAgent wrong = new ConsulAgent("127.0.0.1", consul.port(), true, ConsulToken.none(),
                    tls(ec.clientKeyPem), Optional.of("server.dc1.consul"), ConsulScope.none());
            assertThatThrownBy(() -> ask(wrong)).hasStackTraceContaining("Hostname");
        }
    }

    @Test
    void pkcs1AndSec1KeysAsOpensslAndConsulWriteThem() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl writes the legacy formats");
        Path rsa = dir.resolve("rsa1.pem");
        Path sec1 = dir.resolve("sec1.pem");
        openssl("genrsa", "-traditional", "-out", rsa.toString(), "2048");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", sec1.toString());
        assertThat(Files.readString(rsa)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(sec1)).contains("BEGIN EC PRIVATE KEY").contains("BEGIN EC PARAMETERS");
        assertThat(ConsulTls.privateKey(rsa).getAlgorithm()).isEqualTo("RSA");
        assertThat(ConsulTls.privateKey(sec1).getAlgorithm()).isEqualTo("EC");
        assertThat(ConsulTls.privateKey(ec.clientKeyPem).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aFileWithoutAKeyIsNamedAndNothingOfItShown() {
        assertThatThrownBy(() -> ConsulTls.privateKey(ec.clientCertPem))
                .hasMessageStartingWith(ec.clientCertPem + ": a PEM CERTIFICATE, not a private key");
        assertThatThrownBy(() -> ConsulTls.certificates(ec.clientKeyPem))
                .hasMessageStartingWith(ec.clientKeyPem.toString());
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
