package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class Ep2MainTest {
    private final Ep2Fixture fx = new Ep2Fixture();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream realErr;
    private PrintStream realOut;

    @BeforeEach
    void captureStreams() {
        realErr = System.err;
        realOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStreams() {
        System.setErr(realErr);
        System.setOut(realOut);
        fx.close();
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private int run(String... args) {
        return Ep2Main.run(args);
    }

    private void assertNothingWrittenOrStarted() {
        assertThat(fx.haproxyCfg).doesNotExist();
        assertThat(fx.pidFile).doesNotExist();
        assertThat(fx.logFile.getParent()).doesNotExist();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(nullValues = "NULL", value = {
            "backend_port, 70000",
            "bogus_key, 1",
            "backend_name, 'be app'",
            "sleep_before_next_lock_attempt, soon",
            "orchestrator, kubernetes",
            "update_type, update_by_magic",
            "template_file, /nonexistent/haproxy.cfg.template",
    })
    void bad_config_exits_2_with_one_line_naming_file_and_key(String key, String value) {
        fx.set(key, value);

        assertThat(run("-f", fx.conf.toString())).isEqualTo(Ep2Main.EXIT_USAGE);

        assertThat(errLines()).hasSize(1);
        assertThat(errLines().get(0))
                .startsWith("ep2-camel: bad config: ")
                .contains(fx.conf.toString())
                .contains(key);
        assertNothingWrittenOrStarted();
        assertThat(fx.dir.resolve("ep2.lock")).doesNotExist();
    }

    @Test
    void bad_config_in_another_section_names_it() {
        fx.section("CONSUL").put("only_passing", "maybe");
        fx.writeConf();
        assertThat(run("-f", fx.conf.toString())).isEqualTo(2);
        assertThat(errLines()).singleElement().asString()
                .startsWith("ep2-camel: bad config: " + fx.conf)
                .contains("[CONSUL] only_passing");
        assertNothingWrittenOrStarted();
    }

    @Test
    void a_consul_token_file_others_may_read_exits_2_naming_file_and_mode() throws Exception {
        java.nio.file.Path token = fx.dir.resolve("consul.token");
        java.nio.file.Files.writeString(token, "s3cr3t-token-value\n");
        java.nio.file.Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        fx.set("orchestrator", "consul");
        fx.section("CONSUL").put("service_name", "web");
        fx.section("CONSUL").put("token_file", token.toString());
        fx.writeConf();
        assertThat(run("-f", fx.conf.toString())).isEqualTo(2);
        assertThat(errLines()).singleElement().asString()
                .contains("[CONSUL] token_file: " + token + " has mode rw-r--r--")
                .doesNotContain("s3cr3t");
        assertNothingWrittenOrStarted();
    }

    @Test
    void unknown_argument_exits_2_with_usage() {
        assertThat(run("--bogus")).isEqualTo(Ep2Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument '--bogus'").contains("usage:");
        assertThat(fx.haproxyCfg).doesNotExist();
    }

    @Test
    void option_without_value_exits_2() {
        assertThat(run("-f")).isEqualTo(Ep2Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
    }

    @Test
    void help_exits_0_with_usage_on_stdout() {
        assertThat(run("--help")).isEqualTo(Ep2Main.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage:");
        assertThat(err.size()).isZero();
    }

    @Test
    void missing_conf_file_exits_2_naming_it() {
        Path missing = fx.dir.resolve("missing.conf");
        assertThat(run("-f", missing.toString())).isEqualTo(Ep2Main.EXIT_USAGE);
        assertThat(errLines()).singleElement().asString()
                .startsWith("ep2-camel: bad config: ")
                .contains(missing.toString())
                .contains("not found");
        assertNothingWrittenOrStarted();
    }

    @Test
    void held_lock_exits_1_naming_the_lock_file_and_writes_nothing() throws Exception {
        fx.set("lock_wait_timeout", "0");
        try (InstanceLock held = InstanceLock.acquire(fx.dir, Duration.ofSeconds(1), Duration.ZERO, m -> { })) {
            int rc = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("-f", fx.conf.toString()));

            assertThat(rc).isEqualTo(Ep2Main.EXIT_FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .startsWith("ep2-camel: ")
                    .contains(fx.dir.resolve("ep2.lock").toString())
                    .contains("pid " + ProcessHandle.current().pid());
            assertNothingWrittenOrStarted();
        }
    }

    @Test
    void held_lock_is_waited_for_as_the_config_says_then_exits_1() throws Exception {
        fx.set("lock_wait_timeout", "0.6").set("sleep_before_next_lock_attempt", "0.2");
        try (InstanceLock held = InstanceLock.acquire(fx.dir, Duration.ofSeconds(1), Duration.ZERO, m -> { })) {
            int rc = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run("-f", fx.conf.toString()));

            assertThat(rc).isEqualTo(Ep2Main.EXIT_FAILED);
            assertThat(errLines()).hasSize(2);
            assertThat(errLines().get(0)).contains("trying again every 0.2 s (sleep_before_next_lock_attempt)")
                    .contains("up to 0.6 s (lock_wait_timeout)");
            assertThat(errLines().get(1)).contains("still held after 0.6 s (lock_wait_timeout)");
            assertNothingWrittenOrStarted();
        }
    }
}
