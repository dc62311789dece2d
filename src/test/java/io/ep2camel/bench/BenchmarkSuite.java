package io.ep2camel.bench;

import io.ep2camel.bench.ConvergenceBenchmark.Source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure of the README's results table in one run, against a real HAProxy: convergence
 * latency per source and update type, failed requests during scale events under load, runtime
 * apply cost, the built jar's start-up, memory and CPU. Writes {@code target/bench/results.md}
 * (the table, with each target and whether it was met) and {@code target/bench/results.png}.
 * Run: {@code bash scripts/benchmark.sh all [--runs 20] [--events 100]}.
 */
public final class BenchmarkSuite {
    public static void main(String[] args) throws Exception {
        int runs = 20;
        int events = 100;
        List<Integer> sizes = List.of(10, 100, 1000, 5000);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--events" -> events = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: [--runs N] [--events N], not " + args[i]);
            }
        }
        Path out = Files.createDirectories(Path.of("target", "bench"));
        Results r = new Results();

        progress("start-up, memory and CPU of target/ep2-camel.jar");
        JarProbe.Outcome plain = JarProbe.run(Path.of("target", "ep2-camel.jar"), 3, JarProbe.Flavor.PLAIN);
        JarProbe.Outcome jar = JarProbe.run(Path.of("target", "ep2-camel.jar"), 3, JarProbe.Flavor.UNIT);

        progress("runtime apply cost for " + sizes);
        List<RuntimeApplyBenchmark.Cost> costs = new ArrayList<>();
        for (int n : sizes) {
            costs.add(RuntimeApplyBenchmark.measure(n));
        }

        Map<String, List<Double>> convergence = new LinkedHashMap<>();
        for (Source source : List.of(Source.FILE, Source.CONSUL_WATCH)) {
            for (boolean runtime : new boolean[] {false, true}) {
                String mode = (source == Source.FILE ? "file (poll 1 s)" : "consul watch") + " + "
                        + (runtime ? "runtime" : "config");
                progress("convergence: " + mode + ", " + runs + " changes");
                convergence.put(mode, ConvergenceBenchmark.run(source, runtime, runs, source == Source.FILE ? 1 : 5));
            }
        }

        List<ChurnBenchmark.Outcome> churn = new ArrayList<>();
        for (boolean runtime : new boolean[] {false, true}) {
            progress("failed requests: " + events + " scale events under load, " + (runtime ? "runtime" : "config"));
            churn.add(ChurnBenchmark.run(runtime, events, 250));
        }

        String md = r.markdown(convergence, churn, costs, plain, jar, runs);
        Files.writeString(out.resolve("results.md"), md);
        new ResultsChart(convergence, churn, costs, jar).write(out.resolve("results.png"));
        System.out.print(md);
        System.out.println("\nwritten: " + out.resolve("results.md") + ", " + out.resolve("results.png"));
        System.exit(0);
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what);
    }

    /** The Markdown report. */
    static final class Results {
        String markdown(Map<String, List<Double>> convergence, List<ChurnBenchmark.Outcome> churn,
                        List<RuntimeApplyBenchmark.Cost> costs, JarProbe.Outcome plain, JarProbe.Outcome jar, int runs) {
            StringBuilder b = new StringBuilder();
            b.append("### Convergence: change at the orchestrator → first answer from the new server (").append(runs)
                    .append(" changes each)\n\n| source + update type | p50 (ms) | p95 (ms) | max (ms) |\n|---|---:|---:|---:|\n");
            convergence.forEach((mode, ms) -> b.append("| %s | %.0f | %.0f | %.0f |%n".formatted(mode,
                    ConvergenceBenchmark.percentile(ms, 50), ConvergenceBenchmark.percentile(ms, 95), ms.get(ms.size() - 1))));
            b.append("\n### Failed requests during scale events under steady load (4 client threads)\n\n"
                    + "| update type | scale events | requests answered | failed |\n|---|---:|---:|---:|\n");
            churn.forEach(c -> b.append("| %s | %d | %d | %d |%n".formatted(c.updateType(), c.events(), c.ok(), c.failed())));
            b.append("\n### Runtime apply cost: N new servers (5 commands each), median of 5\n\n")
                    .append(RuntimeApplyBenchmark.Cost.HEADER).append('\n');
            costs.forEach(c -> b.append(c.row()).append('\n'));
            b.append("\n### The jar: plain `java -jar`, and etc/ep2.service's flags (").append(String.join(" ", JarProbe.JVM_FLAGS))
                    .append(" + class-data archive), demo config\n\n").append(JarProbe.table(List.of(plain, jar)));

            double watchRuntimeP95 = ConvergenceBenchmark.percentile(convergence.get("consul watch + runtime"), 95);
            double batch1000 = costs.stream().filter(c -> c.servers() == 1000).mapToDouble(RuntimeApplyBenchmark.Cost::batchedMs)
                    .findFirst().orElse(Double.NaN);
            int failed = churn.stream().mapToInt(ChurnBenchmark.Outcome::failed).sum();
            double rss = Math.max(jar.idle().rssMb(), jar.churn().rssMb());
            long startup = jar.startupMs().stream().mapToLong(Long::longValue).max().orElse(0);
            b.append("\n### Targets\n\n| target | measured | met |\n|---|---:|:---:|\n");
            target(b, "consul watch + runtime p95 ≤ 100 ms", "%.0f ms".formatted(watchRuntimeP95), watchRuntimeP95 <= 100);
            target(b, "0 failed requests, both update types", Integer.toString(failed), failed == 0);
            target(b, "1000-server batch ≤ 200 ms", "%.1f ms".formatted(batch1000), batch1000 <= 200);
            target(b, "RSS ≤ 200 MB", "%.0f MB".formatted(rss), rss <= 200);
            target(b, "start-up ≤ 3 s", "%d ms".formatted(startup), startup <= 3000);
            target(b, "plain java -jar: RSS idle ≤ 120 MB", "%.1f MB".formatted(plain.idle().rssMb()), plain.idle().rssMb() <= 120);
            target(b, "unit's flags: RSS idle ≤ 90 MB", "%.1f MB".formatted(jar.idle().rssMb()), jar.idle().rssMb() <= 90);
            double idleCpu = Math.max(plain.idle().cpuPercent(), jar.idle().cpuPercent());
            target(b, "CPU idle ≤ 1 % of a core", "%.2f %%".formatted(idleCpu), idleCpu <= 1);
            target(b, "unit's flags: start-up ≤ 1.5 s", "%d ms".formatted(startup), startup <= 1500);
            return b.toString();
        }

        private static void target(StringBuilder b, String what, String measured, boolean met) {
            b.append("| ").append(what).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**").append(" |\n");
        }
    }
}
