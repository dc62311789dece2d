package io.ep2camel.bench;

import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.ep2camel.testsupport.ConsulDouble.instance;

/**
 * Convergence latency of the consul orchestrator: from a catalog change (an instance registered
 * with the Consul API double, while the previous one is deregistered: a rolling-deploy step) to
 * the first HTTP answer from the new instance through HAProxy's frontend. Real HAProxy, real
 * controller (in this JVM), real camel-consul; requests go back to back on fresh connections.
 * <p>
 * For each source {watch (blocking queries), poll (every sleep_before_next_run)} × update type
 * {update_by_config, update_by_runtime}: 3 warm-up rounds, then {@code --runs} measured ones, each
 * started at a random moment (within the poll period for poll, 0-200 ms for watch).
 * update_by_runtime uses check_interval 20 ms: a new server takes traffic only after passing
 * HAProxy's checks (rise 2).
 * <p>
 * Run: {@code bash scripts/benchmark.sh consul [--runs 30] [--poll-seconds 5] [--only watch|poll]}.
 * Prints a Markdown table (progress on stderr).
 */
public final class ConvergenceBenchmark {
    private static final int WARMUP = 3;
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int runs = 30;
        double pollSeconds = 5;
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--poll-seconds" -> pollSeconds = Double.parseDouble(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException(
                        "usage: [--runs N] [--poll-seconds S] [--only watch|poll], not " + args[i]);
            }
        }
        List<String> rows = new ArrayList<>();
        for (boolean watch : new boolean[] {true, false}) {
            if (!only.isEmpty() && !only.equals(watch ? "watch" : "poll")) {
                continue;
            }
            for (boolean runtime : new boolean[] {false, true}) {
                List<Double> ms = run(watch ? Source.CONSUL_WATCH : Source.CONSUL_POLL, runtime, runs, pollSeconds);
                rows.add("| %s | %s | %d | %.0f | %.0f | %.0f |".formatted(
                        watch ? "watch (blocking query, wait 30 s)" : "poll (sleep_before_next_run %s s)".formatted(fmt(pollSeconds)),
                        runtime ? "update_by_runtime" : "update_by_config", ms.size(),
                        percentile(ms, 50), percentile(ms, 95), ms.get(ms.size() - 1)));
                System.err.println("done: " + rows.get(rows.size() - 1));
            }
        }
        System.out.println("| source | update type | runs | p50 (ms) | p95 (ms) | max (ms) |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    /** Where the change is made: Consul's catalog (watched or polled), or the file orchestrator's file (polled). */
    public enum Source { CONSUL_WATCH, CONSUL_POLL, FILE }

    /**
     * Milliseconds from each change to the new server's first answer, sorted. In update_by_config
     * changes come at least reload_min_interval (1 s by default) apart, as real scale events do;
     * closer ones would wait for the interval by design.
     */
    public static List<Double> run(Source source, boolean runtime, int runs, double pollSeconds) throws Exception {
        return run(source, runtime, runs, pollSeconds, null);
    }

    /** @param tls non-null: the agent serves HTTPS and requires a client certificate; the controller has ca/cert/key files */
    public static List<Double> run(Source source, boolean runtime, int runs, double pollSeconds,
                                   io.ep2camel.testsupport.TestCertificates tls) throws Exception {
        Random random = new Random(42);
        List<Double> measured = new ArrayList<>();
        boolean watch = source == Source.CONSUL_WATCH;
        try (HttpBackends servers = new HttpBackends();
             ConsulDouble consul = tls == null ? ConsulDouble.start() : ConsulDouble.startTls(tls);
             Ep2Fixture fx = new Ep2Fixture()) {
            int basePort = servers.add("base");
            fx.set("sleep_before_next_run", fmt(pollSeconds));
            if (runtime) {
                fx.set("update_type", "update_by_runtime").set("node_slots", "4").set("check_interval", "20");
            }
            if (source != Source.FILE) {
                fx.set("orchestrator", "consul");
                fx.section("FILE").clear();
                fx.section("CONSUL").put("service_name", "web");
                fx.section("CONSUL").put("consul_ip", consul.host());
                fx.section("CONSUL").put("consul_port", Integer.toString(consul.port()));
                fx.section("CONSUL").put("watch", Boolean.toString(watch));
                if (tls != null) {
                    fx.section("CONSUL").put("https", "True");
                    fx.section("CONSUL").put("ca_file", tls.caPem.toString());
                    fx.section("CONSUL").put("cert_file", tls.clientCertPem.toString());
                    fx.section("CONSUL").put("key_file", tls.clientKeyPem.toString());
                }
            }
            fx.writeConf();
            consul.register(instance("base", "web").address("127.0.0.1").port(basePort));
            fx.backends(List.of(basePort));
            fx.startController();
            fx.awaitServed("base");

            String previous = null;
            for (int i = 0; i < WARMUP + runs; i++) {
                String name = "n" + i;
                int port = servers.add(name);
                if (!runtime) {
                    Thread.sleep(1000);
                }
                if (watch) {
                    Awaitility.await().atMost(GIVE_UP).until(() -> consul.blocked() == 1);
                    Thread.sleep(random.nextInt(200));
                } else {
                    Thread.sleep((long) (random.nextDouble() * pollSeconds * 1000));
                }
                long t0 = System.nanoTime();
                if (source == Source.FILE) {
                    fx.backends(List.of(port));
                } else {
                    consul.register(instance(name, "web").address("127.0.0.1").port(port));
                    if (previous != null) {
                        consul.deregister(previous);
                    }
                }
                long deadline = t0 + GIVE_UP.toNanos();
                while (!Http.tryGet(fx.frontendPort).equals(name)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(name + " not served after " + GIVE_UP);
                    }
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                if (i >= WARMUP) {
                    measured.add(ms);
                }
                previous = name;
            }
        }
        Collections.sort(measured);
        return measured;
    }

    /** The p-th percentile (nearest rank) of a sorted list. */
    public static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
