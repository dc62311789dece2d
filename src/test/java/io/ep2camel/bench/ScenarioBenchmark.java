package io.ep2camel.bench;

import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.LoopbackBackends;
import io.ep2camel.testsupport.RequestLoop;
import org.awaitility.Awaitility;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.ep2camel.testsupport.AwsQueryDouble.ASG_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static io.ep2camel.testsupport.ConsulDouble.instance;
import static io.ep2camel.testsupport.LoopbackBackends.ip;

/**
 * The churn scenarios of issue #17, black-box, against a real HAProxy: the template's checks
 * {@code inter 1s rise 1} (check_interval = 1s, default-server rise 1), every other setting at its
 * default, the aws orchestrator polled every 1 s (sleep_before_next_run = 1), the consul one
 * watching; every instance a real HTTP server on its own 127.0.0.x address.
 * <ul>
 *   <li><b>churn</b>: {@code --steps} rolling steps (a new instance in, the previous one out: two
 *       catalog events for Consul, one group change for Auto Scaling) under 4 client threads; per
 *       step the time from the change to the new instance's first answer through HAProxy, and the
 *       failed client requests; for aws also its two parts, the wait for the next poll and the
 *       rest. A step starts 0–200 ms after the watch blocks again (consul), at a random moment of
 *       the poll period (aws), and in update_by_config at least 1 s after the previous one, as
 *       scale events come.</li>
 *   <li><b>recovery</b>: the orchestrator fails (Consul: HTTP 500 on every call; Auto Scaling:
 *       InternalFailure) for 3 poll periods (3 s); the moment it answers again a rolling step is
 *       made: time to the new instance's first answer. 3 times per leg.</li>
 *   <li><b>outage</b>: a long outage ({@code --outage-seconds}, 90 by default): the calls the
 *       controller makes to the failing orchestrator in its first 30 s and in the rest, per minute.</li>
 *   <li><b>storm</b>: 100 catalog events in 10 s (an instance in or out every 100 ms), consul watch,
 *       update_by_config: the reloads they cost, counted from the controller's log.</li>
 *   <li><b>idle</b>: the built jar watching Consul (a plain {@code java -jar}, then with etc/ep2.service's
 *       flags and a class-data archive from a dry run of the same config), left alone for 30 s,
 *       then its CPU over 60 s and the Consul calls it made meanwhile.</li>
 * </ul>
 * Run: {@code bash scripts/benchmark.sh scenarios [--steps 20] [--outage-seconds 90] [--only churn|recovery|outage|storm|idle]
 * [--leg consul_config|consul_runtime|aws_config|aws_runtime] [--ep2 DIR [--ep2-python PATH]]}.
 * <p>
 * {@code --ep2 DIR}: the churn scenarios with EP2 itself (an ElasticPyProxy checkout in DIR, run as
 * {@code python -m src.driver.driver -f ep2.conf} with the same ep2.conf and template; a Python with
 * boto3 and jinja2, {@code --ep2-python}) instead of ep2-camel, so that both are measured by the same
 * harness. boto3 reaches the Auto Scaling/EC2 double through {@code AWS_ENDPOINT_URL}, on loopback.
 */
public final class ScenarioBenchmark {
    private static final int LOAD_THREADS = 4;
    private static final int WARMUP = 3;
    private static final int INSTANCES = 8;
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final String GROUP = "web-asg";

    /** One orchestrator × update type. */
    enum Leg {
        CONSUL_CONFIG(true, false), CONSUL_RUNTIME(true, true), AWS_CONFIG(false, false), AWS_RUNTIME(false, true);

        final boolean consul;
        final boolean runtime;

        Leg(boolean consul, boolean runtime) {
            this.consul = consul;
            this.runtime = runtime;
        }

        String label() {
            return (consul ? "consul watch" : "aws, poll 1 s") + ", " + (runtime ? "update_by_runtime" : "update_by_config");
        }
    }

    /** --ep2 DIR: EP2's checkout, run instead of ep2-camel in the churn scenarios; null for ep2-camel. */
    private static Path ep2Home;
    private static String ep2Python = "python3";

