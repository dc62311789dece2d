package io.ep2camel;

import io.ep2camel.model.Backend;
import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;
import io.ep2camel.testsupport.WarmingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * update_by_config's early entry, real HAProxy: a round's new server is added over the socket and
 * served once it passes a check, before the reload that writes it into the config. HAProxy runs
 * through a wrapper whose {@code haproxy -c} waits for a file (or refuses the config), so the round
 * is held between entry and reload for as long as the test needs: what the test sees there is the
 * order of the steps, not a timing.
 */
class EarlyEntryE2ETest {
    private Ep2Fixture fx;
    private HttpBackends base;
    private WarmingBackend late;
    private Path release;
    private Path refuse;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Ep2Fixture();
        release = fx.dir.resolve("check-release");
        refuse = fx.dir.resolve("check-refuse");
        Path wrapper = fx.dir.resolve("haproxy-wrapper");
        // -c waits (at most 30 s) until the test releases it, or refuses when asked to; anything else is HAProxy
        Files.writeString(wrapper, """
                #!/bin/sh
                if [ "$1" = "-c" ]; then
                  if [ -f %2$s ]; then echo "[ALERT] config refused by the test" >&2; exit 1; fi
                  i=0; while [ ! -f %1$s ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
                fi
                exec %3$s "$@"
                """.formatted(release, refuse, HaproxyProcess.BINARY));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        fx.set("update_type", "update_by_config").set("haproxy_binary", wrapper.toString())
                .set("check_interval", "3s").set("down_check_interval", "100ms");
        fx.writeTemplateCheckingAt(WarmingBackend.HEALTH_PATH);
        base = HttpBackends.start(2);
        late = new WarmingBackend("late");
    }

    @AfterEach
    void tearDown() {
        late.close();
        base.close();
        fx.close();
    }

    @Test
    void aNewServerIsCheckedAndServedBeforeTheReloadAndTakesNoRequestBeforeItsFirstPassedCheck() throws Exception {
        servingB1();
        Files.delete(release);             // from here, the round waits in haproxy -c
        try (RequestLoop load = RequestLoop.start(fx.frontendPort)) {
            fx.backends(List.of(base.port(0), late.port()));
            // not ready: checked every down_check_interval, no client request
            late.awaitChecksWithoutRequests(3, Duration.ofSeconds(10));
            late.readyAndAwaitRequests();
            assertThat(fx.config()).as("the config file while the round waits for its validation")
                    .doesNotContain(":" + late.port());

            Files.writeString(release, "");
            await().atMost(Duration.ofSeconds(15)).until(() -> fx.config().contains(":" + late.port()));
            // the round's own "applied" line (the bootstrap wrote the first)
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().split("applied: HAProxy serves", -1).length > 2);
            int before = late.requests();
            await().atMost(Duration.ofSeconds(10)).until(() -> late.requests() > before);   // after the reload too
            load.close();
            assertThat(load.failures()).as("failed client requests").isEmpty();
        }
    }

    @Test
    void theServersARoundAddedGoAgainWhenItsConfigIsRefused() throws Exception {
        servingB1();
        Files.writeString(refuse, "");
        fx.backends(List.of(base.port(0), base.port(1)));
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.log().contains("taken out of HAProxy again"));
        String servers = String.join("\n", new HaproxySocketClient(Duration.ofSeconds(5))
                .execute(fx.socket, List.of("show servers state be_app")));
        assertThat(servers).as("HAProxy's servers after the refused round")
                .contains(new Backend("127.0.0.1", base.port(0)).serverName())
                .doesNotContain(new Backend("127.0.0.1", base.port(1)).serverName());
        fx.awaitServed("b1");
        assertThat(fx.config()).as("the config file keeps the last good config").doesNotContain(":" + base.port(1));

        Files.delete(refuse);                // the next round succeeds: entered, then written and reloaded
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.config().contains(":" + base.port(1)));
        fx.awaitServed("b1", "b2");
    }

    @Test
    void aBackendHaproxyWillNotAddServersToAtRuntimeGetsThemByTheReload() throws Exception {
        fx.write(fx.template, fx.templateText("    {{nodes}}").replace("balance roundrobin", "balance static-rr"));
        servingB1();
        fx.backends(List.of(base.port(0), base.port(1)));
        fx.awaitServed("b1", "b2");
        assertThat(fx.log()).as("HAProxy's refusal, logged").contains("not added ahead of the reload")
                .doesNotContain("taken out of HAProxy again");
    }

    /** The controller started on b1 alone, its bootstrap through (haproxy -c not held). */
    private void servingB1() throws Exception {
        Files.writeString(release, "");
        fx.backends(List.of(base.port(0)));
        fx.startController();
        fx.awaitServed("b1");
    }
}
