package io.ep2camel;

import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * sleep_before_next_lock_attempt and lock_wait_timeout: a second controller waits for the first
 * to let go of ep2.lock, for a bounded time. The first holder is another process (python3's
 * fcntl.lockf takes the same POSIX record lock as the JDK's FileChannel.tryLock), as it is
 * when systemd starts a new controller while the old one is still shutting down.
 */
class InstanceLockTest {
    private final Path dir = TestDirs.shortTemp();
    private Process holder;

    @AfterEach
    void tearDown() {
        if (holder != null) {
            holder.destroyForcibly();
        }
        TestDirs.deleteQuietly(dir);
    }

    /** Another process takes the lock, writes its pid into the file, and keeps it for {@code seconds}. */
    private long holdInAnotherProcess(double seconds) throws Exception {
        holder = new ProcessBuilder("python3", "-c", """
                import fcntl, os, sys, time
                f = open(sys.argv[1], 'a+')
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                f.truncate(0); f.write(str(os.getpid())); f.flush()
                print('locked', flush=True)
                time.sleep(float(sys.argv[2]))
                """, dir.resolve("ep2.lock").toString(), Double.toString(seconds)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return holder.pid();
    }

    @Test
    void aSecondControllerWaitsForTheFirstToLetGo() throws Exception {
        long pid = holdInAnotherProcess(1.5);
        List<String> told = new CopyOnWriteArrayList<>();

        try (InstanceLock lock = InstanceLock.acquire(dir, Duration.ofMillis(200), Duration.ofSeconds(30), told::add)) {
            assertThat(holder.waitFor(0, TimeUnit.SECONDS)).as("taken only once the holder is gone").isTrue();
        }
        assertThat(told).singleElement().asString()
                .contains(dir.resolve("ep2.lock").toString())
                .contains("pid " + pid)
                .contains("every 0.2 s (sleep_before_next_lock_attempt)")
                .contains("up to 30 s (lock_wait_timeout)");
    }

    @Test
    void theWaitIsBoundedByLockWaitTimeout() throws Exception {
        long pid = holdInAnotherProcess(60);
        long started = System.nanoTime();

        assertThatThrownBy(() -> InstanceLock.acquire(dir, Duration.ofMillis(100), Duration.ofMillis(700), m -> { }))
                .isInstanceOf(InstanceLock.LockedException.class)
                .hasMessageContaining("pid " + pid)
                .hasMessageContaining("still held after 0.7 s (lock_wait_timeout)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(holder.isAlive()).isTrue();
    }

    @Test
    void noWaitMeansTheSecondControllerGivesUpAtOnce() throws Exception {
        holdInAnotherProcess(60);
        List<String> told = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> InstanceLock.acquire(dir, Duration.ofSeconds(5), Duration.ZERO, told::add))
                .isInstanceOf(InstanceLock.LockedException.class)
                .hasMessageNotContaining("lock_wait_timeout");
        assertThat(told).isEmpty();
    }

    @Test
    void aFreeLockIsTakenAtOnceAndNamesItsHolder() throws Exception {
        List<String> told = new CopyOnWriteArrayList<>();
        try (InstanceLock lock = InstanceLock.acquire(dir, Duration.ofSeconds(5), Duration.ofSeconds(5), told::add)) {
            assertThat(java.nio.file.Files.readString(dir.resolve("ep2.lock")))
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
        assertThat(told).isEmpty();
    }
}
