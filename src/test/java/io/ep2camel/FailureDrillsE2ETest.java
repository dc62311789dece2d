package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Things that go wrong in production, done on purpose against a real HAProxy (update_by_config). */
class FailureDrillsE2ETest {
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

    private void startController() throws Exception {
        fx.startController();
    }

    private void awaitServed(String name) {
        fx.awaitServed(name);
    }

    private String log() throws Exception {
        return fx.log();
    }

    @Test
    void haproxyKilledIsStartedAgainWithTheCurrentBackends() throws Exception {
        startController();
        awaitServed("b1");
        long master = fx.haproxy().masterPid();
        ProcessHandle.of(master).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        });
        awaitServed("b1");
        assertThat(fx.haproxy().masterPid()).isNotEqualTo(master);
    }

    @Test
    void configEditedByHandIsWrittenAgainFromTheTemplate() throws Exception {
        startController();
        awaitServed("b1");
        Files.writeString(fx.haproxyCfg, fx.templateText("    # emptied by hand"));
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("changed outside ep2-camel"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.config().contains("127.0.0.1:" + servers.port(0)));
        awaitServed("b1");
    }

    @Test
    void failedReloadRestoresThePreviousConfigAndKeepsServing() throws Exception {
        fx.set("sleep_before_next_run", "2");   // a quiet window between the failure and its retry
        startController();
        awaitServed("b1");
        String before = fx.config();
        // haproxy -c accepts it (it binds nothing); the reload cannot bind an address this host lacks
        fx.writeTemplate("    {{nodes}}\n\nlisten extra\n    bind 192.0.2.1:8080\n    server x 127.0.0.1:1");
        fx.backends(List.of(servers.port(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("update_by_config failed"));
        assertThat(log()).containsPattern("haproxy reload.* failed").contains("previous config restored");
        if (io.ep2camel.testsupport.HaproxyProcess.versionAtLeast(2, 7)) {
            // HAProxy's own reason: 2.7+ answers the master CLI reload with its start-up messages;
            // 2.6 answers nothing, its show proc only counts the failed reload
            assertThat(log()).contains("cannot bind socket");
        }
        // each retry puts the candidate in place for HAProxy to read, then the old one back
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.config().equals(before));
        for (int i = 0; i < 5; i++) {
            assertThat(Http.tryGet(fx.frontendPort)).isEqualTo("b1");
        }

        fx.writeTemplate("    {{nodes}}");
        awaitServed("b2");   // template fixed: the pending change goes through
    }

    @Test
    void unwritableConfigDirectoryIsAClearErrorAndLeavesNoHalfWrittenFile() throws Exception {
        startController();
        awaitServed("b1");
        // the config lives in its own directory, which then turns into something nothing can be
        // written to (as root, a chmod would not stop writes: a file takes the directory's place)
        Path dir = fx.dir.resolve("etc");
        Files.createDirectories(dir);
        Files.move(fx.haproxyCfg, dir.resolve("haproxy.cfg"));
        fx.set("haproxy_config_file", dir.resolve("haproxy.cfg").toString());
        fx.stopController();
        startController();
        awaitServed("b1");
        Path etcMoved = fx.dir.resolve("etc.real");
        Files.move(dir, etcMoved);
        Files.writeString(dir, "not a directory");          // writes under etc/ now fail (ENOTDIR)

        fx.backends(List.of(servers.port(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("cannot write " + dir.resolve("haproxy.cfg.ep2-new")));
        assertThat(Http.tryGet(fx.frontendPort)).isEqualTo("b1");
        try (Stream<Path> files = Files.list(fx.dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".ep2-new"));
        }

        Files.delete(dir);
        Files.move(etcMoved, dir);                             // writable again: the change goes through
        awaitServed("b2");
    }

    @Test
    void aRestartedControllerDoesNotReloadWhenHaproxyAlreadyRunsTheConfig() throws Exception {
        startController();
        awaitServed("b1");
        fx.stopController();   // as if killed right after its last reload
        List<Long> master = fx.haproxy().processes();

        startController();
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("HAProxy already runs this config"));
        assertThat(fx.haproxy().processes()).isEqualTo(master);
        awaitServed("b1");
    }

    @Test
    void aConfigWrittenButNeverLoadedIsReloadedOnRestart() throws Exception {
        startController();
        awaitServed("b1");
        fx.stopController();   // as if killed between writing the file and reloading:
        List<Long> master = fx.haproxy().processes();
        // nothing records that the running master loaded this file
        Files.delete(fx.haproxyCfg.resolveSibling("haproxy.cfg.ep2-loaded"));

        startController();
        // reloaded: through the master CLI, the same master with new workers
        await().atMost(Duration.ofSeconds(10)).until(() -> !fx.haproxy().processes().equals(master));
        awaitServed("b1");
    }
}
