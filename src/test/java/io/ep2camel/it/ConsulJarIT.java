package io.ep2camel.it;

import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.BuiltJar;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.ep2camel.testsupport.ConsulDouble.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * orchestrator = consul from the built jar: the shaded jar carries camel-consul, consul-client
 * with a Jackson it can read with, and the consul route; the watch is cancelled on SIGTERM and
 * the ACL token stays out of the output.
 */
class ConsulJarIT {
    private static final String TOKEN = "jar-consul-token-never-printed";

    private final HttpBackends servers = HttpBackends.start(2);
    private final ConsulDouble consul = ConsulDouble.start().requireToken(TOKEN);
    private final Ep2Fixture fx = new Ep2Fixture();
    private Process controller;

    @AfterEach
    void tearDown() throws Exception {
        if (controller != null && controller.isAlive()) {
            controller.destroyForcibly().waitFor();
        }
        fx.close();
        consul.close();
        servers.close();
    }

    @Test
    void theJarWatchesTheConsulService() throws Exception {
        consul.register(instance("web-1", "web").address("127.0.0.1").port(servers.port(0)));
        fx.set("orchestrator", "consul");
        fx.section("CONSUL").put("service_name", "web");
        fx.section("CONSUL").put("consul_port", Integer.toString(consul.port()));
        fx.section("CONSUL").put("acl_token", TOKEN);
        fx.writeConf();

        Path out = fx.dir.resolve("controller.out");
        controller = BuiltJar.start(out, "-f", fx.conf.toString());

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> consul.blocked() == 1);
        consul.register(instance("web-2", "web").address("127.0.0.1").port(servers.port(1))).deregister("web-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> Http.tryGet(fx.frontendPort).equals("b2"));

        long t0 = System.nanoTime();
        controller.destroy();   // SIGTERM while a 30 s blocking query is held: cancelled, not waited for
        assertThat(controller.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(output).contains("Started ep2-watch-consul").doesNotContain(TOKEN);
        assertThat(Files.readString(fx.logFile)).doesNotContain(TOKEN);
    }
}
