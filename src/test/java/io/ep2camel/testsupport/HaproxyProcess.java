package io.ep2camel.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real haproxy binary (Debian package), run in master-worker daemon mode as production
 * does: {@code haproxy -W -q -D -f CFG -p PID}. For tests that need HAProxy started outside the
 * controller, and to find/stop the processes the controller started.
 */
public final class HaproxyProcess {
    /** The HAProxy under test: -Dep2.haproxy=/path/to/haproxy (older spelling -Dep2.test.haproxy), else Debian's. */
    public static final String BINARY = System.getProperty("ep2.haproxy", System.getProperty("ep2.test.haproxy", "/usr/sbin/haproxy"));

    private final Path pidFile;

    /**
     * Whether the HAProxy under test is at least major.minor ({@code haproxy -v}'s first line):
     * for what only some versions report, e.g. the reason of a failed master CLI reload (2.7+).
     */
    public static boolean versionAtLeast(int major, int minor) {
        try {
            Process p = new ProcessBuilder(BINARY, "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\d+)\\.(\\d+)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("no version in: " + out);
            }
            int ma = Integer.parseInt(m.group(1));
            int mi = Integer.parseInt(m.group(2));
            return ma > major || (ma == major && mi >= minor);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HaproxyProcess(Path pidFile) {
        this.pidFile = pidFile;
    }

    /** @param more further arguments, e.g. {@code -S <master socket>} */
    public static HaproxyProcess start(Path config, Path pidFile, String... more) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(BINARY, "-W", "-D", "-f", config.toString(), "-p", pidFile.toString()));
        argv.addAll(List.of(more));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("haproxy failed to start: " + out);
        }
        return new HaproxyProcess(pidFile);
    }

    /** The master pid written to the pid file. */
    public long masterPid() throws IOException {
        return Long.parseLong(Files.readString(pidFile).trim().split("\\s+")[0]);
    }

    /** Live worker pids: the master's children. */
    public List<Long> workerPids() throws IOException {
        long master = masterPid();
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(master).ifPresent(m -> m.children().forEach(c -> pids.add(c.pid())));
        return pids;
    }

    /**
     * The master pid, then its workers': unchanged means no reload at all. (A reload through the
     * master CLI keeps the master and forks new workers: the master pid alone cannot tell.)
     */
    public List<Long> processes() throws IOException {
        List<Long> all = new ArrayList<>(List.of(masterPid()));
        workerPids().stream().sorted().forEach(all::add);
        return all;
    }

    public boolean isAlive() {
        try {
            return ProcessHandle.of(masterPid()).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Stops the master (and so its workers) and waits for them to go. */
    public void stop() {
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            for (String pid : Files.readString(pidFile).trim().split("\\s+")) {
                if (pid.isEmpty()) {
                    continue;
                }
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
                    List<ProcessHandle> all = new ArrayList<>(h.descendants().toList());
                    all.add(h);
                    h.destroy();
                    all.forEach(ph -> ph.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> {
                        ph.destroyForcibly();
                        return ph;
                    }).join());
                });
            }
        } catch (IOException | NumberFormatException ignored) {
            // nothing to stop
        }
    }
}
