package io.ep2camel;

import io.ep2camel.config.Ep2ConfigLoader;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Things that go wrong in production, done on purpose against a real HAProxy (update_by_config). */
class FailureDrillsE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;
    private Ep2Application app;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(2);
        fx.backends(List.of(servers.port(0)));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (app != null) {
            app.stop();
        }
        servers.close();
        fx.close();
    }

    private void startController() throws Exception {
        RouteLocator routes = RouteLocator.detect(Optional.empty());
        app = new Ep2Application(new Ep2ConfigLoader(routes.orchestrators()).load(fx.conf), routes);
        app.start();
    }

    private void awaitServed(String name) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.tryGet(fx.frontendPort).equals(name) && Http.tryGet(fx.frontendPort).equals(name));
    }

    private String log() throws Exception {
        return Files.exists(fx.logFile) ? Files.readString(fx.logFile) : "";
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
        startController();
        awaitServed("b1");
        String before = fx.config();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // haproxy -c accepts it (it binds nothing), the reload cannot bind the port
            fx.writeTemplate("    {{nodes}}\n\nlisten extra\n    bind 127.0.0.1:" + taken.getLocalPort()
                    + "\n    server x 127.0.0.1:1");
            fx.backends(List.of(servers.port(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("haproxy reload failed"));
            assertThat(log()).contains("previous config restored");
            assertThat(fx.config()).isEqualTo(before);
            for (int i = 0; i < 5; i++) {
                assertThat(Http.tryGet(fx.frontendPort)).isEqualTo("b1");
            }
        }
        awaitServed("b2");   // the port is free again: the pending change goes through
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
        app.stop();
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
        app.stop();        // as if killed right after its last reload
        app = null;
        long master = fx.haproxy().masterPid();

        startController();
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("HAProxy already runs this config"));
        assertThat(fx.haproxy().masterPid()).isEqualTo(master);
        awaitServed("b1");
    }

    @Test
    void aConfigWrittenButNeverLoadedIsReloadedOnRestart() throws Exception {
        startController();
        awaitServed("b1");
        app.stop();        // as if killed between writing the file and reloading
        app = null;
        long master = fx.haproxy().masterPid();
        Files.setLastModifiedTime(fx.haproxyCfg, FileTime.from(Instant.now()));

        startController();
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.haproxy().masterPid() != master);
        awaitServed("b1");
    }
}
