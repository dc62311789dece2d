package io.ep2camel;

import io.ep2camel.config.Ep2Config;
import io.ep2camel.config.Ep2ConfigLoader;
import io.ep2camel.config.PoolSpec;
import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.render.PoolLines;
import io.ep2camel.render.ServerLineFormat;
import io.ep2camel.render.TemplateRenderer;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What ships in etc/ works as shipped: the sample ep2.conf loads, its template renders to a config haproxy accepts. */
class ShippedFilesTest {
    @Test
    void sampleConfigLoadsAndItsTemplatePassesHaproxyCheck() throws Exception {
        RouteLocator routes = RouteLocator.detect(Optional.empty());
        Ep2Config cfg = new Ep2ConfigLoader(routes.orchestrators()).load(Path.of("etc/ep2.conf"));
        PoolSpec pool = cfg.pools().get(0);
        assertThat(pool.orchestrator()).isEqualTo("file");
        assertThat(cfg.templateFile()).isEqualTo(Path.of("etc/haproxy.cfg.template").toAbsolutePath().normalize());

        String config = new HaproxyConfigRenderer(new TemplateRenderer(cfg.templateFile())).render(List.of(
                PoolLines.of(pool.backendName(), new ServerLineFormat(pool.backendMaxconn(), pool.checkInterval()),
                        BackendSet.of(new Backend("127.0.0.1", 18081)))));
        Path dir = TestDirs.shortTemp();
        try {
            Path file = dir.resolve("haproxy.cfg");
            Files.writeString(file, config);
            Process check = new ProcessBuilder(HaproxyProcess.BINARY, "-c", "-f", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(out).isZero();
            assertThat(config).contains("server srv_127.0.0.1_18081 127.0.0.1:18081 check");
        } finally {
            TestDirs.deleteQuietly(dir);
        }
    }

    @Test
    void systemdUnitRunsTheJarWithTheConfigAndKeepsHaproxyAlive() throws Exception {
        String unit = Files.readString(Path.of("etc/ep2.service"));
        assertThat(unit).contains("ExecStart=/usr/bin/java").contains("-jar /opt/ep2-camel/ep2-camel.jar -f /etc/ep2/ep2.conf")
                .contains("KillMode=process").contains("Restart=on-failure").contains("RestartPreventExitStatus=2");
    }

    @Test
    void systemdUnitRunsAsItsOwnUserWithOnlyWhatItNeeds() throws Exception {
        String unit = Files.readString(Path.of("etc/ep2.service"));
        assertThat(unit).contains("\nUser=ep2\n").contains("\nSupplementaryGroups=haproxy\n")
                .contains("\nProtectSystem=strict\n").contains("\nNoNewPrivileges=yes\n")
                .contains("\nReadWritePaths=/etc/haproxy -/run/haproxy -/var/lib/haproxy\n")
                .contains("\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n")
                .doesNotContain("User=root");
        assertThat(Files.readString(Path.of("etc/ep2-haproxy.rules"))).contains("subject.user == \"ep2\"")
                .contains("\"haproxy.service\"").contains("\"reload\"");
    }
}
