package io.ep2camel;

import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

        RequestLoop load = RequestLoop.start(fx.frontendPort);
        try (load) {
            for (int i = 0; i < 10; i++) {
                // alternate b1+b2(dead)+b3 and b1+b2(dead): every change is a reload
                boolean withB3 = i % 2 == 0;
                fx.backends(withB3 ? List.of(servers.port(0), servers.port(1), servers.port(2))
                        : List.of(servers.port(0), servers.port(1)));
                if (withB3) {
                    fx.awaitServed("b1", "b3");
                } else {
                    await().atMost(Duration.ofSeconds(10)).until(() -> !fx.config().contains(":" + servers.port(2) + " "));
                    fx.awaitServed("b1");
                }
            }
        }
        // the new workers may serve before the reload's log line is written
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().matches("(?s)(.*servers' state saved for the reload.*HAProxy reloaded){10}.*"));
        assertThat(fx.config()).contains("server-state-file " + fx.haproxyCfg + ".state", "load-server-state-from-file global");
        assertThat(load.ok()).isGreaterThan(50);
        assertThat(load.failures()).as("requests sent to the dead server after a reload").isEmpty();
    }
}
