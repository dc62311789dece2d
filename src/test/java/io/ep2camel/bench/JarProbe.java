package io.ep2camel.bench;

import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.TestDirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The built jar as an operator runs it (the shipped etc/ demo config in a temp dir, a real
 * HAProxy), two ways: a plain {@code java -jar} with no flag at all, and with etc/ep2.service's
 * flags and class-data archive. Start-up to the first haproxy.cfg, then resident memory and CPU
 * of the controller process while idle (after it settled) and while its file orchestrator changes
 * every 100 ms (update_by_config, so a reload per reload_min_interval).
 */
public final class JarProbe {
    /** etc/ep2.service's JVM flags, read from its ExecStart, but for the archive's path. */
    static final List<String> JVM_FLAGS = unitFlags(Path.of("etc", "ep2.service"));
    /** How long a started controller is left alone before "idle" is sampled, and how long it is sampled. */
    private static final long SETTLE_MS = 30_000;
    private static final long SAMPLE_MS = 20_000;

    /** How the JVM is started: as a user types it, or as the systemd unit does. */
    public enum Flavor {
        PLAIN("plain java -jar"), UNIT("etc/ep2.service's flags");

        final String label;

        Flavor(String label) {
            this.label = label;
        }
    }
    static final long CLOCK_TICKS = 100;   // USER_HZ on Linux

    public record Usage(double rssMb, double cpuPercent) {
    }

    public record Outcome(Flavor flavor, List<Long> startupMs, Usage idle, Usage churn) {
    }

