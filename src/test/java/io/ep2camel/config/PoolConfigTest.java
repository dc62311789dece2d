package io.ep2camel.config;

import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** [pool:NAME] sections: more backends in the same HAProxy, each fed by its own orchestrator. */
class PoolConfigTest {
    private final Path dir = TestDirs.shortTemp();
    private final Ep2ConfigLoader loader = new Ep2ConfigLoader(Set.of("aws", "consul", "file", "http-json", "static"));

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    private Ep2Config load(String pools) throws Exception {
        return load(pools, "listen be_app\n    {{nodes}}\nlisten api\n    {{ pools.api.nodes }}\n"
                + "listen jobs\n    {{ pools['jobs'].nodes }}\n");
    }

    private Ep2Config load(String pools, String template) throws Exception {
        Files.writeString(dir.resolve("t.template"), template);
        Path conf = dir.resolve("ep2.conf");
        Files.writeString(conf, """
                [haproxy]
                template_file = t.template
                backend_name = be_app
                backend_port = 8080
                orchestrator = file
                log_file = ep2.log
                check_interval = 2s
                [FILE]
                path = web.txt
                [CONSUL]
                consul_ip = 10.0.0.9
                service_name = web
                tags = v1
                [http-json]
                url = http://inventory:8080/web
                entries = $.servers[*]
                """ + pools);
        return loader.load(conf);
    }

