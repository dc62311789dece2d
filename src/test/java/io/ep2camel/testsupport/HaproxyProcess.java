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
    public static final String BINARY = System.getProperty("ep2.test.haproxy", "/usr/sbin/haproxy");

    private final Path pidFile;

    public HaproxyProcess(Path pidFile) {
        this.pidFile = pidFile;
    }

    public static HaproxyProcess start(Path config, Path pidFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BINARY, "-W", "-D", "-f", config.toString(), "-p", pidFile.toString())
                .redirectErrorStream(true).start();
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
