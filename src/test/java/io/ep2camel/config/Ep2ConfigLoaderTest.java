package io.ep2camel.config;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ep2ConfigLoaderTest {
    private static final Set<String> ORCHESTRATORS = Set.of("aws", "consul", "file");
    private final Ep2ConfigLoader loader = new Ep2ConfigLoader(ORCHESTRATORS);
    private final Path dir = TestDirs.shortTemp();
    private final Path conf = dir.resolve("ep2.conf");

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Ep2Config load(String text) throws Exception {
        write("ep2.conf", text);
        return loader.load(conf);
    }

    /** EP2's sample ep2.conf from its README, [haproxy] block verbatim but for the paths that must exist here. */
    private String ep2Sample(String orchestrator, String secondBlock) throws IOException {
        Path template = write("haproxy.config.template", "listen haproxynode\n\tbind *:7001\n\t{{nodes}}\n");
        return """
                [haproxy]
                haproxy_config_file = /etc/haproxy/haproxy.cfg
                template_file = %s
                backend_port = 6003
                haproxy_binary = /usr/sbin/haproxy
                start_by = systemd
                haproxy_socket_file = /var/run/haproxy/haproxy.sock
                pid_file = /run/haproxy.pid
                backend_name = haproxynode
                update_type = update_by_runtime
                node_slots = 5
                service_name = haproxy
                lock_dir = /home/deep/elasticpyproxy/etc
                orchestrator = %s
                sleep_before_next_run = 5
                log_file = %s

                %s""".formatted(template, orchestrator, dir.resolve("log/ep2.log"), secondBlock);
    }

    private static final String AWS_BLOCK = """
            [AWS]
            aws_access_key_id =
            aws_secret_access_key =
            asg_name = my-asg
            region_name =
            """;

    private static final String CONSUL_BLOCK = """
            [CONSUL]
            service_name = web
            consul_ip =
            consul_port =
            only_passing =
            tags =
            """;

    @Test
    void ep2_sample_with_aws_block_loads() throws Exception {
        Ep2Config cfg = load(ep2Sample("aws", AWS_BLOCK));
        assertThat(cfg.source()).isEqualTo(conf.toAbsolutePath());
        assertThat(cfg.pools().get(0).orchestrator()).isEqualTo("aws");
        assertThat(cfg.pools().get(0).backendName()).isEqualTo("haproxynode");
        assertThat(cfg.pools().get(0).backendPort()).contains(6003);
        assertThat(cfg.startBy()).isEqualTo(StartBy.SYSTEMD);
        assertThat(cfg.serviceName()).contains("haproxy");
        assertThat(cfg.updateType()).isEqualTo(UpdateType.UPDATE_BY_RUNTIME);
        assertThat(cfg.get(ConfigKey.NODE_SLOTS)).contains("5");
        assertThat(cfg.socketFiles()).containsExactly(Path.of("/var/run/haproxy/haproxy.sock"));
        assertThat(cfg.haproxyConfigFile()).isEqualTo(Path.of("/etc/haproxy/haproxy.cfg"));
        assertThat(cfg.pidFile()).isEqualTo(Path.of("/run/haproxy.pid"));
        assertThat(cfg.lockDir()).isEqualTo(Path.of("/home/deep/elasticpyproxy/etc"));
        assertThat(cfg.sleepBeforeNextRun()).isEqualTo(Duration.ofSeconds(5));
        assertThat(cfg.get(ConfigKey.ASG_NAME)).contains("my-asg");
        // "key =" means not set
        assertThat(cfg.get(ConfigKey.AWS_ACCESS_KEY_ID)).isEmpty();
        assertThat(cfg.get(ConfigKey.AWS_SECRET_ACCESS_KEY)).isEmpty();
        assertThat(cfg.get(ConfigKey.REGION_NAME)).isEmpty();
    }

    @Test
    void ep2_sample_with_consul_block_loads_with_consul_defaults() throws Exception {
        Ep2Config cfg = load(ep2Sample("consul", CONSUL_BLOCK));
        assertThat(cfg.pools().get(0).orchestrator()).isEqualTo("consul");
        assertThat(cfg.get(ConfigKey.CONSUL_SERVICE_NAME)).contains("web");
        assertThat(cfg.serviceName()).contains("haproxy"); // [haproxy] service_name is a different key
        assertThat(cfg.get(ConfigKey.CONSUL_IP)).contains("127.0.0.1");
        assertThat(cfg.get(ConfigKey.CONSUL_PORT)).contains("8500");
        assertThat(cfg.get(ConfigKey.ONLY_PASSING).orElseThrow()).isEqualToIgnoringCase("true");
        assertThat(cfg.get(ConfigKey.TAGS)).isEmpty();
    }

    @Test
    void ep2_sample_indented_as_in_the_readme_loads() throws Exception {
        String indented = ep2Sample("aws", AWS_BLOCK).lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
        assertThat(load(indented).pools().get(0).backendName()).isEqualTo("haproxynode");
    }

    /**
     * EP2's code (driver/defaultparams.py, nodefetchers/orchestrator.py) fills in every [haproxy]
     * key that is missing or empty: the same values here. Only the template must exist to load,
     * and asg_name (what to watch) has no default.
     */
    @Test
    void every_absent_key_takes_ep2s_default() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Ep2Config cfg = load("""
                [haproxy]
                template_file = haproxy.cfg.template
                log_file = ep2.log
                [AWS]
                asg_name = web-asg
                """);
        PoolSpec pool = cfg.pools().get(0);
        assertThat(cfg.haproxyConfigFile()).isEqualTo(Path.of("/etc/haproxy/haproxy.cfg"));
        assertThat(pool.backendPort()).contains(6003);
        assertThat(cfg.haproxyBinary()).isEqualTo(Path.of("/usr/sbin/haproxy"));
        assertThat(cfg.startBy()).isEqualTo(StartBy.BINARY);
        assertThat(cfg.socketFiles()).containsExactly(Path.of("/var/run/haproxy/haproxy.sock"));
        assertThat(cfg.pidFile()).isEqualTo(Path.of("/run/haproxy.pid"));
        assertThat(pool.backendName()).isEqualTo("haproxynode");
        assertThat(cfg.updateType()).isEqualTo(UpdateType.UPDATE_BY_RUNTIME);
        assertThat(pool.nodeSlots()).isEqualTo(50);
        assertThat(cfg.serviceName()).contains("haproxy");
        assertThat(cfg.lockDir()).isEqualTo(Path.of("/run"));
        assertThat(pool.orchestrator()).isEqualTo("aws");
        assertThat(cfg.sleepBeforeNextRun()).isEqualTo(Duration.ofSeconds(5));
        assertThat(cfg.lockRetryInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(pool.backendMaxconn()).isEmpty();
        assertThat(pool.checkInterval()).isEmpty();
        // [CONSUL]'s defaults, from EP2's orchestrator.py
        assertThat(cfg.get(ConfigKey.CONSUL_IP)).contains("127.0.0.1");
        assertThat(cfg.get(ConfigKey.CONSUL_PORT)).contains("8500");
        assertThat(cfg.get(ConfigKey.ONLY_PASSING).orElseThrow()).isEqualToIgnoringCase("true");
        // EP2's code addresses instances by their public IP unless ip_type = private: kept, with a warning
        assertThat(cfg.get(ConfigKey.USE_PUBLIC_IP)).contains("true");
        assertThat(cfg.toCamelProperties().getProperty("ep2.aws.use_public_ip")).isEqualTo("true");
        assertThat(cfg.warnings()).singleElement().asString().contains("ip_type").contains("ip_type = private");
        // ep2-camel's own additions
        assertThat(cfg.lockWaitTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(cfg.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pool.emptyConfirmations()).isEqualTo(3);
    }

    @Test
    void with_no_key_at_all_the_template_is_looked_for_where_ep2_looks() throws Exception {
        write("ep2.conf", "[haproxy]\n[AWS]\nasg_name = web-asg\n");
        assertThatThrownBy(() -> loader.load(conf)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[haproxy] template_file: cannot read template /etc/ep2/ep2.template");
    }

    @Test
    void empty_values_take_ep2s_defaults_too() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Ep2Config cfg = load("""
                [haproxy]
                template_file = haproxy.cfg.template
                log_file = ep2.log
                backend_name =
                update_type =
                node_slots =
                orchestrator =
                backend_port =
                [AWS]
                asg_name = web-asg
                ip_type = private
                """);
        assertThat(cfg.pools().get(0).backendName()).isEqualTo("haproxynode");
        assertThat(cfg.updateType()).isEqualTo(UpdateType.UPDATE_BY_RUNTIME);
        assertThat(cfg.pools().get(0).nodeSlots()).isEqualTo(50);
        assertThat(cfg.pools().get(0).orchestrator()).isEqualTo("aws");
        assertThat(cfg.pools().get(0).backendPort()).contains(6003);
        assertThat(cfg.warnings()).isEmpty();
    }

    @Test
    void section_names_and_the_orchestrator_value_match_in_any_case() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Ep2Config cfg = load("""
                [HAProxy]
                template_file = haproxy.cfg.template
                log_file = ep2.log
                orchestrator = Consul
                [consul]
                service_name = web
                tags = a, b
                [aws]
                ip_type = Private
                """);
        assertThat(cfg.pools().get(0).orchestrator()).isEqualTo("consul");
        assertThat(cfg.get(ConfigKey.CONSUL_SERVICE_NAME)).contains("web");
        assertThat(cfg.get(ConfigKey.USE_PUBLIC_IP)).contains("false");
        assertThat(cfg.toCamelProperties().getProperty("ep2.consul.service_name")).isEqualTo("web");
    }

    @Test
    void ip_type_and_use_public_ip_say_the_same_thing() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        String base = "[haproxy]\ntemplate_file = haproxy.cfg.template\nlog_file = ep2.log\n[AWS]\nasg_name = g\n";
        assertThat(load(base + "ip_type = private\n").get(ConfigKey.USE_PUBLIC_IP)).contains("false");
        assertThat(load(base + "ip_type = PUBLIC\n").get(ConfigKey.USE_PUBLIC_IP)).contains("true");
        assertThat(load(base + "use_public_ip = False\n").get(ConfigKey.IP_TYPE)).contains("private");
        assertThat(load(base + "use_public_ip = yes\n").get(ConfigKey.IP_TYPE)).contains("public");
        assertThat(load(base + "ip_type = public\nuse_public_ip = True\n").get(ConfigKey.USE_PUBLIC_IP)).contains("true");
        for (String given : List.of("ip_type = private\n", "ip_type = public\n", "use_public_ip = False\n")) {
            assertThat(load(base + given).warnings()).as(given).isEmpty();
        }
    }

    @Test
    void the_public_address_warning_is_only_for_aws() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        assertThat(load("[haproxy]\ntemplate_file = haproxy.cfg.template\nlog_file = ep2.log\norchestrator = file\n"
                + "[FILE]\npath = b.txt\n").warnings()).isEmpty();
    }

    @Test
    void haproxy_socket_file_takes_haproxys_address_syntax_in_any_mix() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Ep2Config cfg = load("[haproxy]\ntemplate_file = haproxy.cfg.template\nlog_file = ep2.log\norchestrator = file\n"
                + "haproxy_socket_file = ipv4@127.0.0.1:9999, run/a.sock,unix@run/b.sock , ipv6@[::1]:9998\n"
                + "[FILE]\npath = b.txt\n");
        assertThat(cfg.socketAddresses()).extracting(Object::toString).containsExactly("ipv4@127.0.0.1:9999",
                dir.resolve("run/a.sock").toString(), dir.resolve("run/b.sock").toString(), "ipv6@[::1]:9998");
        // -x on a binary reload needs a UNIX socket: those are the socket files
        assertThat(cfg.socketFiles()).containsExactly(dir.resolve("run/a.sock"), dir.resolve("run/b.sock"));
        assertThat(cfg.warnings()).isEmpty();
    }

    @Test
    void a_tcp_only_socket_list_serves_systemd_reloads_but_not_binary_ones() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        String conf = "[haproxy]\ntemplate_file = haproxy.cfg.template\nlog_file = ep2.log\norchestrator = file\n"
                + "haproxy_socket_file = ipv4@127.0.0.1:9999\nstart_by = %s\n[FILE]\npath = b.txt\n";
        assertThat(load(conf.formatted("systemd")).socketFiles()).isEmpty();
        assertThatThrownBy(() -> load(conf.formatted("binary"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[haproxy] haproxy_socket_file: start_by = binary hands the listening sockets")
                .hasMessageContaining("UNIX stats socket (-x)");
    }

    @Test
    void a_tcp_socket_off_loopback_is_warned_about() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        // 192.0.2.10: a documentation address (RFC 5737), only parsed here, never connected to
        Ep2Config cfg = load("[haproxy]\ntemplate_file = haproxy.cfg.template\nlog_file = ep2.log\norchestrator = file\n"
                + "haproxy_socket_file = s.sock, ipv4@192.0.2.10:9999, ipv4@127.0.0.1:9998\n[FILE]\npath = b.txt\n");
        assertThat(cfg.warnings()).singleElement().asString().contains("ipv4@192.0.2.10:9999 is not a loopback address")
                .contains("no authentication").contains("loopback or a private interface");
    }

    @Test
    void a_socket_address_haproxy_would_not_take_names_the_key() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        for (String bad : List.of("127.0.0.1:9999", "abns@h", "ipv4@127.0.0.1:99999", "ipv4@127.0.0.1")) {
            assertThatThrownBy(() -> load("[haproxy]\ntemplate_file = haproxy.cfg.template\nlog_file = ep2.log\n"
                    + "orchestrator = file\nhaproxy_socket_file = s.sock," + bad + "\n[FILE]\npath = b.txt\n"))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("[haproxy] haproxy_socket_file: ");
        }
    }

    @Test
    void asg_name_takes_eps_comma_list() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Ep2Config cfg = load("[haproxy]\ntemplate_file = haproxy.cfg.template\nlog_file = ep2.log\n"
                + "[AWS]\nasg_name = web-a, web-b ,web-c\nip_type = private\n");
        assertThat(cfg.get(ConfigKey.ASG_NAME)).contains("web-a,web-b,web-c");
        assertThat(cfg.toCamelProperties().getProperty("ep2.aws.asg_name")).isEqualTo("web-a,web-b,web-c");
    }

    @Test
    void relative_paths_resolve_against_the_conf_directory() throws Exception {
        write("tpl/haproxy.cfg.template", "{{ nodes }}");
        Ep2Config cfg = load("""
                [haproxy]
                template_file = tpl/haproxy.cfg.template
                haproxy_config_file = out/haproxy.cfg
                haproxy_socket_file = run/a.sock, run/b.sock
                pid_file = ./run/../haproxy.pid
                lock_dir = lock
                backend_name = be_app
                orchestrator = file
                log_file = log/ep2.log
                [FILE]
                path = backends.txt
                """);
        assertThat(cfg.templateFile()).isEqualTo(dir.resolve("tpl/haproxy.cfg.template"));
        assertThat(cfg.haproxyConfigFile()).isEqualTo(dir.resolve("out/haproxy.cfg"));
        assertThat(cfg.socketFiles()).containsExactly(dir.resolve("run/a.sock"), dir.resolve("run/b.sock"));
        assertThat(cfg.pidFile()).isEqualTo(dir.resolve("haproxy.pid"));
        assertThat(cfg.lockDir()).isEqualTo(dir.resolve("lock"));
        assertThat(cfg.logFile()).isEqualTo(dir.resolve("log/ep2.log"));
        assertThat(cfg.get(ConfigKey.FILE_PATH)).contains(dir.resolve("backends.txt").toString());
    }

    @Test
    void checking_creates_nothing() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        load("""
                [haproxy]
                template_file = haproxy.cfg.template
                backend_name = be_app
                orchestrator = file
                log_file = deep/log/dir/ep2.log
                lock_dir = lockdir
                [FILE]
                path = backends.txt
                """);
        assertThat(dir.resolve("deep")).doesNotExist();
        assertThat(dir.resolve("lockdir")).doesNotExist();
    }

    @Test
    void colon_syntax_and_uppercase_keys_are_accepted_like_configparser() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Ep2Config cfg = load("""
                [haproxy]
                TEMPLATE_FILE: haproxy.cfg.template
                Backend_Name: be_app
                orchestrator: file
                BACKEND_PORT = 8080
                log_file: ep2.log
                [FILE]
                PATH: backends.txt
                """);
        assertThat(cfg.pools().get(0).backendName()).isEqualTo("be_app");
        assertThat(cfg.pools().get(0).backendPort()).contains(8080);
        assertThat(cfg.templateFile()).isEqualTo(dir.resolve("haproxy.cfg.template"));
        assertThat(cfg.get(ConfigKey.FILE_PATH)).contains(dir.resolve("backends.txt").toString());
    }

    @Test
    void comments_and_python_booleans() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Ep2Config cfg = load("""
                # EP2 config
                ; also a comment
                [haproxy]
                template_file = haproxy.cfg.template
                backend_name = be_app
                orchestrator = consul
                log_file = ep2.log
                check_interval = 2s
                backend_maxconn = 100
                sleep_before_next_run = 0.5
                [CONSUL]
                service_name = web
                only_passing = off
                consul_port = 8600
                """);
        assertThat(cfg.get(ConfigKey.ONLY_PASSING)).contains("false");
        assertThat(cfg.get(ConfigKey.CONSUL_PORT)).contains("8600");
        assertThat(cfg.pools().get(0).checkInterval()).contains("2s");
        assertThat(cfg.pools().get(0).backendMaxconn()).contains(100);
        assertThat(cfg.sleepBeforeNextRun()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void camel_properties_carry_every_set_key_but_not_the_aws_secret() throws Exception {
        String text = ep2Sample("aws", AWS_BLOCK)
                .replace("aws_access_key_id =", "aws_access_key_id = AKIAEXAMPLE")
                .replace("aws_secret_access_key =", "aws_secret_access_key = s3cr3t-value")
                .replace("sleep_before_next_run = 5", "sleep_before_next_run = 0.25");
        Properties p = load(text).toCamelProperties();
        assertThat(p.getProperty("ep2.haproxy.backend_name")).isEqualTo("haproxynode");
        assertThat(p.getProperty("ep2.haproxy.backend_port")).isEqualTo("6003");
        assertThat(p.getProperty("ep2.aws.asg_name")).isEqualTo("my-asg");
        assertThat(p.getProperty("ep2.aws.aws_access_key_id")).isEqualTo("AKIAEXAMPLE");
        assertThat(p.getProperty("ep2.poll_period_ms")).isEqualTo("250");
        assertThat(p).doesNotContainKey("ep2.aws.aws_secret_access_key");
        assertThat(p.values()).doesNotContain("s3cr3t-value");
        assertThat(p.toString()).doesNotContain("s3cr3t-value");
        // the secret stays reachable for the route's bean
        assertThat(load(text).get(ConfigKey.AWS_SECRET_ACCESS_KEY)).contains("s3cr3t-value");
    }

    @Test
    void camel_properties_have_the_default_poll_period() throws Exception {
        Properties p = load(ep2Sample("consul", CONSUL_BLOCK).replace("sleep_before_next_run = 5\n", "")).toCamelProperties();
        assertThat(p.getProperty("ep2.poll_period_ms")).isEqualTo("5000");
        assertThat(p.getProperty("ep2.consul.service_name")).isEqualTo("web");
        assertThat(p.getProperty("ep2.haproxy.service_name")).isEqualTo("haproxy");
    }

    @Test
    void the_test_fixture_conf_loads() throws Exception {
        try (Ep2Fixture fx = new Ep2Fixture()) {
            Ep2Config cfg = new Ep2ConfigLoader(Set.of("file")).load(fx.conf);
            assertThat(cfg.pools().get(0).orchestrator()).isEqualTo("file");
            assertThat(cfg.sleepBeforeNextRun()).isEqualTo(Duration.ofMillis(200));
            assertThat(cfg.lockDir()).isEqualTo(fx.dir);
        }
    }

    @Test
    void missing_conf_file_names_it() {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> loader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("not found");
    }

    @Test
    void a_custom_orchestrator_needs_only_its_route() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        write("ep2.conf", """
                [haproxy]
                template_file = haproxy.cfg.template
                backend_name = be_app
                orchestrator = http-json
                log_file = ep2.log
                """);
        assertThat(new Ep2ConfigLoader(Set.of("file", "http-json")).load(conf).pools().get(0).orchestrator()).isEqualTo("http-json");
    }

    // ---------------------------------------------------------------- bad configs

    /** A valid file-orchestrator config, as sections of keys, that each bad case bends. */
    private static Map<String, Map<String, String>> base() {
        Map<String, Map<String, String>> s = new LinkedHashMap<>();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("template_file", "haproxy.cfg.template");
        h.put("backend_name", "be_app");
        h.put("orchestrator", "file");
        h.put("log_file", "log/ep2.log");
        h.put("lock_dir", "lock");
        s.put("haproxy", h);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("path", "backends.txt");
        s.put("FILE", f);
        return s;
    }

    private static String render(Map<String, Map<String, String>> sections) {
        StringBuilder b = new StringBuilder();
        sections.forEach((name, keys) -> {
            b.append('[').append(name).append("]\n");
            keys.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        });
        return b.toString();
    }

    /** section.key=value edits (value null removes), then optional raw text edits. */
    record Bad(String name, String key, String reason, UnaryOperator<Map<String, Map<String, String>>> edit,
               UnaryOperator<String> raw) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Bad bad(String name, String key, String reason, String... edits) {
        return new Bad(name, key, reason, s -> {
            for (String e : edits) {
                String[] kv = e.split("=", 2);
                String[] sk = kv[0].split("\\.", 2);
                Map<String, String> sec = s.computeIfAbsent(sk[0], n -> new LinkedHashMap<>());
                if (kv.length == 1) {
                    sec.remove(sk[1]);
                } else {
                    sec.put(sk[1], kv[1]);
                }
            }
            return s;
        }, UnaryOperator.identity());
    }

    private static Bad raw(String name, String key, String reason, UnaryOperator<String> raw) {
        return new Bad(name, key, reason, UnaryOperator.identity(), raw);
    }

    static Stream<Bad> badConfigs() {
        return Stream.of(
                raw("unknown section", "[EXTRA]", "unknown section", t -> t + "[EXTRA]\nfoo = 1\n"),
                bad("unknown key", "bogus_key", "unknown key", "haproxy.bogus_key=1"),
                raw("key outside a section", "stray", "outside any section", t -> "stray = 1\n" + t),
                raw("duplicate key", "backend_name", "more than once",
                        t -> t.replace("[haproxy]\n", "[haproxy]\nbackend_name = other\n")),
                // EP2's default template path, which does not exist here
                bad("missing template_file", "template_file", "cannot read template /etc/ep2/ep2.template",
                        "haproxy.template_file"),
                bad("empty template_file", "template_file", "cannot read template /etc/ep2/ep2.template",
                        "haproxy.template_file="),
                // EP2's default orchestrator is aws
                bad("missing orchestrator", "[AWS] asg_name", "required when orchestrator = aws",
                        "haproxy.orchestrator"),
                bad("orchestrator file without [FILE] path", "[FILE] path", "required when orchestrator = file",
                        "FILE.path"),
                bad("orchestrator aws without asg_name", "asg_name", "required when orchestrator = aws",
                        "haproxy.orchestrator=aws", "haproxy.backend_port=80", "AWS.asg_name="),
                bad("asg_name with an empty group", "[AWS] asg_name", "empty group name in 'web-a,,web-b'",
                        "haproxy.orchestrator=aws", "AWS.asg_name=web-a,,web-b"),
                bad("asg_name ending in a comma", "[AWS] asg_name", "empty group name",
                        "haproxy.orchestrator=aws", "AWS.asg_name=web-a,"),
                bad("asg_name naming a group twice", "[AWS] asg_name", "named twice",
                        "haproxy.orchestrator=aws", "AWS.asg_name=web-a, web-a"),
                bad("ip_type neither private nor public", "[AWS] ip_type", "must be private or public, not 'elastic'",
                        "AWS.ip_type=elastic"),
                bad("ip_type contradicting use_public_ip", "[AWS] use_public_ip", "ip_type = private",
                        "AWS.ip_type=private", "AWS.use_public_ip=True"),
                bad("use_public_ip contradicting ip_type", "[AWS] use_public_ip", "ip_type = PUBLIC",
                        "AWS.ip_type=PUBLIC", "AWS.use_public_ip=no"),
                bad("non-numeric sleep_before_next_lock_attempt", "sleep_before_next_lock_attempt", "not a number",
                        "haproxy.sleep_before_next_lock_attempt=soon"),
                bad("zero sleep_before_next_lock_attempt", "sleep_before_next_lock_attempt", "at least 0.001",
                        "haproxy.sleep_before_next_lock_attempt=0"),
                bad("negative lock_wait_timeout", "lock_wait_timeout", "from 0 to 3600",
                        "haproxy.lock_wait_timeout=-1"),
                bad("orchestrator consul without service_name", "[CONSUL] service_name", "required",
                        "haproxy.orchestrator=consul"),
                bad("non-numeric backend_port", "backend_port", "not a whole number", "haproxy.backend_port=http"),
                bad("non-numeric node_slots", "node_slots", "not a whole number", "haproxy.node_slots=five"),
                bad("zero node_slots", "node_slots", "positive", "haproxy.node_slots=0"),
                bad("non-numeric sleep_before_next_run", "sleep_before_next_run", "not a number",
                        "haproxy.sleep_before_next_run=soon"),
                bad("zero sleep_before_next_run", "sleep_before_next_run", "at least 0.001",
                        "haproxy.sleep_before_next_run=0"),
                bad("negative sleep_before_next_run", "sleep_before_next_run", "at least 0.001",
                        "haproxy.sleep_before_next_run=-1"),
                bad("NaN sleep_before_next_run", "sleep_before_next_run", "at least 0.001",
                        "haproxy.sleep_before_next_run=NaN"),
                bad("non-numeric backend_maxconn", "backend_maxconn", "not a whole number",
                        "haproxy.backend_maxconn=lots"),
                bad("non-numeric check_interval", "check_interval", "not a number", "haproxy.check_interval=fast"),
                bad("zero check_interval", "check_interval", "not a number", "haproxy.check_interval=0s"),
                bad("non-numeric consul_port", "consul_port", "not a whole number", "CONSUL.consul_port=http"),
                bad("port 70000", "backend_port", "out of range", "haproxy.backend_port=70000"),
                bad("port 0", "backend_port", "out of range", "haproxy.backend_port=0"),
                bad("consul_port 70000", "consul_port", "out of range", "CONSUL.consul_port=70000"),
                bad("only_passing maybe", "only_passing", "not a boolean", "CONSUL.only_passing=maybe"),
                bad("unknown update_type", "update_type", "must be update_by_config or update_by_runtime",
                        "haproxy.update_type=update_by_magic"),
                bad("unknown start_by", "start_by", "must be binary or systemd", "haproxy.start_by=init"),
                bad("unknown orchestrator", "orchestrator", "unknown orchestrator", "haproxy.orchestrator=kubernetes"),
                bad("backend_name not an HAProxy name", "backend_name", "not a valid HAProxy proxy name",
                        "haproxy.backend_name=be app"),
                bad("control character in a value", "backend_name", "control characters",
                        "haproxy.backend_name=be\u0007app"),
                bad("unreadable (missing) template", "template_file", "cannot read template",
                        "haproxy.template_file=missing.template"),
                bad("template without {{nodes}}", "template_file", "{{nodes}}",
                        "haproxy.template_file=no-nodes.template"),
                bad(".ftl template without ${nodes}", "template_file", "${nodes}",
                        "haproxy.template_file=jinja.ftl"),
                bad("log_file under a non-writable location", "log_file", "not a writable directory",
                        "haproxy.log_file=a-file.txt/ep2.log")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void bad_config_names_file_key_and_reason(Bad bad) throws IOException {
        write("haproxy.cfg.template", "listen be_app\n    {{nodes}}\n");
        write("no-nodes.template", "listen be_app\n    {{ servers }}\n");
        write("jinja.ftl", "listen be_app\n    {{nodes}}\n");
        write("a-file.txt", "a regular file, not a directory");
        write("ep2.conf", bad.raw().apply(render(bad.edit().apply(base()))));

        assertThatThrownBy(() -> loader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(conf.toAbsolutePath() + ": ")
                .hasMessageContaining(bad.key())
                .hasMessageContaining(bad.reason());
        assertThat(dir.resolve("log")).doesNotExist();
        assertThat(dir.resolve("lock")).doesNotExist();
    }

    @Test
    void the_base_of_the_bad_cases_is_itself_valid() throws Exception {
        write("haproxy.cfg.template", "listen be_app\n    {{nodes}}\n");
        assertThat(load(render(base())).pools().get(0).backendName()).isEqualTo("be_app");
    }

    @Test
    void the_message_shape_is_file_section_key_reason() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Map<String, Map<String, String>> s = base();
        s.get("haproxy").put("backend_port", "http");
        write("ep2.conf", render(s));
        assertThatThrownBy(() -> loader.load(conf))
                .hasMessage(conf.toAbsolutePath() + ": [haproxy] backend_port: not a whole number: 'http'");
    }

    @Test
    void the_aws_secret_is_never_echoed_in_an_error() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        write("ep2.conf", render(base()) + "[AWS]\naws_secret_access_key = top\u0001secret\n");
        assertThatThrownBy(() -> loader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("aws_secret_access_key")
                .hasMessageNotContaining("secret\u0001")
                .hasMessageNotContaining("top");
    }
    @Test
    void duplicate_key_differing_only_in_case_is_rejected() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        write("ep2.conf", render(base()).replace("[haproxy]\n", "[haproxy]\nBackend_Name = other\n"));
        assertThatThrownBy(() -> loader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backend_name")
                .hasMessageContaining("more than once");
    }
    @Test
    void default_values_are_normalised_like_given_ones() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        assertThat(load(render(base())).get(ConfigKey.ONLY_PASSING)).contains("true");
        assertThat(load(render(base())).toCamelProperties().getProperty("ep2.consul.only_passing")).isEqualTo("true");
    }
    @Test
    void a_tiny_sleep_before_next_run_is_rejected_or_kept_above_zero_ms() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Map<String, Map<String, String>> s = base();
        s.get("haproxy").put("sleep_before_next_run", "0.0004");
        write("ep2.conf", render(s));
        try {
            Ep2Config cfg = loader.load(conf);
            assertThat(Long.parseLong(cfg.toCamelProperties().getProperty("ep2.poll_period_ms"))).isPositive();
        } catch (ConfigException e) {
            assertThat(e).hasMessageContaining("sleep_before_next_run");
        }
    }

    @Test
    void config_key_table_is_consistent() {
        // ConfigKey is the single table of keys: every key has a section, a meaning and a property name
        for (ConfigKey k : ConfigKey.values()) {
            assertThat(ConfigKey.sections()).contains(k.section());
            assertThat(k.meaning()).isNotBlank();
            assertThat(k.property()).isEqualTo("ep2." + k.section().toLowerCase() + "." + k.key());
            assertThat(ConfigKey.find(k.section(), k.key())).contains(k);
        }
        assertThat(ConfigKey.find("haproxy", "nope")).isEqualTo(Optional.empty());
        assertThat(List.of(ConfigKey.values())).extracting(ConfigKey::property).doesNotHaveDuplicates();
    }
}
