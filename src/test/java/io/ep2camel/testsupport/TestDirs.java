package io.ep2camel.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Short temp dirs: HAProxy's UNIX socket paths must stay under ~107 bytes. */
public final class TestDirs {
    private TestDirs() {
    }

    public static Path shortTemp() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "ep2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temp dir must not fail a test
        }
    }
}
