package io.ep2camel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One controller per lock_dir: an OS file lock on {@code <lock_dir>/ep2.lock}, held for the
 * life of the process and released by the OS even on SIGKILL, so a stale file never blocks.
 * EP2 named a lock_dir and a sleep_before_next_lock_attempt but never took a lock; here a second
 * controller waits its turn for a bounded time, then gives up.
 */
public final class InstanceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock; while another controller holds it, tries again every {@code retry}
     * (sleep_before_next_lock_attempt) for up to {@code wait} (lock_wait_timeout), so a restart
     * that overlaps the old process's last seconds (systemd's restart, a deploy) waits for it
     * instead of failing. {@code waiting} hears once that it waits, and for whom.
     */
    public static InstanceLock acquire(Path lockDir, Duration retry, Duration wait, Consumer<String> waiting)
            throws LockedException, IOException, InterruptedException {
        Files.createDirectories(lockDir);
        Path file = lockDir.resolve("ep2.lock");
        // one channel for every try: closing a channel can drop this JVM's other locks on the file
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        try {
            FileLock l;
            while ((l = tryLock(ch)) == null) {
                String holder = readHolder(ch);
                String who = "another ep2-camel is running with lock " + file + (holder.isEmpty() ? "" : " (pid " + holder + ")");
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LockedException(who + (wait.isZero() ? "" : "; still held after " + seconds(wait)
                            + " s (lock_wait_timeout)") + "; stop it first or use another lock_dir");
                }
                if (!told) {
                    waiting.accept(who + "; trying again every " + seconds(retry) + " s (sleep_before_next_lock_attempt) for up to "
                            + seconds(wait) + " s (lock_wait_timeout)");
                    told = true;
                }
                Thread.sleep(Math.max(1, Math.min(retry.toMillis(), left / 1_000_000)));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new InstanceLock(ch, l);
        } catch (LockedException | IOException | InterruptedException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this same JVM
        }
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static String readHolder(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        ch.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
    }

    @Override
    public void close() throws IOException {
        if (lock.isValid()) {
            lock.release();
        }
        channel.close();
    }

    /** The lock is held by someone else. */
    public static final class LockedException extends Exception {
        public LockedException(String message) {
            super(message);
        }
    }
}
