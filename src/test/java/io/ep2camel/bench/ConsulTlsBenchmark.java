package io.ep2camel.bench;

import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.TestCertificates;
import io.ep2camel.testsupport.TestDirs;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.ep2camel.testsupport.ConsulDouble.instance;

/**
 * Consul in production shape, two figures:
 * <ul>
 *   <li>watch convergence (update_by_runtime) over plain HTTP vs HTTPS with a client certificate
 *       (the double requires it; certificates made by keytool, RSA 2048), p50/p95/max;</li>
 *   <li>the Consul requests of one idle controller per minute (nothing changes): one blocking query
 *       per {@code wait} is expected, i.e. 60 / wait.</li>
 * </ul>
 * Run: {@code bash scripts/benchmark.sh consul-tls [--runs 30] [--idle-seconds 120] [--wait 10]}.
 * Prints a Markdown table (progress on stderr).
 */
public final class ConsulTlsBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = 30;
        int idleSeconds = 120;
        int wait = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++i]);
                case "--wait" -> wait = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(
                        "usage: [--runs N] [--idle-seconds S] [--wait W], not " + args[i]);
            }
        }
        Path pki = TestDirs.shortTemp();
        TestCertificates certs = TestCertificates.create(pki.resolve("rsa"), "RSA");
        List<String> rows = new ArrayList<>();
        for (boolean tls : new boolean[] {false, true}) {
            List<Double> ms = ConvergenceBenchmark.run(ConvergenceBenchmark.Source.CONSUL_WATCH, true, runs, 1,
                    tls ? certs : null);
            rows.add("| watch convergence, %s | %d | %.0f ms | %.0f ms | %.0f ms |".formatted(
                    tls ? "HTTPS + client certificate" : "plain HTTP", ms.size(),
                    ConvergenceBenchmark.percentile(ms, 50), ConvergenceBenchmark.percentile(ms, 95), ms.get(ms.size() - 1)));
            System.err.println("done: " + rows.get(rows.size() - 1));
        }
        double perMinute = idleRequestsPerMinute(certs, idleSeconds, wait);
        rows.add("| idle controller, HTTPS + client certificate, wait %d s: Consul requests per minute (expected %.1f) | %d s | %.1f | | |"
                .formatted(wait, 60.0 / wait, idleSeconds, perMinute));
        System.out.println("| measure | runs / span | p50 or value | p95 | max |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        TestDirs.deleteQuietly(pki);
        System.exit(0);
    }

    /** Requests the double saw per minute while one controller watched a service that did not change. */
    static double idleRequestsPerMinute(TestCertificates certs, int idleSeconds, int wait) throws Exception {
        try (HttpBackends servers = new HttpBackends(); ConsulDouble consul = ConsulDouble.startTls(certs);
             Ep2Fixture fx = new Ep2Fixture()) {
            int port = servers.add("base");
            consul.register(instance("base", "web").address("127.0.0.1").port(port));
            fx.set("orchestrator", "consul").set("update_type", "update_by_runtime").set("node_slots", "4");
            fx.section("FILE").clear();
            var c = fx.section("CONSUL");
            c.put("service_name", "web");
            c.put("address", "https://127.0.0.1:" + consul.port());
            c.put("ca_file", certs.caPem.toString());
            c.put("cert_file", certs.clientCertPem.toString());
            c.put("key_file", certs.clientKeyPem.toString());
            c.put("wait", Integer.toString(wait));
            fx.writeConf();
            fx.startController();
            fx.awaitServed("base");
            Thread.sleep(Duration.ofSeconds(wait + 2).toMillis()); // past the first calls and the catch-up pace
            Instant from = Instant.now();
            Thread.sleep(Duration.ofSeconds(idleSeconds).toMillis());
            int n = consul.requestsSince(from).size();
            return n * 60.0 / idleSeconds;
        }
    }
}
