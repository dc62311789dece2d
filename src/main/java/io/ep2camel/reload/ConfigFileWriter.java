package io.ep2camel.reload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Writes HAProxy's config so that a reader (HAProxy, an operator, a crash) only ever sees the
 * old file or the new one: the candidate is written and fsynced beside the target, validated
 * by the caller, then renamed over it. The previous config is kept as {@code <file>.bak} and
 * can be put back.
 */
public final class ConfigFileWriter {
    private final Path target;

    public ConfigFileWriter(Path target) {
        this.target = target.toAbsolutePath();
    }

    public Path target() {
        return target;
    }

    public Path backup() {
        return target.resolveSibling(target.getFileName() + ".bak");
    }

    /** True when the file on disk already holds exactly {@code content}. */
    public boolean holds(String content) {
        try {
            return Files.isRegularFile(target) && Files.readString(target).equals(content);
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code content} to a candidate file beside the target and returns its path. */
    public Path writeCandidate(String content) throws IOException {
        Path candidate = target.resolveSibling(target.getFileName() + ".ep2-new");
        try {
            writeSynced(candidate, content.getBytes(StandardCharsets.UTF_8));
            keepPermissions(candidate);
        } catch (IOException e) {
            IOException failure = new IOException("cannot write " + candidate + " (" + describe(e) + ")", e);
            deleteQuietly(candidate, failure);
            throw failure;
        }
        return candidate;
    }

    /** Keeps the current file as .bak, then renames the candidate over the target. */
    public void install(Path candidate) throws IOException {
        try {
            if (Files.isRegularFile(target)) {
                Path bakTmp = target.resolveSibling(target.getFileName() + ".bak.ep2-new");
                writeSynced(bakTmp, Files.readAllBytes(target));
                move(bakTmp, backup());
            }
            move(candidate, target);
        } catch (IOException e) {
            IOException failure = new IOException("cannot replace " + target + " (" + describe(e) + ")", e);
            deleteQuietly(candidate, failure);
            throw failure;
        }
    }

    /** Puts the .bak back; false when there is none. */
    public boolean restoreBackup() throws IOException {
        if (!Files.isRegularFile(backup())) {
            return false;
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".restore.ep2-new");
        writeSynced(tmp, Files.readAllBytes(backup()));
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(backup()));
        move(tmp, target);
        return true;
    }

    public void discard(Path candidate) {
        try {
            Files.deleteIfExists(candidate);
        } catch (IOException ignored) {
            // a stale candidate is overwritten on the next round
        }
    }

    /** Cleanup after a failure must not hide the failure itself. */
    private static void deleteQuietly(Path file, IOException failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** The new file gets the old one's mode and owner: an operator's 0640 haproxy.cfg stays 0640. */
    private void keepPermissions(Path candidate) throws IOException {
        if (!Files.isRegularFile(target)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(candidate, Files.getPosixFilePermissions(target));
            Files.setOwner(candidate, Files.getOwner(target));
            Files.setAttribute(candidate, "posix:group", Files.readAttributes(target, PosixFileAttributes.class).group());
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to keep
        }
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        // make the rename itself durable
        try (FileChannel dir = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
