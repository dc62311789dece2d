package io.ep2camel.bench;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.render.ServerLineFormat;
import io.ep2camel.runtime.RuntimeReplies;
import io.ep2camel.runtime.SlotPlan;
import io.ep2camel.runtime.SlotPlanner;
import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.TestDirs;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * Cost of applying N server changes at runtime against a real HAProxy: the commands the slot
 * planner really emits for N new servers entering N free slots, sent as one batch over one
 * connection through the haproxy-socket component — over the UNIX stats socket, and over a TCP one
 * on loopback (camel-netty) — versus one connection per command (EP2's way, UNIX).
 * Run: {@code bash scripts/benchmark.sh runtime}. Prints a Markdown table of medians over 5 runs.
 */
public final class RuntimeApplyBenchmark {
    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length > 0 ? Arrays.stream(args).map(Integer::valueOf).toList() : List.of(10, 100, 1000);
        System.out.println(Cost.HEADER);
        for (int n : sizes) {
            System.out.println(measure(n).row());
        }
    }

    /** Medians over the runs, for {@code servers} new servers entering free slots. */
    public record Cost(int servers, int commands, double batchedMs, double batchedTcpMs, double perCommandMs) {
        static final String HEADER = "| servers changed | commands | batched, UNIX socket (ms) | batched, TCP socket (ms) "
                + "| one connection per command, UNIX (ms) | speed-up of the UNIX batch |\n|---:|---:|---:|---:|---:|---:|";

        String row() {
            return "| %d | %d | %.1f | %.1f | %.1f | %.0fx |".formatted(servers, commands, batchedMs, batchedTcpMs,
                    perCommandMs, perCommandMs / batchedMs);
        }
    }

    public static Cost measure(int n) throws Exception {
        Path dir = TestDirs.shortTemp();
        Path sock = dir.resolve("s.sock");
        Path cfg = dir.resolve("h.cfg");
        int tcpPort = FreePort.find();
        ServerLineFormat format = new ServerLineFormat(Optional.empty(), Optional.of("2s"));
        SlotPlanner planner = new SlotPlanner("be", format, n, Duration.ofSeconds(30));
        Files.writeString(cfg, """
                global
                    stats socket %s mode 600 level admin
                    stats socket ipv4@127.0.0.1:%d level admin
                    maxconn 1000
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                backend be
                    balance roundrobin
                    %s
                """.formatted(sock, tcpPort, String.join("\n    ", planner.serverLines(planner.initialLayout(BackendSet.EMPTY)))));
        HaproxyProcess haproxy = HaproxyProcess.start(cfg, dir.resolve("h.pid"));
        HaproxySocketClient client = new HaproxySocketClient(Duration.ofSeconds(30));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            String uri = "haproxy-socket:" + sock + "?timeout=30000";
            String tcpUri = "haproxy-socket:ipv4@127.0.0.1:" + tcpPort + "?timeout=30000";
            long[] batched = new long[RUNS];
            long[] batchedTcp = new long[RUNS];
            long[] perCommand = new long[RUNS];
            int commands = 0;
            for (int r = 0; r < RUNS; r++) {
                List<String> plan = plan(client, sock, planner, n, r);
                commands = plan.size();
                long t0 = System.nanoTime();
                producer.requestBody(uri, plan, List.class);
                batched[r] = System.nanoTime() - t0;
                reset(client, sock, n);

                plan = plan(client, sock, planner, n, r);
                t0 = System.nanoTime();
                producer.requestBody(tcpUri, plan, List.class);
                batchedTcp[r] = System.nanoTime() - t0;
                reset(client, sock, n);

                plan = plan(client, sock, planner, n, r);
                t0 = System.nanoTime();
                for (String c : plan) {
                    client.execute(sock, List.of(c));
                }
                perCommand[r] = System.nanoTime() - t0;
                reset(client, sock, n);
            }
            return new Cost(n, commands, median(batched) / 1e6, median(batchedTcp) / 1e6, median(perCommand) / 1e6);
        } finally {
            haproxy.stop();
            TestDirs.deleteQuietly(dir);
        }
    }

    /** The planner's commands for n new servers (distinct addresses per run) against HAProxy's current state. */
    private static List<String> plan(HaproxySocketClient client, Path sock, SlotPlanner planner, int n, int run) {
        List<String> replies = client.execute(sock, List.of("show servers state be", "show stat be 4 -1"));
        List<Backend> wanted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // loopback addresses: the slots' health checks must never leave this machine
            wanted.add(new Backend("127." + (run + 1) + "." + (i / 250) + "." + (1 + i % 250), 8080));
        }
        SlotPlan plan = planner.plan(RuntimeReplies.serversState(replies.get(0)), RuntimeReplies.currentSessions(replies.get(1)),
                BackendSet.of(wanted), new HashMap<>(), Instant.now(), false);
        if (plan.needsReload() || plan.commands().size() != 5 * n) {
            throw new IllegalStateException("unexpected plan: " + plan.commands().size() + " commands");
        }
        return plan.commands();
    }

    private static void reset(HaproxySocketClient client, Path sock, int n) {
        List<String> maint = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            maint.add("set server be/slot" + i + " state maint");
        }
        client.execute(sock, maint);
    }

    private static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
