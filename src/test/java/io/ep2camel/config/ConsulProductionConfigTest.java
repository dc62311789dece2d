package io.ep2camel.config;

import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** [CONSUL]'s production keys: the consul CLI's environment for unset keys, addresses, TLS files, secret file modes. */
class ConsulProductionConfigTest {
    private final Path dir = TestDirs.shortTemp();
    private final Path conf = dir.resolve("ep2.conf");
    private final Map<String, String> env = new HashMap<>();

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    private Ep2Config load(String consulBlock) throws IOException, ConfigException {
        Files.writeString(dir.resolve("t.template"), "listen be\n    {{nodes}}\n");
        Files.writeString(conf, """
                [haproxy]
                template_file = t.template
                backend_name = be
                orchestrator = consul
                log_file = ep2.log
                [CONSUL]
                service_name = web
                """ + consulBlock);
        return new Ep2ConfigLoader(Set.of("consul", "file"), env::get).load(conf);
    }

    private Path file(String name, String content, String mode) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void unsetKeysComeFromTheConsulCliEnvironmentAndAKeyWins() throws Exception {
        Path token = file("token", "t-from-file\n", "rw-------");
        env.put("CONSUL_HTTP_ADDR", "https://consul.service:8501");
        env.put("CONSUL_HTTP_TOKEN_FILE", token.toString());
        env.put("CONSUL_NAMESPACE", "from-env");
        env.put("CONSUL_PARTITION", "part-env");
        env.put("CONSUL_TLS_SERVER_NAME", "server.dc1.consul");
        env.put("CONSUL_HTTP_SSL", "1");
        Ep2Config cfg = load("namespace = from-file\n");
        assertThat(cfg.get(ConfigKey.CONSUL_ADDRESS)).contains("https://consul.service:8501");
        assertThat(cfg.get(ConfigKey.CONSUL_TOKEN_FILE)).contains(token.toString());
        assertThat(cfg.get(ConfigKey.CONSUL_NAMESPACE)).as("the key wins").contains("from-file");
        assertThat(cfg.get(ConfigKey.CONSUL_PARTITION)).contains("part-env");
        assertThat(cfg.get(ConfigKey.CONSUL_TLS_SERVER_NAME)).contains("server.dc1.consul");
        assertThat(cfg.get(ConfigKey.CONSUL_HTTPS)).contains("true");
    }

    @Test
    void eP2sConsulIpAndPortInTheFileWinOverConsulHttpAddr() throws Exception {
        env.put("CONSUL_HTTP_ADDR", "10.0.0.9:8500");
        assertThat(load("consul_ip = 127.0.0.2\n").get(ConfigKey.CONSUL_ADDRESS)).isEmpty();
        assertThat(load("").get(ConfigKey.CONSUL_ADDRESS)).contains("10.0.0.9:8500");
    }

    @Test
    void anEmptyKeyIsUnsetAsInEp2SoTheEnvironmentFillsIt() throws Exception {
        env.put("CONSUL_HTTP_TOKEN", "env-token-1");
        Ep2Config cfg = load("acl_token =\n");
        assertThat(cfg.get(ConfigKey.CONSUL_ACL_TOKEN)).contains("env-token-1");
        Properties p = cfg.toCamelProperties();
        assertThat(p.values()).noneMatch(v -> v.toString().contains("env-token-1"));
    }

    @Test
    void addressesAsTheCliTakesThem() {
        assertThat(ConsulAddress.parse("127.0.0.1:8500")).hasToString("http://127.0.0.1:8500");
        assertThat(ConsulAddress.parse("consul.local")).hasToString("http://consul.local:8500");
        assertThat(ConsulAddress.parse("https://consul.local")).hasToString("https://consul.local:443");
        assertThat(ConsulAddress.parse("https://[::1]:8501")).hasToString("https://[::1]:8501");
        assertThatThrownBy(() -> ConsulAddress.parse("http://x:8500/v1/agent")).hasMessageContaining("no path");
    }

    @Test
    void badValuesNameTheKeyOrTheVariable() throws Exception {
        assertThatThrownBy(() -> load("address = http://u:p@host:1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[CONSUL] address:");
        env.put("CONSUL_HTTP_SSL", "maybe");
        assertThatThrownBy(() -> load("")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[CONSUL] https:").hasMessageContaining("CONSUL_HTTP_SSL");
        env.clear();
        Path cert = file("c.pem", "x", "rw-r--r--");
        assertThatThrownBy(() -> load("cert_file = " + cert + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key_file: required with cert_file");
        assertThatThrownBy(() -> load("ca_file = " + dir.resolve("none.pem") + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ca_file: no such file");
    }

    @Test
    void aSecretFileOthersMayReadIsRefusedNamingFileAndMode() throws Exception {
        Path token = file("token", "secret-1\n", "rw-r--r--");
        assertThatThrownBy(() -> load("token_file = " + token + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[CONSUL] token_file: " + token + " has mode rw-r--r--")
                .hasMessageContaining("allow_world_readable_secrets")
                .hasMessageNotContaining("secret-1");
        Path key = file("k.pem", "-----BEGIN PRIVATE KEY-----\n", "rw-r-----");
        Path cert = file("c.pem", "x", "rw-r--r--");
        assertThatThrownBy(() -> load("cert_file = " + cert + "\nkey_file = " + key + "\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key_file: " + key + " has mode rw-r-----");
        // from the environment just the same
        env.put("CONSUL_HTTP_TOKEN_FILE", token.toString());
        assertThatThrownBy(() -> load("")).isInstanceOf(ConfigException.class).hasMessageContaining("token_file: " + token);

        assertThat(load("allow_world_readable_secrets = True\n").get(ConfigKey.CONSUL_TOKEN_FILE)).contains(token.toString());
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("r--------"));
        assertThat(load("").get(ConfigKey.CONSUL_TOKEN_FILE)).contains(token.toString());
    }

    @Test
    void aTlsFileThatDoesNotParseStopsTheStartNamingKeyAndFile() throws Exception {
        Path ca = file("ca.pem", "not a certificate", "rw-r--r--");
        assertThatThrownBy(() -> load("ca_file = " + ca + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[CONSUL] ca_file: " + ca + ": not a PEM certificate file");
        Path key = file("k.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "rw-------");
        Path cert = file("c.pem", "x", "rw-r--r--");
        assertThatThrownBy(() -> load("cert_file = " + cert + "\nkey_file = " + key + "\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[CONSUL] cert_file: " + cert);
    }

    @Test
    void anotherOrchestratorIgnoresTheConsulFiles() throws Exception {
        Files.writeString(dir.resolve("t.template"), "listen be\n    {{nodes}}\n");
        Files.writeString(dir.resolve("b.txt"), "");
        Files.writeString(conf, """
                [haproxy]
                template_file = t.template
                backend_name = be
                orchestrator = file
                log_file = ep2.log
                [FILE]
                path = b.txt
                """);
        env.put("CONSUL_HTTP_TOKEN_FILE", dir.resolve("missing").toString());
        assertThat(new Ep2ConfigLoader(Set.of("consul", "file"), env::get).load(conf).orchestrators()).contains("file");
    }
}
