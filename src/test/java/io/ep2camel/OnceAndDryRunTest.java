package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** --once applies one round and exits; --dry-run prints what a round would do and touches nothing. */
class OnceAndDryRunTest {
    private Ep2Fixture fx;
    private HttpBackends servers;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(2);
        fx.backends(List.of(servers.port(0)));
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    private String stdoutOf(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Ep2Main.run(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dryRunPrintsTheConfigAndTouchesNothing() {
        String out = stdoutOf("-f", fx.conf.toString(), "--dry-run");

        assertThat(out).contains("# orchestrator file: 1 backends")
                .contains("server srv_127.0.0.1_" + servers.port(0) + " 127.0.0.1:" + servers.port(0) + " check")
                .contains(fx.haproxyCfg + ": would become");
        assertThat(fx.haproxyCfg).doesNotExist();
        assertThat(fx.pidFile).doesNotExist();
        assertThat(fx.logFile).doesNotExist();
        assertThat(fx.dir.resolve("ep2.lock")).doesNotExist();
    }

    @Test
    void dryRunBringsItsManagementServerUpOnAPortOfItsOwnNotOnObservePort() throws Exception {
        // a controller running with this ep2.conf holds observe_port; the dry run (the install
        // step's class-data archive run) must not need it
        try (java.net.ServerSocket running = new java.net.ServerSocket(fx.observePort, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            String out = stdoutOf("-f", fx.conf.toString(), "--dry-run");
            assertThat(out).contains(fx.haproxyCfg + ": would become");
            assertThat(running.isClosed()).isFalse();
        }
    }

    @Test
    void onceAppliesOneRoundThenLeavesHaproxyServing() throws Exception {
        assertThat(Ep2Main.run(new String[]{"-f", fx.conf.toString(), "--once"})).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.tryGet(fx.frontendPort).equals("b1"));

        fx.backends(List.of(servers.port(1)));   // nobody is watching any more
        Thread.sleep(600);                        // three poll periods of the stopped controller
        assertThat(Http.tryGet(fx.frontendPort)).isEqualTo("b1");
    }

    @Test
    void dryRunInRuntimeModeShowsTheSocketCommandsWithoutSendingThem() throws Exception {
        fx.set("update_type", "update_by_runtime").set("node_slots", "3");
        assertThat(Ep2Main.run(new String[]{"-f", fx.conf.toString(), "--once"})).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
        String before = Files.readString(fx.haproxyCfg);

        fx.backends(List.of(servers.port(0), servers.port(1)));
        String out = stdoutOf("-f", fx.conf.toString(), "--dry-run");

        // slot2 is free (in maintenance) since HAProxy was read: deleted and added again with the address
        assertThat(out).contains("would send 9 commands")
                .contains("del server be_app/slot2")
                .contains("add server be_app/slot2 127.0.0.1:" + servers.port(1) + " ");
        assertThat(Files.readString(fx.haproxyCfg)).isEqualTo(before);
        for (int i = 0; i < 10; i++) {
            assertThat(Http.tryGet(fx.frontendPort)).isEqualTo("b1");
        }
    }
}