    public static Outcome run(Path jar, int startups, Flavor flavor) throws Exception {
        if (flavor == Flavor.PLAIN) {
            return run(jar, null, startups, flavor);
        }
        Path archive = classDataArchive(jar);
        try {
            return run(jar, archive, startups, flavor);
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** {@code scripts/benchmark.sh jar}: both flavors, 3 start-ups each, as a README table. */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of("target", "ep2-camel.jar");
        List<Outcome> outcomes = List.of(run(jar, 3, Flavor.PLAIN), run(jar, 3, Flavor.UNIT));
        System.out.print(table(outcomes));
    }

    /** The README's rows: one column per flavor. */
    static String table(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder("| the jar, demo config |");
        outcomes.forEach(o -> b.append(' ').append(o.flavor().label).append(" |"));
        b.append("\n|---|").append("---:|".repeat(outcomes.size())).append('\n');
        row(b, "start-up to the first config (ms, 3 runs)", outcomes,
                o -> o.startupMs().stream().map(String::valueOf).collect(Collectors.joining(" / ")));
        row(b, "RSS idle (MB)", outcomes, o -> "%.1f".formatted(o.idle().rssMb()));
        row(b, "CPU idle (% of one core)", outcomes, o -> "%.2f".formatted(o.idle().cpuPercent()));
        row(b, "RSS under churn, list rewritten every 100 ms (MB)", outcomes, o -> "%.1f".formatted(o.churn().rssMb()));
        row(b, "CPU under churn (% of one core)", outcomes, o -> "%.1f".formatted(o.churn().cpuPercent()));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, List<Outcome> outcomes,
                            java.util.function.Function<Outcome, String> value) {
        b.append("| ").append(name).append(" |");
        outcomes.forEach(o -> b.append(' ').append(value.apply(o)).append(" |"));
        b.append('\n');
    }

    /** The install step of etc/ep2.service: one dry run that writes the jar's class-data archive (demo config). */
    private static Path classDataArchive(Path jar) throws Exception {
        Path dir = TestDirs.shortTemp();
        try {
            return classDataArchive(jar, demo(dir));
        } finally {
            TestDirs.deleteQuietly(dir);
        }
    }

    /** The same for the config {@code conf}, as an operator's install step runs it. */
    static Path classDataArchive(Path jar, Path conf) throws Exception {
        Path archive = Files.createTempFile("ep2-", ".jsa");
        Files.delete(archive);
        Path out = Files.createTempFile("ep2-dry-", ".txt");
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:ArchiveClassesAtExit=" + archive));
            cmd.addAll(List.of("-jar", jar.toString(), "-f", conf.toString(), "--dry-run"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (p.waitFor() != 0 || !Files.exists(archive)) {
                throw new IllegalStateException("the archive's dry run failed: " + Files.readString(out));
            }
            return archive;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Outcome run(Path jar, Path archive, int startups, Flavor flavor) throws Exception {
        List<Long> startup = new ArrayList<>();
        Usage idle = null;
        Usage churn = null;
        for (int run = 0; run < startups; run++) {
            Path dir = TestDirs.shortTemp();
            Process p = null;
            try {
                Path conf = demo(dir);
                long t0 = System.nanoTime();
                p = new ProcessBuilder(command(jar, archive, conf, flavor)).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("out.txt").toFile()).start();
                while (!Files.exists(dir.resolve("haproxy.cfg"))) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the jar exited: " + Files.readString(dir.resolve("out.txt")));
                    }
                    Thread.sleep(5);
                }
                startup.add((System.nanoTime() - t0) / 1_000_000);
                if (run == startups - 1) {
                    Thread.sleep(SETTLE_MS);                       // settled: start-up's JIT and heap release done
                    idle = sample(p.pid(), SAMPLE_MS, () -> { });
                    Random random = new Random(3);
                    Path list = dir.resolve("backends.txt");
                    churn = sample(p.pid(), 10_000, () -> write(list, random));
                }
            } finally {
                if (p != null) {
                    p.destroy();
                    p.waitFor();
                }
                new HaproxyProcess(dir.resolve("haproxy.pid")).stop();
                TestDirs.deleteQuietly(dir);
            }
        }
        return new Outcome(flavor, startup, idle, churn);
    }

    static List<String> unitFlags(Path unit) {
        try {
            String execStart = Files.readAllLines(unit).stream().filter(l -> l.startsWith("ExecStart=")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(unit + " has no ExecStart"));
            List<String> words = List.of(execStart.substring("ExecStart=".length()).trim().split("\\s+"));
            return words.subList(1, words.indexOf("-jar")).stream()
                    .filter(w -> !w.startsWith("-XX:SharedArchiveFile=")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> command(Path jar, Path archive, Path conf, Flavor flavor) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (flavor == Flavor.UNIT) {
            cmd.addAll(JVM_FLAGS);
            cmd.add("-XX:SharedArchiveFile=" + archive);
        }
        cmd.addAll(List.of("-jar", jar.toString(), "-f", conf.toString()));
        return cmd;
    }

    /** The shipped demo config (etc/), moved into {@code dir} with a free observe port. */
    private static Path demo(Path dir) throws IOException {
        for (String f : List.of("ep2.conf", "haproxy.cfg.template", "backends.txt")) {
            String text = Files.readString(Path.of("etc", f)).replace("/tmp/ep2-demo", dir.toString());
            if (f.equals("ep2.conf")) {
                text = text.replaceAll("(?m)^observe_port = .*$", "observe_port = " + FreePort.find());
            }
            if (f.equals("haproxy.cfg.template")) {
                text = java.util.regex.Pattern.compile("bind (\\*|127\\.0\\.0\\.1):\\d+").matcher(text)
                        .replaceAll(m -> "bind 127.0.0.1:" + FreePort.find());   // each bind its own port
            }
            Files.writeString(dir.resolve(f), text);
        }
        return dir.resolve("ep2.conf");
    }

    /** CPU share and RSS of the process over {@code millis}, running {@code tick} every 100 ms. */
    private static Usage sample(long pid, long millis, Runnable tick) throws Exception {
        long cpu0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        double maxRss = 0;
        while (System.nanoTime() - t0 < millis * 1_000_000) {
            tick.run();
            maxRss = Math.max(maxRss, rssMb(pid));
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Usage(maxRss, 100.0 * (cpuTicks(pid) - cpu0) / CLOCK_TICKS / seconds);
    }

    private static void write(Path list, Random random) {
        String text = random.ints(20, 0, 40).distinct().mapToObj(i -> "127.0.0.1:" + (21000 + i) + "\n")
                .collect(Collectors.joining());
        try {
            Path tmp = list.resolveSibling("backends.tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, list, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14 and 15)
    }

    static double rssMb(long pid) throws IOException {
        return Arrays.stream(Files.readString(Path.of("/proc/" + pid + "/status")).split("\n"))
                .filter(l -> l.startsWith("VmRSS:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024.0).orElse(0.0);
    }
}
