package io.ep2camel;

import io.ep2camel.config.StartBy;
import io.ep2camel.reload.ExecCommandRunner;
import io.ep2camel.reload.HaproxyCommands;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.reload.MasterCli;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.HttpBackends;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * start_by = binary: the controller starts HAProxy with its master CLI (-S) and reloads it there
 * (same master, new workers); an HAProxy started without one keeps being reloaded EP2's way.
 * ({@link io.ep2camel.ControllerE2ETest} runs ten such reloads under load without a failed request.)
 */
class MasterCliReloadE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        fx.set("update_type", "update_by_config").set("reload_min_interval", "0");
        servers = HttpBackends.start(3);
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    @Test
    void startedWithTheMasterCliBesideThePidFileAndReloadedThere() throws Exception {
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        fx.awaitServed("b1");
        Path masterSocket = fx.pidFile.resolveSibling("haproxy-master.sock");
        assertThat(masterSocket).exists();
        long master = fx.haproxy().masterPid();
        List<Long> firstWorkers = fx.haproxy().workerPids();

        fx.backends(List.of(servers.port(0), servers.port(1)));
        fx.awaitServed("b1", "b2");
        fx.backends(List.of(servers.port(1)));
        fx.awaitServed("b2");

        assertThat(fx.haproxy().masterPid()).isEqualTo(master);
        assertThat(fx.haproxy().workerPids()).doesNotContainAnyElementsOf(firstWorkers);
        // the new workers may serve before the reload's log line is written
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().split("HAProxy reloaded through the master CLI", -1).length == 3);
        Matcher reloads = Pattern.compile("HAProxy reloaded through the master CLI: master " + master
                + " \\(reload (\\d+)\\), new worker\\(s\\) \\[\\d+").matcher(fx.log());
        assertThat(reloads.find()).as(fx.log()).isTrue();
        assertThat(reloads.group(1)).isEqualTo("1");
        assertThat(reloads.find()).isTrue();
        assertThat(reloads.group(1)).isEqualTo("2");
        assertThat(fx.log()).doesNotContain("no master CLI");
    }

    @Test
    void anHaproxyStartedWithoutTheMasterCliIsReloadedEp2sWayAndThatIsLoggedOnce() throws Exception {
        // HAProxy already runs, started by hand (no -S) from a config with the backend
        Files.writeString(fx.haproxyCfg, fx.templateText("    server b1 127.0.0.1:" + servers.port(0) + " check"));
        HaproxyProcess.start(fx.haproxyCfg, fx.pidFile);
        long byHand = fx.haproxy().masterPid();
        fx.backends(List.of(servers.port(0), servers.port(1)));
        fx.startController();
        fx.awaitServed("b1", "b2");
        long second = fx.haproxy().masterPid();
        assertThat(second).as("EP2's way: a new master").isNotEqualTo(byHand);

        fx.backends(List.of(servers.port(2)));
        fx.awaitServed("b3");
        assertThat(fx.haproxy().masterPid()).isNotEqualTo(second);
        assertThat(fx.log()).containsOnlyOnce("has no master CLI at " + fx.pidFile.resolveSibling("haproxy-master.sock"))
                .contains("old pids [" + byHand + "] soft-stopped", "old pids [" + second + "] soft-stopped")
                .doesNotContain("reloaded through the master CLI");
    }

    @Test
    void reloadsBackToBackWaitForTheMasterCliWhileTheMasterReExecutesItself() throws Exception {
        // after each start and reload the master re-executes itself and refuses its CLI for a moment:
        // a reload at that moment must wait for it, not take it as gone and start a new master
        Files.writeString(fx.haproxyCfg, fx.templateText("    server b1 127.0.0.1:" + servers.port(0) + " check"));
        Path masterSocket = fx.pidFile.resolveSibling("m.sock");
        CamelContext camel = new DefaultCamelContext();
        camel.start();
        try {
            HaproxyControl control = new HaproxyControl(new ExecCommandRunner(() -> camel, Duration.ofSeconds(30)),
                    new HaproxyCommands(Path.of(HaproxyProcess.BINARY), "systemctl"), StartBy.BINARY, fx.haproxyCfg,
                    fx.pidFile, Optional.empty(), "haproxy", Optional.of(masterSocket));
            control.reloadOrStart();
            long master = fx.haproxy().masterPid();
            for (int i = 0; i < 5; i++) {
                control.reloadOrStart();
                assertThat(fx.haproxy().masterPid()).as("reload %d went through the master CLI", i + 1).isEqualTo(master);
            }
            assertThat(new MasterCli(masterSocket, Duration.ofSeconds(5)).answersWithin(Duration.ofSeconds(5))).isTrue();
        } finally {
            camel.stop();
        }
    }
}
