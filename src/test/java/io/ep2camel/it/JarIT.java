package io.ep2camel.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ep2camel.testsupport.BuiltJar;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    void perStepAndPerProducerMBeansAreOffUnlessTheOperatorAsksForThem() throws Exception {
        fx.backends(List.of(servers.port(0)));
        controller = launch("-f", fx.conf.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
        assertThat(camelMBeans("routes")).anyMatch(n -> n.contains("name=\"ep2-poll\""));
        assertThat(camelMBeans("endpoints")).anyMatch(n -> n.contains("haproxy-socket"));
        assertThat(camelMBeans("processors")).as("application.properties: jmxManagementMBeansLevel = RoutesOnly").isEmpty();
        assertThat(camelMBeans("producers")).as("ConsoleMBeans at RoutesOnly").isEmpty();
        controller.destroy();
        assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // a system property overrides application.properties: Hawtio's diagram gets its per-step counts back
        controller = BuiltJar.command(List.of("-Dcamel.main.jmxManagementMBeansLevel=Default"), "-f", fx.conf.toString())
                .redirectOutput(fx.dir.resolve("controller.out").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !camelMBeans("processors").isEmpty());
        assertThat(camelMBeans("processors")).anyMatch(n -> n.contains("name=\"ep2-fetch\""));
        assertThat(camelMBeans("producers")).as("every MBean at the Default level").isNotEmpty();
    }

    /** The Camel MBeans of one type, as Jolokia's (read-only) search lists them; none while it does not answer. */
    private List<String> camelMBeans(String type) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + fx.observePort + "/observe/jolokia/search/org.apache.camel:type=" + type + ",*"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            List<String> names = new ArrayList<>();
            new ObjectMapper().readTree(r.body()).path("value").forEach(n -> names.add(n.asText()));
            return names;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
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
        // the second instance gives up after this wait (60 s by default; InstanceLockTest covers the wait)
        fx.set("lock_wait_timeout", "2");
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
