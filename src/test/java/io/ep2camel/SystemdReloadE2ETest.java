package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
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
 * start_by = systemd: HAProxy is started through {@code systemctl start} when the unit is not
 * active, reloaded through {@code systemctl reload} afterwards. systemd cannot run here, so a
 * fake systemctl records its calls and keeps the unit's state in a file; the configs it is
 * asked to load were still validated by the real haproxy -c.
 */
class SystemdReloadE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;
    private Path calls;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(2);
        calls = fx.dir.resolve("systemctl.calls");
        Path state = fx.dir.resolve("unit.active");
        Path fake = fx.dir.resolve("systemctl");
        Files.writeString(fake, """
                #!/bin/sh
                echo "$*" >> %s
                case "$1" in
                  is-active) [ -f %s ] && exit 0 || exit 3 ;;
                  start) touch %s ;;
                esac
                exit 0
                """.formatted(calls, state, state));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        System.setProperty(ControllerWiring.SYSTEMCTL_PROPERTY, fake.toString());
        fx.set("start_by", "systemd").set("service_name", "haproxy-test");
    }

    @AfterEach
    void tearDown() throws Exception {
        System.clearProperty(ControllerWiring.SYSTEMCTL_PROPERTY);
        servers.close();
        fx.close();
    }

    @Test
    void startsAnInactiveUnitThenReloadsItOnEachChange() throws Exception {
        fx.backends(List.of(servers.port(0)));
        fx.startController();

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(calls)
                && Files.readAllLines(calls).contains("start haproxy-test"));
        fx.backends(List.of(servers.port(0), servers.port(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(calls).contains("reload haproxy-test"));

        assertThat(Files.readAllLines(calls)).containsSubsequence(
                "is-active --quiet haproxy-test", "start haproxy-test",
                "is-active --quiet haproxy-test", "reload haproxy-test");
        assertThat(fx.config()).contains("127.0.0.1:" + servers.port(1));
    }
}
