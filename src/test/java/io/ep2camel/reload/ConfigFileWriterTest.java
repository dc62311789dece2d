package io.ep2camel.reload;

import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileWriterTest {
    private final Path dir = TestDirs.shortTemp();
    private final Path target = dir.resolve("haproxy.cfg");
    private final ConfigFileWriter writer = new ConfigFileWriter(target);

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    /** Temporary files (*.ep2-new) left in {@code d}. */
    private static List<String> leftovers(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".ep2-new")).toList();
        }
    }

    @Test
    void target_and_backup_paths() {
        assertThat(writer.target()).isEqualTo(target);
        assertThat(writer.backup()).isEqualTo(dir.resolve("haproxy.cfg.bak"));
        assertThat(new ConfigFileWriter(Path.of("rel.cfg")).target()).isAbsolute();
    }

    @Test
    void candidate_is_written_beside_the_target_without_touching_it() throws IOException {
        Files.writeString(target, "old");
        Path candidate = writer.writeCandidate("new content\n");
        assertThat(candidate.getParent()).isEqualTo(target.getParent());
        assertThat(candidate).isNotEqualTo(target);
        assertThat(candidate.getFileName().toString()).startsWith("haproxy.cfg");
        assertThat(candidate).hasContent("new content");
        assertThat(target).hasContent("old");
    }

    @Test
    void candidate_overwrites_a_stale_candidate() throws IOException {
        writer.writeCandidate("a much longer first candidate");
        Path candidate = writer.writeCandidate("short");
        assertThat(Files.readString(candidate)).isEqualTo("short");
    }

    @Test
    void install_keeps_the_previous_content_as_bak() throws IOException {
        Files.writeString(target, "version 1");
        writer.install(writer.writeCandidate("version 2"));
        assertThat(Files.readString(target)).isEqualTo("version 2");
        assertThat(Files.readString(writer.backup())).isEqualTo("version 1");
        writer.install(writer.writeCandidate("version 3"));
        assertThat(Files.readString(target)).isEqualTo("version 3");
        assertThat(Files.readString(writer.backup())).isEqualTo("version 2");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void first_install_creates_the_target_and_no_bak() throws IOException {
        Path candidate = writer.writeCandidate("first");
        writer.install(candidate);
        assertThat(Files.readString(target)).isEqualTo("first");
        assertThat(candidate).doesNotExist();
        assertThat(writer.backup()).doesNotExist();
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void restoreBackup_puts_the_previous_config_back() throws IOException {
        Files.writeString(target, "good");
        writer.install(writer.writeCandidate("bad"));
        assertThat(writer.restoreBackup()).isTrue();
        assertThat(Files.readString(target)).isEqualTo("good");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void restoreBackup_without_a_backup_is_false_and_changes_nothing() throws IOException {
        Files.writeString(target, "only");
        assertThat(writer.restoreBackup()).isFalse();
        assertThat(Files.readString(target)).isEqualTo("only");
    }

    @Test
    void holds_compares_the_file_on_disk() throws IOException {
        assertThat(writer.holds("x")).isFalse();
        Files.writeString(target, "x\n");
        assertThat(writer.holds("x\n")).isTrue();
        assertThat(writer.holds("x")).isFalse();
        assertThat(writer.holds("")).isFalse();
    }

    @Test
    void holds_is_false_for_a_directory() throws IOException {
        Files.createDirectories(target);
        assertThat(writer.holds("")).isFalse();
    }

    @Test
    void discard_removes_the_candidate_and_ignores_a_missing_one() throws IOException {
        Path candidate = writer.writeCandidate("c");
        writer.discard(candidate);
        assertThat(candidate).doesNotExist();
        writer.discard(candidate);
        writer.discard(dir.resolve("never/existed"));
    }

    @Test
    void install_of_a_missing_candidate_fails_and_keeps_the_target() throws IOException {
        Files.writeString(target, "current");
        assertThatThrownBy(() -> writer.install(dir.resolve("missing.ep2-new")))
                .isInstanceOf(IOException.class).hasMessageContaining(target.toString());
        assertThat(Files.readString(target)).isEqualTo("current");
    }

    @Test
    void utf8_content_round_trips() throws IOException {
        writer.install(writer.writeCandidate("# café ✓\n"));
        assertThat(writer.holds("# café ✓\n")).isTrue();
    }

    @Test
    void unwritable_location_is_an_io_exception_naming_the_path_and_leaves_no_candidate() throws IOException {
        // tests run as root, where chmod 555 does not stop writes: a regular FILE as parent directory does
        Path notADir = dir.resolve("file.txt");
        Files.writeString(notADir, "i am a file");
        Path badTarget = notADir.resolve("haproxy.cfg");
        ConfigFileWriter bad = new ConfigFileWriter(badTarget);
        assertThatThrownBy(() -> bad.writeCandidate("content"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(badTarget.toString());
        assertThat(leftovers(dir)).isEmpty();
        assertThat(Files.readString(notADir)).isEqualTo("i am a file");
    }

    @Test
    void read_only_directory_is_an_io_exception_naming_the_path_and_leaves_no_candidate() throws IOException {
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            ConfigFileWriter w = new ConfigFileWriter(ro.resolve("haproxy.cfg"));
            if (Files.isWritable(ro)) {
                // running as root: permissions do not stop the write, the candidate is written and can be discarded
                Path c = w.writeCandidate("x");
                w.discard(c);
            } else {
                assertThatThrownBy(() -> w.writeCandidate("x"))
                        .isInstanceOf(IOException.class).hasMessageContaining(ro.resolve("haproxy.cfg").toString());
            }
            assertThat(leftovers(ro)).isEmpty();
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
    @Test
    void unwritable_location_reports_the_original_write_failure() throws IOException {
        Path notADir = dir.resolve("file.txt");
        Files.writeString(notADir, "i am a file");
        ConfigFileWriter bad = new ConfigFileWriter(notADir.resolve("haproxy.cfg"));
        assertThatThrownBy(() -> bad.writeCandidate("content"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write ")
                .hasCauseInstanceOf(IOException.class);
    }
    @Test
    void install_keeps_the_permissions_of_the_existing_config() throws IOException {
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        writer.install(writer.writeCandidate("new"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }
}
