package io.ep2camel;

import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * update_by_config keeps every server's state across its reloads: the servers' state is saved
 * before each reload and the new workers load it, so a server HAProxy had found DOWN is not taken
 * as UP again by them. {@code retries 0} and no redispatch: HAProxy cannot hide a request sent to
 * the dead server by retrying it on another one, so every such request is a failed request.
 */
class ServerStateE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        fx.set("update_type", "update_by_config").set("check_interval", "100").set("reload_min_interval", "0");
        fx.write(fx.template, fx.templateText("    {{nodes}}").replace("retries 3", "retries 0")
                .replace("    option redispatch\n", ""));
        servers = HttpBackends.start(3);
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    private String serverState() {
        return new HaproxySocketClient(Duration.ofSeconds(5)).execute(fx.socket, List.of("show servers state be_app")).get(0);
    }

    /** Reloads in the controller's log, each preceded by the servers' state saved for it. */
    private long savedThenReloaded() throws IOException {
        long reloads = 0;
        boolean saved = false;
        for (String line : fx.log().lines().toList()) {
            if (line.contains("servers' state saved for the reload")) {
                saved = true;
            } else if (saved && line.contains("HAProxy reloaded")) {
                reloads++;
                saved = false;
            }
        }
        return reloads;
    }

    @Test
    void aServerDownBeforeTenReloadsGetsNoRequestAfterAnyOfThem() throws Exception {
        fx.backends(List.of(servers.port(0), servers.port(1)));
        fx.startController();
        fx.awaitServed("b1", "b2");
        servers.stop(1);
        // srv_op_state 0: HAProxy's checks found b2 DOWN
        String b2 = " 127.0.0.1 0 ";
        await().atMost(Duration.ofSeconds(10)).until(() -> serverState().lines()
                .anyMatch(l -> l.contains(b2) && l.contains(" " + servers.port(1) + " ")));
        fx.awaitServed("b1");

        long before = savedThenReloaded();
        RequestLoop load = RequestLoop.start(fx.frontendPort);
        try (load) {
            for (int i = 1; i <= 10; i++) {
                // alternate b1+b2(dead)+b3 and b1+b2(dead): every change is a reload
                boolean withB3 = i % 2 == 1;
                fx.backends(withB3 ? List.of(servers.port(0), servers.port(1), servers.port(2))
                        : List.of(servers.port(0), servers.port(1)));
                // each step waits for its own reload: the previous worker, soft-stopping, may still
                // accept a connection or two, so what HAProxy serves alone could be an old answer
                long reloads = before + i;
                await().atMost(Duration.ofSeconds(10)).until(() -> savedThenReloaded() >= reloads);
                if (withB3) {
                    fx.awaitServed("b1", "b3");
                } else {
                    fx.awaitServed("b1");
                }
            }
        }
        assertThat(savedThenReloaded()).as("reloads, each after the servers' state was saved").isEqualTo(before + 10);
        assertThat(fx.config()).contains("server-state-file " + fx.haproxyCfg + ".state", "load-server-state-from-file global");
        assertThat(load.ok()).isGreaterThan(50);
        assertThat(load.failures()).as("requests sent to the dead server after a reload").isEmpty();
    }
}
