package io.ep2camel.bench;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Failed requests while the pool scales: steady client load (back-to-back requests on fresh
 * connections from several threads) through a real HAProxy while the file orchestrator's list
 * goes through {@code events} scale events, one every {@code spacingMs}: one server in or out
 * at random, between 2 and 6 of 8 running backends. A removed server keeps running (as an
 * instance does while it is deregistered and drained), so a failed request is HAProxy or the
 * controller dropping it, not a dead process.
 * <p>
 * On its own ({@code bash scripts/benchmark.sh churn [--runs N] [--update-type config|runtime]
 * [--set key=value ...]}): the same 100 events N times, one line per run, for a failure that
 * does not come every run; {@code --set} overrides an ep2.conf [haproxy] key, e.g.
 * {@code down_check_interval=100}.
 */
public final class ChurnBenchmark {
    private static final int LOAD_THREADS = 4;

    /** What the clients saw: answers, failures (with the first few failure texts). */
    public record Outcome(String updateType, int events, int ok, int failed, List<String> firstFailures) {
    }

    public static Outcome run(boolean runtime, int events, long spacingMs) throws Exception {
        return run(runtime, events, spacingMs, Map.of());
    }

    /** @param settings ep2.conf [haproxy] keys set after the benchmark's own */
    public static Outcome run(boolean runtime, int events, long spacingMs, Map<String, String> settings) throws Exception {
        Random random = new Random(7);
        try (HttpBackends servers = HttpBackends.start(8); Ep2Fixture fx = new Ep2Fixture()) {
            fx.set("sleep_before_next_run", "0.1").set("check_interval", "100");
            settings.forEach(fx::set);
            if (runtime) {
                fx.set("update_type", "update_by_runtime").set("node_slots", "8");
            }
            List<Integer> live = new ArrayList<>(List.of(0, 1, 2, 3));
            fx.backends(live.stream().map(servers::port).toList());
            fx.startController();
            fx.awaitServed("b1", "b2", "b3", "b4");

            List<RequestLoop> load = new ArrayList<>();
            for (int i = 0; i < LOAD_THREADS; i++) {
                load.add(RequestLoop.start(fx.frontendPort));
            }
            for (int e = 0; e < events; e++) {
                boolean out = live.size() <= 2 || (live.size() < 6 && random.nextBoolean());
                if (out) {
                    List<Integer> idle = new ArrayList<>();
                    for (int i = 0; i < servers.size(); i++) {
                        if (!live.contains(i)) {
                            idle.add(i);
                        }
                    }
                    live.add(idle.get(random.nextInt(idle.size())));
                } else {
                    live.remove(random.nextInt(live.size()));
                }
                fx.backends(live.stream().map(servers::port).toList());
                Thread.sleep(spacingMs);
            }
            Thread.sleep(2000);                     // the last event settles under load too
            int ok = 0;
            List<String> failures = new ArrayList<>();
            for (RequestLoop l : load) {
                l.close();
                ok += l.ok();
                failures.addAll(l.failures());
            }
            return new Outcome(runtime ? "update_by_runtime" : "update_by_config", events, ok, failures.size(),
                    failures.stream().limit(3).toList());
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        boolean runtime = false;
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--update-type" -> runtime = args[++i].equals("runtime");
                case "--set" -> {
                    String[] kv = args[++i].split("=", 2);
                    settings.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --runs N, --update-type config|runtime, --set key=value)");
            }
        }
        System.out.println("| run | update type | scale events | requests answered | failed | first failures |");
        System.out.println("|---:|---|---:|---:|---:|---|");
        int failedRuns = 0;
        for (int r = 1; r <= runs; r++) {
            Outcome o = run(runtime, 100, 250, settings);
            failedRuns += o.failed() > 0 ? 1 : 0;
            System.out.printf("| %d | %s | %d | %d | %d | %s |%n", r, o.updateType(), o.events(), o.ok(), o.failed(),
                    String.join("; ", o.firstFailures()));
        }
        System.out.printf("%d of %d runs had failed requests (settings: check_interval=100 %s)%n", failedRuns, runs, settings);
        System.exit(0);
    }
}
