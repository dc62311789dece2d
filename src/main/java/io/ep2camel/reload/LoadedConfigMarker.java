package io.ep2camel.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Remembers, beside the config, which content the running HAProxy master loaded: {@code <master
 * pid> <sha-256>}, written after each successful start or reload. A restarted controller that
 * finds the same master running the same content knows no reload is needed; anything else
 * (no marker, another master, other content, a marker torn by a crash) means reload — the safe side.
 */
public final class LoadedConfigMarker {
    private final Path file;

    public LoadedConfigMarker(Path config) {
        this.file = config.toAbsolutePath().resolveSibling(config.getFileName() + ".ep2-loaded");
    }

    public Path file() {
        return file;
    }

    public void record(long masterPid, String content) throws IOException {
        Files.writeString(file, masterPid + " " + sha256(content) + "\n");
    }

    public boolean matches(long masterPid, String content) {
        try {
            return Files.isRegularFile(file)
                    && Files.readString(file).strip().equals(masterPid + " " + sha256(content));
        } catch (IOException e) {
            return false;
        }
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
