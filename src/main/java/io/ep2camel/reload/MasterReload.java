package io.ep2camel.reload;

import io.ep2camel.reload.MasterCli.Processes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One reload through HAProxy's master CLI: the same master loads the new config and forks new
 * workers; the old ones finish their connections (soft stop). Success is read from HAProxy:
 * from 2.7 on its answer to {@code reload} ("Success=1", then its start-up messages); 2.6 answers
 * nothing and re-executes, so success is its {@code show proc}: the reload counted, no failed
 * reload counted, and a newest-generation worker that was not there before.
 */
final class MasterReload {
    private static final Logger LOG = LoggerFactory.getLogger(MasterReload.class);
    private static final String SUCCESS = "Success=";

    private final MasterCli cli;
    private final Duration countedWithin;

    MasterReload(MasterCli cli, Duration countedWithin) {
        this.cli = cli;
        this.countedWithin = countedWithin;
    }

    /**
     * Reloads. {@code previousWorkers} learns the workers about to be soft-stopped before the
     * reload is sent: whoever waits for them to finish must not see the new workers alone first.
     */
    void run(java.util.function.Consumer<List<Long>> previousWorkers) throws IOException, CommandFailedException {
        Processes before = cli.showProc().orElseThrow(() -> new IOException("master CLI " + cli.socket()
                + ": 'show proc' has no master line"));
        previousWorkers.accept(before.workers().stream().map(MasterCli.Processes.Worker::pid).toList());
        String answer = cli.reload();
        String first = answer.lines().findFirst().orElse("").strip();
        Processes after;
        if (first.startsWith(SUCCESS)) {
            // 2.7+: the answer is the verdict; the messages after "--" are HAProxy's own start-up log
            List<String> messages = answer.lines().dropWhile(l -> !l.strip().equals("--")).skip(1)
                    .filter(l -> !l.isBlank()).toList();
            if (!first.equals(SUCCESS + "1")) {
                throw failed(String.join("\n", messages));
            }
            // HAProxy labels an old worker's normal exit a warning too: that one is the reload working
            messages.stream().filter(l -> (l.startsWith("[WARNING]") || l.startsWith("[ALERT]")) && !l.contains("Former worker ("))
                    .forEach(l -> LOG.warn("HAProxy on reload: {}", l));
            after = cli.showProc().orElse(before);
        } else {
            after = awaitCounted(before);
            if (after.failedReloads() > before.failedReloads()) {
                throw failed("show proc counts a failed reload (" + after.failedReloads() + " failed in all)");
            }
        }
        List<Long> fresh = after.newestWorkers().stream()
                .filter(pid -> before.workers().stream().noneMatch(w -> w.pid() == pid)).toList();
        if (fresh.isEmpty()) {
            throw failed("no new worker in 'show proc' after the reload");
        }
        if (after.masterPid() != before.masterPid()) {
            LOG.warn("HAProxy's master changed across the reload: {} -> {}", before.masterPid(), after.masterPid());
        }
        LOG.info("HAProxy reloaded through the master CLI: master {} (reload {}), new worker(s) {}, previous worker(s) {} "
                        + "finish their connections", after.masterPid(), after.reloads(), fresh,
                before.workers().stream().map(MasterCli.Processes.Worker::pid).toList());
    }

    /** 2.6: the master re-executes; its CLI is back once it has re-read the config and counted the reload. */
    private Processes awaitCounted(Processes before) throws IOException {
        long deadline = System.nanoTime() + countedWithin.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                Processes now = cli.showProc().orElse(null);
                if (now != null && (now.reloads() > before.reloads() || now.failedReloads() > before.failedReloads())) {
                    return now;
                }
            } catch (IOException e) {
                last = e;   // the master CLI is away while the master re-executes
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for HAProxy's reload", e);
            }
        }
        throw new IOException("master CLI " + cli.socket() + ": the reload was not counted in 'show proc' within "
                + countedWithin.toSeconds() + " s" + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    private CommandFailedException failed(String why) {
        return new CommandFailedException("haproxy reload (master CLI " + cli.socket() + ")",
                new CommandResult(List.of("reload"), 1, "", why));
    }
}