    private void fails(String pools, String message) {
        assertThatThrownBy(() -> load(pools)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void ep2ConfigWithoutPoolSectionsIsOnePool() throws Exception {
        Ep2Config cfg = load("");
        assertThat(cfg.pools()).hasSize(1);
        PoolSpec pool = cfg.pools().get(0);
        assertThat(pool.isDefault()).isTrue();
        assertThat(pool.backendName()).isEqualTo("be_app");
        assertThat(pool.fetchUri()).isEqualTo("direct:ep2-fetch-file");
        assertThat(cfg.orchestrators()).containsExactly("file");
    }

    @Test
    void aPoolInheritsServerSettingsButNotWhatToWatch() throws Exception {
        Ep2Config cfg = load("""
                [pool:api]
                orchestrator = consul
                service_name = api
                backend_port = 9090
                """);
        PoolSpec api = cfg.pools().get(1);
        assertThat(api.backendName()).isEqualTo("api");
        assertThat(api.fetchUri()).isEqualTo("direct:ep2-fetch-consul-api");
        assertThat(api.backendPort()).contains(9090);
        assertThat(api.checkInterval()).contains("2s");                 // from [haproxy]
        assertThat(api.watches()).isTrue();                             // [CONSUL] watch default
        assertThat(api.routeProperties())
                .containsEntry("ep2.consul.service_name", "api")
                .containsEntry("ep2.consul.tags", "v1")                  // a filter is shared unless set
                .containsEntry("ep2.haproxy.backend_name", "api")
                .containsEntry("ep2.haproxy.backend_port", "9090")
                .doesNotContainKey("ep2.file.path");
        assertThat(cfg.orchestrators()).containsExactly("file", "consul");
        assertThat(cfg.toCamelProperties()).containsEntry("ep2.poll.enabled", "true"); // the file pool polls
    }

    @Test
    void anAwsPoolTakesAGroupListAndSaysHowToAddressItsInstances() throws Exception {
        Ep2Config cfg = load("""
                [AWS]
                ip_type = private
                [pool:api]
                orchestrator = AWS
                asg_name = api-a , api-b
                [pool:jobs]
                orchestrator = aws
                asg_name = jobs
                use_public_ip = True
                """);
        PoolSpec api = cfg.pools().get(1);
        PoolSpec jobs = cfg.pools().get(2);
        assertThat(api.orchestrator()).isEqualTo("aws");
        assertThat(api.routeProperties()).containsEntry("ep2.aws.asg_name", "api-a,api-b")
                .containsEntry("ep2.aws.use_public_ip", "false");                 // [AWS] ip_type inherited
        assertThat(jobs.routeProperties()).containsEntry("ep2.aws.asg_name", "jobs")
                .containsEntry("ep2.aws.use_public_ip", "true")                   // its own, no contradiction
                .containsEntry("ep2.aws.ip_type", "public");
        assertThat(cfg.warnings()).isEmpty();
    }

    @Test
    void anAwsPoolAddressedByEp2sDefaultIsWarnedAboutOnce() throws Exception {
        Ep2Config cfg = load("[pool:api]\norchestrator = aws\nasg_name = api\n[pool:jobs]\norchestrator = aws\nasg_name = jobs\n");
        assertThat(cfg.pools().get(1).routeProperties()).containsEntry("ep2.aws.use_public_ip", "true");
        assertThat(cfg.warnings()).singleElement().asString().contains("ip_type = private");
        assertThat(load("[pool:api]\norchestrator = aws\nasg_name = api\nip_type = private\n").warnings()).isEmpty();
    }

    @Test
    void badAwsPoolsNameTheirSection() {
        fails("[pool:api]\norchestrator = aws\nasg_name = a,,b\n", "[pool:api] asg_name: empty group name");
        fails("[pool:api]\norchestrator = aws\nasg_name = a\nip_type = elastic\n", "[pool:api] ip_type: must be private or public");
        fails("[pool:api]\norchestrator = aws\nasg_name = a\nip_type = private\nuse_public_ip = yes\n",
                "[pool:api] use_public_ip: is true but ip_type = private");
    }

    @Test
    void aPoolOfACustomRouteOverridesItsSectionKeys() throws Exception {
        Ep2Config cfg = load("""
                [pool:jobs]
                orchestrator = http-json
                url = http://inventory:8080/jobs
                backend_name = jobs
                """);
        assertThat(cfg.pools().get(1).routeProperties())
                .containsEntry("ep2.http-json.url", "http://inventory:8080/jobs")
                .containsEntry("ep2.http-json.entries", "$.servers[*]");
    }

    @Test
    void filePathsOfAPoolAreResolvedAgainstTheConfigDirectory() throws Exception {
        PoolSpec api = load("[pool:api]\norchestrator = file\npath = api.txt\n").pools().get(1);
        assertThat(api.routeProperties().getProperty("ep2.file.path")).isEqualTo(dir.resolve("api.txt").toString());
    }

    @Test
    void badPoolSectionsNameSectionKeyAndReason() {
        fails("[pool:api]\npath = api.txt\n", "[pool:api] orchestrator: required in every pool");
        fails("[pool:api]\norchestrator = nomad\n", "[pool:api] orchestrator: unknown orchestrator 'nomad'");
        fails("[pool:api]\norchestrator = file\n", "[pool:api] path: required in a pool of orchestrator file");
        fails("[pool:api]\norchestrator = consul\n", "[pool:api] service_name: required in a pool of orchestrator consul");
        fails("[pool:api]\norchestrator = consul\nservice_name = api\nconsul_ip = 10.0.0.1\n",
                "[pool:api] consul_ip: shared by all pools; set it in [CONSUL]");
        fails("[pool:api]\norchestrator = file\npath = a\nhaproxy_config_file = x.cfg\n",
                "[pool:api] haproxy_config_file: shared by all pools; set it in [haproxy]");
        fails("[pool:api]\norchestrator = file\npath = a\nservice_name = api\n",
                "[pool:api] service_name: shared by all pools; set it in [haproxy] or [CONSUL]");
        fails("[pool:api]\norchestrator = file\npath = a\nfrobnicate = 1\n",
                "[pool:api] frobnicate: unknown key for a pool of orchestrator file");
        fails("[pool:api]\norchestrator = file\npath = a\nbackend_port = 70000\n", "[pool:api] backend_port:");
        fails("[pool:api]\norchestrator = file\npath = a\nbackend_name = be_app\n",
                "[pool:api] backend_name: backend 'be_app' is already fed by another pool");
        fails("[pool:api]\norchestrator = consul\nservice_name = a b\n", "[pool:api] service_name: not a Consul service name");
        fails("[pool:a/b]\norchestrator = file\npath = a\n", "[pool:a/b] pool name must be");
        fails("[pool:web]\norchestrator = file\npath = a\n",
                "[pool:web] backend_name: template " + dir.resolve("t.template") + " does not place pool 'web': "
                        + "add {{ pools['web'].nodes }}");
    }

    @Test
    void theTemplateMayPlaceAPoolInEitherJinjaForm() throws Exception {
        assertThat(load("[pool:api]\norchestrator = file\npath = a\n[pool:jobs]\norchestrator = file\npath = j\n")
                .pools()).extracting(PoolSpec::backendName).containsExactly("be_app", "api", "jobs");
    }

    @Test
    void aFreeMarkerTemplatePlacesPoolsWithItsOwnSyntax() throws Exception {
        Files.writeString(dir.resolve("t.ftl"), "listen be_app\n    ${nodes}\nlisten api\n    ${pools.api.nodes}\n");
        Path conf = dir.resolve("ftl.conf");
        Files.writeString(conf, "[haproxy]\ntemplate_file = t.ftl\nbackend_name = be_app\norchestrator = file\n"
                + "log_file = ep2.log\n[FILE]\npath = web.txt\n[pool:api]\norchestrator = file\npath = a\n");
        assertThat(loader.load(conf).pools()).hasSize(2);
    }
}
