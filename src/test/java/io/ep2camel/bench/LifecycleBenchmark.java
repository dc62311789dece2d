package io.ep2camel.bench;

import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.ElasticMq;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.LoopbackBackends;
import io.ep2camel.testsupport.RequestLoop;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static io.ep2camel.testsupport.LoopbackBackends.ip;

/**
 * Issue #13's figures: the aws orchestrator with Auto Scaling lifecycle hooks (notifications through
 * a real SQS, ElasticMQ embedded) against polling alone, both update types, a real HAProxy, the
 * Query-protocol double as Auto Scaling and EC2 (loopback instances b1..b8 on one port).
 * <ul>
 *   <li><b>scale out</b>: from the moment the group has a new instance (with hooks: its launching
 *       notification is in the queue; without: it is InService) to the first request HAProxy answers
 *       from it; {@code --launches} times, each at a random point of the poll period, poll every 5 s
 *       (EP2's default sleep_before_next_run).</li>
 *   <li><b>scale in under load</b>: {@code --scale-ins} times an instance leaves while 4 client
 *       threads send requests (a fresh connection each). The instance's server process stops the
 *       moment it is let go: with hooks when CompleteLifecycleAction arrives, without hooks at once
 *       (the group terminates it as it leaves InService); poll every 1 s. The template has
 *       {@code retries 0} and no redispatch: every request HAProxy sends to a stopped instance counts
 *       as failed, none is hidden by a retry. After each one the instance comes back (scale out).</li>
 * </ul>
 * Checks {@code inter 1s rise 1}, downinter 200 ms. Run: {@code bash scripts/benchmark.sh lifecycle
 * [--launches 20] [--scale-ins 50] [--only out|in]}.
 */
