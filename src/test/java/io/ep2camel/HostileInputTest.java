package io.ep2camel;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.pipeline.AddressResolver;
import io.ep2camel.pipeline.BackendSetReader;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.render.ServerLineFormat;
import io.ep2camel.render.TemplateRenderer;
import io.ep2camel.runtime.SlotPlan;
import io.ep2camel.runtime.SlotPlanner;
import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HaproxyProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated hostile orchestrator entries: whatever gets through must render to a
 * config the real haproxy accepts, and to socket commands that are each exactly one command.
 */
class HostileInputTest {
    private static final String[] POISON = {" ", "\t", "\n", "\r", ";", "#", "'", "\"", "\u0000", "\u007f", "{{", "}}",
            "${", "%[", "\\", "/", "..", "[", "]", "$(", "`", "&&", "|", "\u2028", "é", "*", "?", "<<"};
    private final Ep2Fixture fx = new Ep2Fixture();

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static List<Object> hostileEntries(Random r, int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String good = "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            String bad = good.substring(0, r.nextInt(good.length())) + POISON[r.nextInt(POISON.length)]
                    + good.substring(r.nextInt(good.length()));
            switch (i % 6) {
                case 0 -> out.add(Map.of("host", good, "port", 1 + r.nextInt(65535)));                 // valid
                case 1 -> out.add(Map.of("host", bad, "port", 80));                                    // poisoned host
                // valid names: localhost resolves; an unresolvable one now and then (each costs a DNS query)
                case 2 -> out.add(Map.of("host", i % 60 == 2 ? "web-" + i + ".invalid" : "localhost",
                        "port", String.valueOf(r.nextInt(200000) - 50000)));
                case 3 -> out.add(bad + ":" + (r.nextBoolean() ? "80" : "8" + POISON[r.nextInt(POISON.length)] + "0"));
                case 4 -> out.add(Map.of("host", good, "port", 443, "weight", r.nextInt(400) - 50));
                default -> out.add(r.nextBoolean() ? "x".repeat(60 + r.nextInt(10)) + "." + bad + ":8080" : List.of(bad));
            }
        }
        return out;
    }

    @Test
    void whateverPassesValidationRendersAValidConfigAndUnsplittableCommands() throws Exception {
        BackendSetReader reader = new BackendSetReader(0);
        BackendSet valid = reader.read(hostileEntries(new Random(7), 6000), "direct:ep2-fetch-hostile");
        // as the pipeline does: names are resolved before anything is rendered (haproxy -c
        // would refuse a config with one name it cannot resolve)
        BackendSet set = new AddressResolver().resolve(valid);

        assertThat(reader.rejected()).as("poisoned entries are counted").isGreaterThan(2000);
        assertThat(valid.size()).as("valid entries survive").isGreaterThan(1500);
        assertThat(set.size()).as("the IP literals among them").isGreaterThan(1000);
        for (Backend b : valid.backends()) {
            assertThat(b.host()).matches("[A-Za-z0-9.:-]+");
        }

        // the config: one server line per backend, accepted by the real haproxy -c
        ServerLineFormat format = new ServerLineFormat(Optional.of(100), Optional.of("2s"));
        String config = new HaproxyConfigRenderer(new TemplateRenderer(fx.template))
                .render(java.util.List.of(io.ep2camel.render.PoolLines.of("be_app", format, set)));
        assertThat(config.lines().filter(l -> l.strip().startsWith("server ")).count()).isEqualTo(set.size());
        Path candidate = fx.dir.resolve("hostile.cfg");
        Files.writeString(candidate, config);
        Process check = new ProcessBuilder(HaproxyProcess.BINARY, "-c", "-f", candidate.toString())
                .redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(out).isZero();

        // the runtime commands for the IP-literal ones: every command is one valid command line
        List<Backend> ips = set.backends().stream().filter(b -> !Character.isLetter(b.host().charAt(0))).toList();
        SlotPlanner planner = new SlotPlanner("be_app", format, 10, Duration.ofSeconds(30));
        SlotPlan plan = planner.plan(List.of(), Map.of(), BackendSet.of(ips), new HashMap<>(), Instant.now(), true);
        // five per server, after the one experimental-mode on (2.4/2.5 need it before add server)
        assertThat(plan.commands()).hasSize(5 * ips.size() + (ips.isEmpty() ? 0 : 1));
        for (String c : plan.commands()) {
            HaproxySocketClient.validate(c);   // throws on anything that could split or smuggle a command
            assertThat(c).matches("experimental-mode on|(add server|set server|enable health) be_app/slot[0-9]+( [A-Za-z0-9.:\\[\\] ]+)?");
        }
    }
}
