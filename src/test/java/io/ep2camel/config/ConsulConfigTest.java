package io.ep2camel.config;

import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The [CONSUL] section: keys, defaults and checks of the consul orchestrator. */
class ConsulConfigTest {
    private final Path dir = TestDirs.shortTemp();
    private final Path conf = dir.resolve("ep2.conf");

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    private Ep2Config load(String orchestrator, String consulBlock) throws IOException, ConfigException {
        return load(orchestrator, "web", consulBlock);
    }

    private Ep2Config load(String orchestrator, String serviceName, String consulBlock) throws IOException, ConfigException {
        Files.writeString(dir.resolve("t.template"), "listen be\n    {{nodes}}\n");
        Files.writeString(conf, """
                [haproxy]
                template_file = t.template
                backend_name = be
                orchestrator = %s
                log_file = ep2.log
                [FILE]
                path = backends.txt
                [CONSUL]
                service_name = %s
                """.formatted(orchestrator, serviceName) + consulBlock);
        return new Ep2ConfigLoader(Set.of("consul", "file")).load(conf);
    }

    private Ep2Config load(String consulBlock) throws IOException, ConfigException {
        return load("consul", consulBlock);
    }

    @Test
    void defaultsWatchOverPlainHttpWithAThirtySecondWait() throws Exception {
        Ep2Config cfg = load("");
        assertThat(cfg.get(ConfigKey.CONSUL_WATCH)).contains("true");
        assertThat(cfg.get(ConfigKey.CONSUL_WAIT)).contains("30");
        assertThat(cfg.get(ConfigKey.CONSUL_HTTPS)).contains("false");
        assertThat(cfg.get(ConfigKey.CONSUL_DATACENTER)).isEmpty();
        assertThat(cfg.pools().get(0).watches()).isTrue();
        Properties p = cfg.toCamelProperties();
        assertThat(p.getProperty("ep2.consul.watch")).isEqualTo("true");
        assertThat(p.getProperty("ep2.consul.wait")).isEqualTo("30");
        assertThat(p.getProperty("ep2.poll.enabled")).as("the watch replaces the poll timer").isEqualTo("false");
    }

    @Test
    void pollModeAndOtherOrchestratorsKeepThePollTimer() throws Exception {
        assertThat(load("watch = False\n").toCamelProperties().getProperty("ep2.poll.enabled")).isEqualTo("true");
        assertThat(load("file", "").toCamelProperties().getProperty("ep2.poll.enabled")).isEqualTo("true");
        assertThat(load("file", "").pools().get(0).watches()).isFalse();
    }

    @Test
    void theAclTokenIsNoCamelProperty() throws Exception {
        Ep2Config cfg = load("acl_token = 5f3c1e2a-token\ndatacenter = eu-west_1\nhttps = yes\n");
        assertThat(cfg.get(ConfigKey.CONSUL_ACL_TOKEN)).contains("5f3c1e2a-token");
        Properties p = cfg.toCamelProperties();
        assertThat(p).doesNotContainKey("ep2.consul.acl_token");
        assertThat(p.values()).noneMatch(v -> v.toString().contains("5f3c1e2a"));
        assertThat(p.getProperty("ep2.consul.datacenter")).isEqualTo("eu-west_1");
        assertThat(p.getProperty("ep2.consul.https")).isEqualTo("true");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "consul_ip = not a host       | consul_ip    | not an IPv4/IPv6 address or host name",
            "consul_ip = http://c:8500    | consul_ip    | not an IPv4/IPv6 address or host name",
            "datacenter = eu west         | datacenter   | not a Consul datacenter name",
            "tags = web,,v2               | tags         | empty tag",
            "wait = 0                     | wait         | must be a positive whole number",
            "wait = 601                   | wait         | at most 600 seconds",
            "wait = 5s                    | wait         | not a whole number",
            "watch = sometimes            | watch        | not a boolean",
            "https = maybe                | https        | not a boolean",
    })
    void badValuesAreRejectedNamingTheKey(String line, String key, String reason) {
        assertThatThrownBy(() -> load(line + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[CONSUL] " + key)
                .hasMessageContaining(reason);
    }

    @Test
    void aServiceNameMustFitInTheUrlPath() {
        assertThatThrownBy(() -> load("consul", "web/../v1", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[CONSUL] service_name")
                .hasMessageContaining("not a Consul service name");
    }

    @Test
    void aBadTokenIsRejectedWithoutShowingIt() {
        assertThatThrownBy(() -> load("acl_token = s3cr3t with spaces\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[CONSUL] acl_token")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void ipv6AndHostNamesAreAgentAddresses() throws Exception {
        assertThat(load("consul_ip = ::1\n").get(ConfigKey.CONSUL_IP)).contains("::1");
        assertThat(load("consul_ip = consul.service.internal\n").get(ConfigKey.CONSUL_IP)).contains("consul.service.internal");
    }
}