    /** -Dep2.bench.trace=FILE: each churn step's time on stderr, the controller's log into FILE (to see why a step was slow). */
    private static final String TRACE = System.getProperty("ep2.bench.trace");

    public static void main(String[] args) throws Exception {
        int steps = 20;
        int outageSeconds = 90;
        String only = "";
        List<Leg> legs = List.of(Leg.values());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--leg" -> legs = List.of(Leg.valueOf(args[++i].toUpperCase()));
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--outage-seconds" -> outageSeconds = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--ep2" -> ep2Home = Path.of(args[++i]).toAbsolutePath();
                case "--ep2-python" -> ep2Python = args[++i];
                default -> throw new IllegalArgumentException(
                        "usage: [--steps N] [--outage-seconds S] [--only churn|recovery|outage|storm|idle]"
                                + " [--leg consul_config|consul_runtime|aws_config|aws_runtime] [--ep2 DIR [--ep2-python PATH]], not "
                                + args[i]);
            }
        }
        if (ep2Home != null && !only.equals("churn")) {
            throw new IllegalArgumentException("--ep2 runs the churn scenarios only: add --only churn");
        }
        StringBuilder md = new StringBuilder();
        if (only.isEmpty() || only.equals("churn")) {
            md.append("| scenario (checks inter 1s rise 1) | steps | p50 (ms) | p95 (ms) | max (ms) "
                            + "| of which waiting for the poll, p50 / p95 (ms) | after the poll, p50 / p95 (ms) "
                            + "| requests answered | failed |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Leg leg : legs) {
                progress("churn: " + leg.label());
                md.append(churn(leg, steps)).append('\n');
            }
            md.append('\n');
            flush(md);
        }
        if (only.isEmpty() || only.equals("recovery")) {
            md.append("| recovery after a 3 s outage (3 poll periods) | first change served (ms, 3 outages) |\n|---|---:|\n");
            for (Leg leg : legs) {
                progress("recovery: " + leg.label());
                md.append(recovery(leg)).append('\n');
            }
            md.append('\n');
            flush(md);
        }
        if (only.isEmpty() || only.equals("outage")) {
            md.append("| long outage (%d s) | calls in its first 30 s | calls per minute after that |\n|---|---:|---:|\n"
                    .formatted(outageSeconds));
            for (Leg leg : legs.size() == 1 ? legs : List.of(Leg.CONSUL_RUNTIME, Leg.AWS_RUNTIME)) {
                progress("long outage: " + leg.label());
                md.append(outage(leg, outageSeconds)).append('\n');
            }
            md.append('\n');
            flush(md);
        }
        if (only.isEmpty() || only.equals("storm")) {
            progress("storm: 100 Consul events in 10 s, update_by_config");
            md.append(storm()).append("\n\n");
            flush(md);
        }
        if (only.isEmpty() || only.equals("idle")) {
            progress("idle: target/ep2-camel.jar watching Consul");
            md.append(idle());
        }
        flush(md);
        System.exit(0);
    }

    /** Prints what was measured so far: a later leg that fails does not take the earlier figures with it. */
    private static void flush(StringBuilder md) {
        System.out.print(md);
        System.out.flush();
        md.setLength(0);
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what);
    }

    /** Milliseconds from {@code t0} (nanoTime) to the first answer from {@code name} through the frontend. */
    static double servedAfter(int port, long t0, String name) {
        long deadline = t0 + GIVE_UP.toNanos();
        while (!Http.tryGet(port).equals(name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not served after " + GIVE_UP);
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The controller's world for one leg: Consul or Auto Scaling doubles, 8 instances, b1 serving. */
    private static final class World implements AutoCloseable {
        final Leg leg;
        final LoopbackBackends servers = LoopbackBackends.start(INSTANCES);
        final ConsulDouble consul;
        final AwsQueryDouble aws;
        final Ep2Fixture fx = new Ep2Fixture();
        private Process ep2;       // EP2 itself (--ep2), else null: ep2-camel runs in this JVM
        private int current = 1;   // b1 always serves; current is the rolling instance

        World(Leg leg) {
            this.leg = leg;
            consul = leg.consul ? ConsulDouble.start() : null;
            aws = leg.consul ? null : AwsQueryDouble.start();
            fx.set("sleep_before_next_run", "1").set("check_interval", "1s");
            fx.write(fx.template, fx.templateText("    {{nodes}}")
                    .replace("    balance roundrobin\n", "    balance roundrobin\n    default-server rise 1\n"));
            if (leg.runtime) {
                fx.set("update_type", "update_by_runtime").set("node_slots", "4");
            }
            fx.section("FILE").clear();
            if (leg.consul) {
                fx.set("orchestrator", "consul");
                fx.section("CONSUL").put("service_name", "web");
                fx.section("CONSUL").put("consul_ip", consul.host());
                fx.section("CONSUL").put("consul_port", Integer.toString(consul.port()));
                fx.section("CONSUL").put("watch", "True");
                consul.register(instance("b1", "web").address(ip(1)).port(servers.port()));
            } else {
                for (int i = 1; i <= INSTANCES; i++) {
                    aws.running("i-" + i, ip(i));
                }
                aws.group(GROUP, inService("i-1"));
                fx.set("orchestrator", "aws").set("backend_port", Integer.toString(servers.port()));
                fx.section("AWS").put("asg_name", GROUP);
                fx.section("AWS").put("ip_type", "private");
                fx.section("AWS").put("region_name", "us-east-1");
                fx.section("AWS").put("endpoint_url", aws.endpoint().toString());
                fx.section("AWS").put("aws_access_key_id", "AKIDBENCH");
                fx.section("AWS").put("aws_secret_access_key", "bench-secret");
            }
            fx.writeConf();
        }

        void start() throws Exception {
            if (ep2Home == null) {
                fx.startController();
            } else {
                Files.createDirectories(fx.logFile.getParent());
                ProcessBuilder pb = new ProcessBuilder(ep2Python, "-m", "src.driver.driver", "-f", fx.conf.toString())
                        .directory(ep2Home.toFile()).redirectErrorStream(true)
                        .redirectOutput(fx.dir.resolve("ep2.out").toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
                // boto3 to the double on loopback, and never to the instance metadata service
                pb.environment().put("AWS_ENDPOINT_URL", aws == null ? "http://127.0.0.1:1" : aws.endpoint().toString());
                pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
                pb.environment().put("AWS_CONFIG_FILE", "/dev/null");
                pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
                ep2 = pb.start();
            }
            try {
                fx.awaitServed("b1");
            } catch (RuntimeException | AssertionError e) {
                if (ep2 == null) {
                    throw e;
                }
                Path out = fx.dir.resolve("ep2.out");
                throw new IllegalStateException("EP2 did not serve b1; its output:\n"
                        + (Files.exists(out) ? Files.readString(out) : "(none)") + "\nits log:\n" + fx.log(), e);
            }
        }

        /** One rolling step: the next instance in, the previous one out. Returns the new one's name. */
        String roll() {
            int previous = current;
            current = current % (INSTANCES - 1) + 2;      // 2..INSTANCES, round robin
            if (leg.consul) {
                consul.register(instance("b" + current, "web").address(ip(current)).port(servers.port()));
                if (previous != 1) {
                    consul.deregister("b" + previous);
                }
            } else {
                aws.group(GROUP, inService("i-1"), inService("i-" + current));
            }
            return "b" + current;
        }

        /** Waits for the moment a step starts: the watch blocking again, or a random point of the poll period. */
        void pause(Random random, long sinceLastChangeMs) throws InterruptedException {
            if (!leg.runtime && sinceLastChangeMs < 1000) {
                Thread.sleep(1000 - sinceLastChangeMs);
            }
            if (leg.consul) {
                Awaitility.await().atMost(GIVE_UP).until(() -> consul.blocked() == 1);
                Thread.sleep(random.nextInt(200));
            } else {
                Thread.sleep(random.nextInt(1000));
            }
        }

        double servedAfter(long t0, String name) {
            return ScenarioBenchmark.servedAfter(fx.frontendPort, t0, name);
        }

        /**
         * Polled (aws): ms from the change to the first DescribeAutoScalingGroups answered after it,
         * the part of a step no controller polling every second can shorten (the change lands at a
         * random moment of the poll period); the rest is the controller's own. Null for a watch.
         */
        Double pollWait(long t0) {
            if (leg.consul) {
                return null;
            }
            long first = aws.requests(ASG_ACTION).stream().mapToLong(AwsQueryDouble.Request::answeredNanos)
                    .filter(n -> n >= t0).min().orElseThrow();
            return (first - t0) / 1e6;
        }

        void failing(boolean on) {
            if (leg.consul) {
                consul.failure(on ? ConsulDouble.Failure.HTTP_500 : ConsulDouble.Failure.NONE);
            } else if (on) {
                aws.fail(ASG_ACTION, 500, "InternalFailure", "An internal error occurred.", -1);
            } else {
                aws.recover();
            }
        }

        /** The calls the orchestrator double has answered so far. */
        int calls() {
            return leg.consul ? consul.requests().size() : aws.requests(ASG_ACTION).size();
        }

        @Override
        public void close() {
            if (ep2 != null) {
                ep2.destroy();
                try {
                    if (!ep2.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        ep2.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    ep2.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            fx.close();
            if (consul != null) {
                consul.close();
            }
            if (aws != null) {
                aws.close();
            }
            servers.close();
        }
    }

    static String churn(Leg leg, int steps) throws Exception {
        Random random = new Random(17);
        List<Double> ms = new ArrayList<>();
        List<Double> waits = new ArrayList<>();
        List<Double> afterWaits = new ArrayList<>();
        int ok = 0;
        List<String> failures = new ArrayList<>();
        try (World w = new World(leg)) {
            w.start();
            List<RequestLoop> load = new ArrayList<>();
            for (int i = 0; i < LOAD_THREADS; i++) {
                load.add(RequestLoop.start(w.fx.frontendPort));
            }
            long lastChange = 0;
            for (int i = 0; i < WARMUP + steps; i++) {
                w.pause(random, (System.nanoTime() - lastChange) / 1_000_000);
                long t0 = System.nanoTime();
                lastChange = t0;
                String name = w.roll();
                double took = w.servedAfter(t0, name);
                Double wait = w.pollWait(t0);
                if (i >= WARMUP) {
                    ms.add(took);
                    if (wait != null) {
                        waits.add(wait);
                        afterWaits.add(took - wait);
                    }
                }
                if (TRACE != null) {
                    progress("step %d: %s served after %.0f ms".formatted(i, name, took));
                }
            }
            Thread.sleep(2000);                      // the last step settles under load too
            if (TRACE != null) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(TRACE), w.fx.log());
            }
            for (RequestLoop l : load) {
                l.close();
                ok += l.ok();
                failures.addAll(l.failures());
            }
        }
        Collections.sort(ms);
        if (!failures.isEmpty()) {
            progress("first failures: " + failures.stream().limit(3).toList());
        }
        return "| %s%s | %d | %.0f | %.0f | %.0f | %s | %s | %d | %d |".formatted(ep2Home == null ? "" : "EP2 itself: ",
                leg.label(), ms.size(), ConvergenceBenchmark.percentile(ms, 50), ConvergenceBenchmark.percentile(ms, 95),
                ms.get(ms.size() - 1), p50p95(waits), p50p95(afterWaits), ok, failures.size());
    }

    /** "p50 / p95" of the values, or "— (watch)" when the leg has no poll. */
    private static String p50p95(List<Double> values) {
        if (values.isEmpty()) {
            return "— (watch)";
        }
        List<Double> sorted = values.stream().sorted().toList();
        return "%.0f / %.0f".formatted(ConvergenceBenchmark.percentile(sorted, 50), ConvergenceBenchmark.percentile(sorted, 95));
    }

    static String recovery(Leg leg) throws Exception {
        List<String> ms = new ArrayList<>();
        try (World w = new World(leg)) {
            w.start();
            w.servedAfter(System.nanoTime(), w.roll());
            for (int i = 0; i < 3; i++) {
                Thread.sleep(1500);
                w.failing(true);
                Thread.sleep(3000);
                w.failing(false);
                long t0 = System.nanoTime();
                ms.add("%.0f".formatted(w.servedAfter(t0, w.roll())));
            }
        }
        return "| %s | %s |".formatted(leg.label(), String.join(" / ", ms));
    }

    static String outage(Leg leg, int seconds) throws Exception {
        try (World w = new World(leg)) {
            w.start();
            Thread.sleep(1000);
            int start = w.calls();
            w.failing(true);
            Thread.sleep(30_000);
            int afterGrace = w.calls();
            int inGrace = afterGrace - start;
            Thread.sleep((seconds - 30) * 1000L);
            int after = w.calls() - afterGrace;
            w.failing(false);
            return "| %s | %d | %.1f |".formatted(leg.label(), inGrace, after * 60.0 / (seconds - 30));
        }
    }

    /** Reloads (applied update_by_config rounds) for 100 events in 10 s. */
    static String storm() throws Exception {
        try (World w = new World(Leg.CONSUL_CONFIG)) {
            w.start();
            Thread.sleep(1500);
            long before = applied(w);
            long t0 = System.nanoTime();
            for (int e = 0; e < 100; e++) {
                int n = 2 + e % (INSTANCES - 1);
                if (e / (INSTANCES - 1) % 2 == 0) {
                    w.consul.register(instance("b" + n, "web").address(ip(n)).port(w.servers.port()));
                } else {
                    w.consul.deregister("b" + n);
                }
                long next = t0 + (e + 1) * 100_000_000L;
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            }
            Thread.sleep(2000);                      // the held last change goes out
            long reloads = applied(w) - before;
            return "| storm, consul watch, update_by_config | events | seconds | reloads |\n|---|---:|---:|---:|\n"
                    + "| 100 catalog events, one every 100 ms | 100 | 10 | %d |".formatted(reloads);
        }
    }

    /** ep2_applies_total{kind="reload"} from the controller's /observe/metrics. */
    private static long applied(World w) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + w.fx.observePort + "/observe/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith("ep2_applies_total{") && l.contains("kind=\"reload\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * The jar watching Consul while nothing changes, started both ways {@link JarProbe} knows (as a
     * user types it, as etc/ep2.service starts it): CPU and Consul calls.
     */
    static String idle() throws Exception {
        Path jar = Path.of("target", "ep2-camel.jar");
        StringBuilder md = new StringBuilder("| idle controller, consul watch (wait 30 s default) | CPU over 60 s (% of one core) "
                + "| RSS (MB) | Consul calls per minute |\n|---|---:|---:|---:|\n");
        for (JarProbe.Flavor flavor : JarProbe.Flavor.values()) {
            md.append(idle(jar, flavor));
        }
        return md.toString();
    }

    private static String idle(Path jar, JarProbe.Flavor flavor) throws Exception {
        try (World w = new World(Leg.CONSUL_RUNTIME)) {
            // the unit's archive comes from a dry run of the config it runs, as its install steps say
            Path archive = flavor == JarProbe.Flavor.UNIT ? JarProbe.classDataArchive(jar, w.fx.conf) : null;
            Process p = new ProcessBuilder(JarProbe.command(jar, archive, w.fx.conf, flavor)).redirectErrorStream(true)
                    .redirectOutput(w.fx.dir.resolve("out.txt").toFile()).start();
            try {
                Awaitility.await().atMost(GIVE_UP).until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the jar exited: " + Files.readString(w.fx.dir.resolve("out.txt")));
                    }
                    return Http.tryGet(w.fx.frontendPort).equals("b1");
                });
                Thread.sleep(30_000);
                int calls0 = w.calls();
                long cpu0 = JarProbe.cpuTicks(p.pid());
                long t0 = System.nanoTime();
                Thread.sleep(60_000);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpu = 100.0 * (JarProbe.cpuTicks(p.pid()) - cpu0) / JarProbe.CLOCK_TICKS / seconds;
                int calls = w.calls() - calls0;
                return "| %s | %.2f | %.0f | %.1f |\n".formatted(flavor.label, cpu, JarProbe.rssMb(p.pid()), calls * 60 / seconds);
            } finally {
                p.destroy();
                p.waitFor();
                if (archive != null) {
                    Files.deleteIfExists(archive);
                }
            }
        }
    }
}
