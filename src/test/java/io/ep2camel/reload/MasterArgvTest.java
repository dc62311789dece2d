package io.ep2camel.reload;

import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running master's command line tells a reload whether HAProxy has our master CLI. The master
 * re-executes itself at each reload, and for a moment the kernel shows an empty command line: a
 * read at that moment once took the master CLI as absent and started a second master (CI, 3.0).
 */
class MasterArgvTest {
    @Test
    void theCommandLineIsReadWholeWhileTheMasterReExecutesItself() throws Exception {
        Path dir = TestDirs.shortTemp();
        Path cfg = dir.resolve("h.cfg");
        Path pid = dir.resolve("h.pid");
        Path cli = dir.resolve("m.sock");
        Files.writeString(cfg, """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend be
                backend be
                    server a 127.0.0.1:%d
                """.formatted(FreePort.find(), FreePort.find()));
        HaproxyProcess.start(cfg, pid, "-S", cli.toString());
        try {
            long master = new HaproxyProcess(pid).masterPid();
            MasterCli masterCli = new MasterCli(cli, Duration.ofSeconds(10));
            assertThat(masterCli.answersWithin(Duration.ofSeconds(5))).isTrue();
            AtomicBoolean reloading = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            List<Optional<List<String>>> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                // bounded: the reloads below end it, and at most 20 000 reads in any case
                while (reloading.get() && reads.incrementAndGet() < 20_000) {
                    Optional<List<String>> argv = HaproxyControl.masterArgv(master);
                    if (argv.isEmpty() || !argv.get().contains("-S")) {
                        wrong.add(argv);
                    }
                }
            });
            reader.start();
            while (reads.get() == 0 && reader.isAlive()) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < 8; i++) {
                masterCli.reload();
                assertThat(masterCli.answersWithin(Duration.ofSeconds(10))).as("master CLI back after reload %d", i + 1).isTrue();
            }
            reloading.set(false);
            reader.join(10_000);
            assertThat(wrong).as("command lines read without -S in %d reads: %s", reads.get(), wrong.stream().limit(5).toList()).isEmpty();
            assertThat(new HaproxyProcess(pid).masterPid()).isEqualTo(master);
        } finally {
            new HaproxyProcess(pid).stop();
            TestDirs.deleteQuietly(dir);
        }
    }
}
