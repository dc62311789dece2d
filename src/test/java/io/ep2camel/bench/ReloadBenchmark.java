package io.ep2camel.bench;

import io.ep2camel.config.StartBy;
import io.ep2camel.reload.ExecCommandRunner;
import io.ep2camel.reload.HaproxyCommands;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;
import io.ep2camel.testsupport.TestDirs;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Issue #12's figures: 100 reloads of a real HAProxy under client load, through the controller's
 * own {@link HaproxyControl}, for each HAProxy binary given (default: Debian's 2.6 and the 3.0.11
 * that scripts/test-haproxy-3.0.sh builds) and each way of reloading:
 * <ul>
 *   <li><b>new master</b> (EP2's way): HAProxy started without a master CLI; each reload runs
 *       {@code haproxy -W -D ... -x <stats socket> -sf <old pids>}, a new master each time;</li>
 *   <li><b>master CLI</b>: HAProxy started with {@code -S <master socket>}; each reload is one
 *       {@code reload} on it (same master, new workers).</li>
 * </ul>
 * Per reload: how long the controller's reload call takes, and how long until a request on a fresh
 * connection is answered by a new worker (HAProxy stamps each answer with the worker's pid).
 * Over the whole run: the requests of 4 client threads (back to back, fresh connection each) that
 * failed. Two backends, checks {@code inter 1s}, HAProxy's default {@code retries 3}; 200 ms
 * between reloads.
 * Run: {@code bash scripts/benchmark.sh reload [--reloads 100] [--haproxy /path/to/haproxy ...]}.
 */
public final class ReloadBenchmark {
    private static final int LOAD_THREADS = 4;
    private static final long PAUSE_MS = 200;
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(10);
    private static final String HAPROXY_30 = "/var/cache/ep2-camel/haproxy-3.0.11/haproxy";

    record Outcome(String version, String method, int reloads, List<Long> callMs, List<Long> servedMs,
                   int notServed, int mastersSeen, int ok, int failed, List<String> firstFailures) {
    }

    public static void main(String[] args) throws Exception {
        int reloads = 100;
        List<String> binaries = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reloads" -> reloads = Integer.parseInt(args[++i]);
                case "--haproxy" -> binaries.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (known: --reloads N, --haproxy PATH)");
            }
        }
        if (binaries.isEmpty()) {
            binaries.add(HaproxyProcess.BINARY);
            if (Files.isExecutable(Path.of(HAPROXY_30))) {
                binaries.add(HAPROXY_30);
            } else {
                System.out.println("(no " + HAPROXY_30 + ": run scripts/test-haproxy-3.0.sh once to build it)");
            }
        }
        CamelContext camel = new DefaultCamelContext();
        camel.start();
        try {
            List<Outcome> all = new ArrayList<>();
            for (String binary : binaries) {
                for (boolean masterCli : new boolean[] {false, true}) {
                    Outcome o = run(camel, Path.of(binary), masterCli, reloads);
                    System.out.println(row(o));
                    all.add(o);
                }
            }
            System.out.println();
            System.out.println("| HAProxy | reload | reloads | reload call p50 / p95 ms | to a new worker's first answer p50 / p95 / max ms "
                    + "| masters seen | requests | failed |");
            System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
            all.forEach(o -> System.out.println(row(o)));
        } finally {
            camel.stop();
        }
    }

    static Outcome run(CamelContext camel, Path binary, boolean masterCli, int reloads) throws Exception {
        Path dir = TestDirs.shortTemp();
        int port = FreePort.find();
        Path config = dir.resolve("haproxy.cfg");
        Path pidFile = dir.resolve("haproxy.pid");
        Path stats = dir.resolve("s.sock");
        Path master = dir.resolve("m.sock");
        String version = version(binary);
        HaproxyControl control = new HaproxyControl(new ExecCommandRunner(() -> camel, Duration.ofSeconds(30)),
                new HaproxyCommands(binary, "systemctl"), StartBy.BINARY, config, pidFile, Optional.of(stats), "haproxy",
                masterCli ? Optional.of(master) : Optional.empty());
        HaproxyProcess haproxy = new HaproxyProcess(pidFile);
        List<Long> callMs = new ArrayList<>();
        List<Long> servedMs = new ArrayList<>();
        Set<Long> masters = new HashSet<>();
        int notServed = 0;
        List<RequestLoop> load = new ArrayList<>();
        try (HttpBackends servers = HttpBackends.start(2)) {
            Files.writeString(config, config(port, stats, servers, 0));
            control.reloadOrStart();
            awaitWorker(port, Set.of());
            for (int i = 0; i < LOAD_THREADS; i++) {
                load.add(RequestLoop.start(port));
            }
            if (reloads == 0) {
                Thread.sleep(30_000);               // the control: the same load, no reload
            }
            for (int r = 1; r <= reloads; r++) {
                Files.writeString(config, config(port, stats, servers, r));
                Set<Long> old = workers(pidFile);
                long t0 = System.nanoTime();
                control.reloadOrStart();
                callMs.add((System.nanoTime() - t0) / 1_000_000);
                if (awaitWorker(port, old)) {
                    servedMs.add((System.nanoTime() - t0) / 1_000_000);
                } else {
                    notServed++;
                }
                masters.add(haproxy.masterPid());
                Thread.sleep(PAUSE_MS);
            }
            Thread.sleep(1000);                     // requests in flight on the last workers finish
            int ok = 0;
            List<String> failures = new ArrayList<>();
            for (RequestLoop l : load) {            // before the backends close: their end is no failure of a reload
                l.close();
                ok += l.ok();
                failures.addAll(l.failures());
            }
            return new Outcome(version, masterCli ? "master CLI" : "new master (-x, -sf)", reloads, callMs, servedMs,
                    notServed, masters.size(), ok, failures.size(), failures.stream().limit(3).toList());
        } finally {
            for (RequestLoop l : load) {
                l.close();
            }
            haproxy.stop();
            TestDirs.deleteQuietly(dir);
        }
    }

    private static String config(int port, Path stats, HttpBackends servers, int generation) {
        return String.join("\n",
                "# reload " + generation,
                "global",
                "    stats socket " + stats + " mode 600 level admin expose-fd listeners",
                "defaults",
                "    mode http",
                "    retries 3",
                "    timeout connect 2s",
                "    timeout client 10s",
                "    timeout server 10s",
                "frontend fe",
                "    bind 127.0.0.1:" + port,
                "    http-response set-header X-Worker %pid",
                "    default_backend be",
                "backend be",
                "    balance roundrobin",
                "    server b1 127.0.0.1:" + servers.port(0) + " check inter 1s",
                "    server b2 127.0.0.1:" + servers.port(1) + " check inter 1s",
                "");
    }

    /** The pids of every HAProxy process under the pid file's masters, before a reload. */
    private static Set<Long> workers(Path pidFile) throws IOException {
        Set<Long> pids = new HashSet<>();
        for (String p : Files.readString(pidFile).trim().split("\\s+")) {
            ProcessHandle.of(Long.parseLong(p)).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        }
        return pids;
    }

    /** Polls (fresh connection each, every 5 ms, bounded) until a worker not in {@code old} answers. */
    private static boolean awaitWorker(int port, Set<Long> old) throws InterruptedException {
        long deadline = System.nanoTime() + SERVED_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            Long pid = answeringWorker(port);
            if (pid != null && !old.contains(pid)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private static Long answeringWorker(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
            c.setRequestProperty("Connection", "close");
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try {
                c.getInputStream().readAllBytes();
                String w = c.getHeaderField("X-Worker");
                return c.getResponseCode() == 200 && w != null ? Long.valueOf(w.trim()) : null;
            } finally {
                c.disconnect();
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static String version(Path binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String[] words = out.lines().findFirst().orElse("").split("\\s+");
        int v = Arrays.asList(words).indexOf("version");
        return v >= 0 && v + 1 < words.length ? words[v + 1] : binary.toString();
    }

    private static String row(Outcome o) {
        return "| " + o.version() + " | " + o.method() + " | " + o.reloads() + " | " + pct(o.callMs(), 50) + " / " + pct(o.callMs(), 95)
                + " | " + pct(o.servedMs(), 50) + " / " + pct(o.servedMs(), 95) + " / " + pct(o.servedMs(), 100)
                + (o.notServed() > 0 ? " (" + o.notServed() + " never)" : "")
                + " | " + o.mastersSeen() + " | " + o.ok() + " | " + o.failed()
                + (o.firstFailures().isEmpty() ? "" : " " + o.firstFailures()) + " |";
    }

    private static String pct(List<Long> values, int p) {
        List<Double> sorted = values.stream().sorted().map(Long::doubleValue).toList();
        return sorted.isEmpty() ? "-" : String.format("%.0f", ConvergenceBenchmark.percentile(sorted, p));
    }
}
