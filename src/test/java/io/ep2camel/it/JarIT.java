package io.ep2camel.it;

import io.ep2camel.testsupport.BuiltJar;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built jar, as an operator runs it: {@code java -jar ep2-camel.jar -f ep2.conf} from an
 * unrelated working directory. Proves the shaded jar carries the YAML route, the Camel
 * component descriptors and type converters, and that exit codes and SIGTERM behave.
 */
class JarIT {

    private Ep2Fixture fx;
    private HttpBackends servers;
    private Process controller;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(2);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (controller != null && controller.isAlive()) {
            controller.destroyForcibly().waitFor();
        }
        servers.close();
        fx.close();
    }

    private Process launch(String... args) throws Exception {
        return BuiltJar.start(fx.dir.resolve("controller.out"), args);
    }

    private String output() throws Exception {
        return Files.readString(fx.dir.resolve("controller.out"), StandardCharsets.UTF_8);
    }

    @Test
    void runsFromTheJarFollowsTheFileAndStopsCleanlyOnSigterm() throws Exception {
        assertThat(BuiltJar.JAR).exists();
        fx.backends(List.of(servers.port(0)));
        controller = launch("-f", fx.conf.toString());

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
        fx.backends(List.of(servers.port(1)));
        // b1 keeps serving beside b2 until b2 is UP (make before break), then goes
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.served(4).equals(Set.of("b2")));
        assertThat(output()).contains("Started ep2-fetch-file");

        controller.destroy(); // SIGTERM
        boolean stopped = controller.waitFor(30, TimeUnit.SECONDS);
        assertThat(stopped).as("stopped within 30 s of SIGTERM:\n%s", output()).isTrue();
        assertThat(controller.exitValue()).as(output()).isIn(0, 143);
        // the lock is released: a second start gets past it (and is stopped again)
        controller = launch("-f", fx.conf.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> output().contains("Started ep2-fetch-file"));
        // HAProxy keeps serving while no controller runs
        assertThat(Http.tryGet(fx.frontendPort)).isEqualTo("b2");
    }

    @Test
    void badConfigExitsWithTwoAndOneMessage() throws Exception {
        fx.set("update_type", "update_by_magic");
        controller = launch("-f", fx.conf.toString());
        assertThat(controller.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(controller.exitValue()).isEqualTo(2);
        assertThat(output().strip()).startsWith("ep2-camel: bad config: " + fx.conf)
                .contains("update_type").contains("update_by_magic").doesNotContain("\n");
        assertThat(fx.haproxyCfg).doesNotExist();
    }

    @Test
    void secondInstanceOnTheSameLockDirIsRefused() throws Exception {
        fx.backends(List.of(servers.port(0)));
        controller = launch("-f", fx.conf.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.tryGet(fx.frontendPort).equals("b1"));

        Process second = BuiltJar.command("-f", fx.conf.toString()).start();
        String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(out).contains("another ep2-camel is running").contains(fx.dir.resolve("ep2.lock").toString());
        assertThat(controller.isAlive()).isTrue();
    }
}
