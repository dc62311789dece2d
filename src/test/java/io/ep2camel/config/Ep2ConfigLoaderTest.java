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

    @Test
    void defaults_are_filled_in() throws Exception {
        write("haproxy.cfg.template", "{{nodes}}");
        Ep2Config cfg = load("""
                [haproxy]
                template_file = haproxy.cfg.template
                backend_name = be_app
                orchestrator = file
                log_file = ep2.log
                [FILE]
                path = backends.txt
                """);
        assertThat(cfg.get(ConfigKey.CONSUL_IP)).contains("127.0.0.1");
        assertThat(cfg.get(ConfigKey.CONSUL_PORT)).contains("8500");
        assertThat(cfg.get(ConfigKey.ONLY_PASSING).orElseThrow()).isEqualToIgnoringCase("true");
        assertThat(cfg.sleepBeforeNextRun()).isEqualTo(Duration.ofSeconds(5));
        assertThat(cfg.startBy()).isEqualTo(StartBy.BINARY);
        assertThat(cfg.updateType()).isEqualTo(UpdateType.UPDATE_BY_CONFIG);
        assertThat(cfg.haproxyConfigFile()).isEqualTo(Path.of("/etc/haproxy/haproxy.cfg"));
        assertThat(cfg.haproxyBinary()).isEqualTo(Path.of("/usr/sbin/haproxy"));
        assertThat(cfg.pidFile()).isEqualTo(Path.of("/run/haproxy.pid"));
        assertThat(cfg.lockDir()).isEqualTo(Path.of("/run/ep2"));
        assertThat(cfg.pools().get(0).backendPort()).isEmpty();
        assertThat(cfg.pools().get(0).backendMaxconn()).isEmpty();
        assertThat(cfg.pools().get(0).checkInterval()).isEmpty();
        assertThat(cfg.get(ConfigKey.NODE_SLOTS)).isEmpty();
        assertThat(cfg.serviceName()).isEmpty();
        assertThat(cfg.socketFiles()).isEmpty();
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
                bad("missing template_file", "template_file", "required", "haproxy.template_file"),
                bad("empty template_file", "template_file", "required", "haproxy.template_file="),
                bad("missing backend_name", "backend_name", "required", "haproxy.backend_name"),
                bad("missing orchestrator", "orchestrator", "required", "haproxy.orchestrator"),
                bad("update_by_runtime without node_slots", "node_slots", "update_by_runtime",
                        "haproxy.update_type=update_by_runtime", "haproxy.haproxy_socket_file=s.sock"),
                bad("update_by_runtime without haproxy_socket_file", "haproxy_socket_file", "update_by_runtime",
                        "haproxy.update_type=update_by_runtime", "haproxy.node_slots=4"),
                bad("start_by systemd without service_name", "service_name", "start_by = systemd",
                        "haproxy.start_by=systemd"),
                bad("orchestrator file without [FILE] path", "[FILE] path", "required when orchestrator = file",
                        "FILE.path"),
                bad("orchestrator aws without asg_name", "asg_name", "required when orchestrator = aws",
                        "haproxy.orchestrator=aws", "haproxy.backend_port=80", "AWS.asg_name="),
                bad("orchestrator aws without backend_port", "backend_port", "required when orchestrator = aws",
                        "haproxy.orchestrator=aws", "AWS.asg_name=my-asg"),
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