public final class LifecycleBenchmark {
    private static final String GROUP = "web-asg";
    private static final int INSTANCES = 8;
    private static final int LOAD_THREADS = 4;
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int launches = 20;
        int scaleIns = 50;
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--launches" -> launches = Integer.parseInt(args[++i]);
                case "--scale-ins" -> scaleIns = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("usage: [--launches N] [--scale-ins N] [--only out|in], not "
                        + args[i]);
            }
        }
        StringBuilder md = new StringBuilder("| aws, checks inter 1s rise 1 | update type | scale out: new instance to its first "
                + "request served, p50 / p95 / max (ms) | scale ins under load | requests answered | failed |\n"
                + "|---|---|---:|---:|---:|---:|\n");
        System.out.print(md);
        for (boolean runtime : List.of(false, true)) {
            for (boolean hooks : List.of(true, false)) {
                String label = (hooks ? "lifecycle hooks (SQS)" : "polling only") + " | "
                        + (runtime ? "update_by_runtime" : "update_by_config");
                System.err.println("[bench] " + label);
                String out = only.equals("in") ? "-" : scaleOut(hooks, runtime, launches);
                String in = only.equals("out") ? "- | - | -" : scaleIn(hooks, runtime, scaleIns);
                System.out.println("| " + label + " | " + out + " | " + in + " |");
                System.out.flush();
            }
        }
        System.exit(0);
    }

    static String instance(int n) {
        return String.format("i-%017x", n);
    }

    /** The controller, HAProxy, the doubles and the queue for one run. */
    private static final class World implements AutoCloseable {
        final LoopbackBackends servers = LoopbackBackends.start(INSTANCES);
        final ElasticMq sqs = ElasticMq.start();
        final AwsQueryDouble aws = AwsQueryDouble.start().notifyThrough(sqs.client());
        final Ep2Fixture fx = new Ep2Fixture();
        final boolean hooks;

        World(boolean hooks, boolean runtime, String pollSeconds) {
            this.hooks = hooks;
            String queue = sqs.createQueue("ep2-lifecycle");
            for (int i = 1; i <= INSTANCES; i++) {
                aws.running(instance(i), ip(i));
            }
            aws.group(GROUP, inService(instance(1)));
            fx.set("sleep_before_next_run", pollSeconds).set("check_interval", "1s").set("orchestrator", "aws")
                    .set("backend_port", Integer.toString(servers.port())).set("drain_timeout", "20");
            if (runtime) {
                fx.set("update_type", "update_by_runtime").set("node_slots", "4");
            }
            fx.write(fx.template, fx.templateText("    {{nodes}}").replace("retries 3", "retries 0")
                    .replace("    option redispatch\n", "")
                    .replace("    balance roundrobin\n", "    balance roundrobin\n    default-server rise 1\n"));
            fx.section("FILE").clear();
            fx.section("AWS").put("asg_name", GROUP);
            fx.section("AWS").put("ip_type", "private");
            fx.section("AWS").put("region_name", "us-east-1");
            fx.section("AWS").put("endpoint_url", aws.endpoint().toString());
            fx.section("AWS").put("aws_access_key_id", "AKIDBENCH");
            fx.section("AWS").put("aws_secret_access_key", "bench-secret");
            if (hooks) {
                fx.section("AWS").put("sqs_endpoint_url", sqs.endpoint().toString());
                fx.section("AWS").put("lifecycle_queue_url", queue);
                try (AutoScalingClient asg = AutoScalingClient.builder().endpointOverride(aws.endpoint())
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("AKIDBENCH", "bench-secret"))).build()) {
                    for (String transition : List.of(AwsQueryDouble.LAUNCHING, AwsQueryDouble.TERMINATING)) {
                        asg.putLifecycleHook(r -> r.autoScalingGroupName(GROUP).lifecycleHookName(
                                        transition.endsWith("LAUNCHING") ? "ep2-launch" : "ep2-drain")
                                .lifecycleTransition(transition).heartbeatTimeout(300).defaultResult("ABANDON")
                                .notificationTargetARN(ElasticMq.arnOf("ep2-lifecycle"))
                                .roleARN("arn:aws:iam::123456789012:role/ep2-lifecycle"));
                    }
                }
            }
            fx.writeConf();
        }

        void start() throws Exception {
            fx.startController();
            fx.awaitServed("b1");
        }

        /** Instance n joins (hooks: Pending:Wait + notification; else InService); when it did. */
        long launch(int n) {
            long t0;
            if (hooks) {
                aws.launch(GROUP, instance(n), ip(n));   // returns once the notification is in the queue
                t0 = System.nanoTime();
            } else {
                List<AwsQueryDouble.Member> now = new ArrayList<>(aws.members(GROUP));
                now.add(inService(instance(n)));
                aws.group(GROUP, now.toArray(AwsQueryDouble.Member[]::new));
                t0 = System.nanoTime();
            }
            return t0;
        }

        /** Instance n leaves: with hooks through its terminating action, else at once (its process stopped). */
        void terminate(int n) {
            if (hooks) {
                aws.terminate(GROUP, instance(n));
            } else {
                aws.group(GROUP, aws.members(GROUP).stream().filter(m -> !m.instanceId().equals(instance(n)))
                        .toArray(AwsQueryDouble.Member[]::new));
                servers.stop(n);
            }
        }

        double servedAfter(long t0, String name) {
            return ScenarioBenchmark.servedAfter(fx.frontendPort, t0, name);
        }

        void awaitGone(String name) throws InterruptedException {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (Ep2Fixture.servedAt(fx.frontendPort, 8).contains(name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " still served after " + GIVE_UP);
                }
                Thread.sleep(50);
            }
        }

        /** The instance has left the group (hooks: its terminating action completed). */
        void awaitLeft(int n) throws InterruptedException {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (aws.member(GROUP, instance(n)).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(instance(n) + " still in the group after " + GIVE_UP);
                }
                Thread.sleep(20);
            }
        }

        /** Hooks: the instance's launching action completed (it is InService). */
        void awaitInService(int n) throws InterruptedException {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (aws.member(GROUP, instance(n)).map(m -> !m.lifecycleState().equals("InService")).orElse(true)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(instance(n) + " not InService after " + GIVE_UP);
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() {
            fx.close();
            aws.close();
            sqs.close();
            servers.close();
        }
    }

    /** New instances one after the other (the previous one leaving), time to their first request. */
    static String scaleOut(boolean hooks, boolean runtime, int launches) throws Exception {
        List<Double> ms = new ArrayList<>();
        try (World w = new World(hooks, runtime, "5")) {
            w.start();
            int previous = 0;
            java.util.Random random = new java.util.Random(13);
            for (int i = 0; i < launches + 2; i++) {
                int n = i % (INSTANCES - 1) + 2;
                // a random point of the 5 s poll period, as a real scale out falls
                Thread.sleep(random.nextInt(5000));
                long t0 = w.launch(n);
                double took = w.servedAfter(t0, "b" + n);
                if (i >= 2) {
                    ms.add(took);   // the first two warm the JIT and the pools up
                }
                if (hooks) {
                    w.awaitInService(n);
                }
                if (previous != 0) {
                    int gone = previous;
                    if (hooks) {
                        w.aws.terminate(GROUP, instance(gone));
                    } else {
                        w.aws.group(GROUP, w.aws.members(GROUP).stream().filter(m -> !m.instanceId().equals(instance(gone)))
                                .toArray(AwsQueryDouble.Member[]::new));
                    }
                    w.awaitGone("b" + gone);
                    w.awaitLeft(gone);
                    w.aws.running(instance(gone), ip(gone));   // the id may join again later
                }
                previous = n;
            }
        }
        Collections.sort(ms);
        return "%.0f / %.0f / %.0f".formatted(ConvergenceBenchmark.percentile(ms, 50),
                ConvergenceBenchmark.percentile(ms, 95), ms.get(ms.size() - 1));
    }

    /** Scale ins under load, each instance back afterwards; the requests answered and failed. */
    static String scaleIn(boolean hooks, boolean runtime, int scaleIns) throws Exception {
        int ok = 0;
        List<String> failures = new ArrayList<>();
        try (World w = new World(hooks, runtime, "1")) {
            Map<String, Integer> byInstance = new ConcurrentHashMap<>();
            for (int i = 1; i <= INSTANCES; i++) {
                byInstance.put(instance(i), i);
            }
            // the group terminates an instance the moment it is let go
            w.aws.onComplete(c -> {
                if (c.transition().equals(AwsQueryDouble.TERMINATING)) {
                    w.servers.stop(byInstance.get(c.instanceId()));
                }
            });
            w.start();
            w.launch(2);
            w.servedAfter(System.nanoTime(), "b2");
            if (hooks) {
                w.awaitInService(2);
            }
            List<RequestLoop> load = new ArrayList<>();
            for (int t = 0; t < LOAD_THREADS; t++) {
                load.add(RequestLoop.start(w.fx.frontendPort));
            }
            try {
                for (int i = 0; i < scaleIns; i++) {
                    int n = i % 2 == 0 ? 2 : 3;      // the one serving leaves, the other comes back
                    int other = n == 2 ? 3 : 2;
                    w.servers.listen(other);
                    w.aws.running(instance(other), ip(other));
                    w.launch(other);
                    w.servedAfter(System.nanoTime(), "b" + other);
                    if (hooks) {
                        w.awaitInService(other);
                    }
                    w.terminate(n);
                    w.awaitGone("b" + n);
                    w.awaitLeft(n);
                    Thread.sleep(300);
                }
            } finally {
                for (RequestLoop l : load) {
                    l.close();
                    ok += l.ok();
                    failures.addAll(l.failures());
                }
            }
        }
        if (!failures.isEmpty()) {
            System.err.println("[bench] first failures: " + failures.stream().limit(3).toList());
        }
        return scaleIns + " | " + ok + " | " + failures.size();
    }
}
