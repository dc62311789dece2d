package io.ep2camel.fetch;

import io.ep2camel.model.Backend;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendLinesTest {
    private final BackendLines lines = new BackendLines();
    private final Path dir = TestDirs.shortTemp();

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    private List<Backend> parse(int defaultPort, String... text) {
        return lines.parse("backends.txt", List.of(text), defaultPort);
    }

    @Test
    void one_backend_per_line() {
        assertThat(parse(0, "10.0.0.1:80", "10.0.0.2:81", "web.example.com:8080", "[::1]:9000"))
                .containsExactly(new Backend("10.0.0.1", 80), new Backend("10.0.0.2", 81),
                        new Backend("web.example.com", 8080), new Backend("::1", 9000));
    }

    @Test
    void comments_and_blank_lines_are_ignored() {
        assertThat(parse(0, "# the pool", "", "   ", "10.0.0.1:80  # primary", "\t# indented comment",
                "#10.0.0.9:80", "  10.0.0.2:80  "))
                .containsExactly(new Backend("10.0.0.1", 80), new Backend("10.0.0.2", 80));
    }

    @Test
    void host_without_port_takes_the_default_port() {
        assertThat(parse(8080, "10.0.0.1", "10.0.0.2:9000", "::1"))
                .containsExactly(new Backend("10.0.0.1", 8080), new Backend("10.0.0.2", 9000), new Backend("::1", 8080));
    }

    @Test
    void bad_lines_are_skipped_and_good_ones_kept() {
        assertThat(parse(0, "10.0.0.1:80", "a b:80", "10.0.0.2", "10.0.0.3:http", "999.1.1.1:80", "x;rm -rf /:80",
                "10.0.0.4:70000", "[::1:80", "10.0.0.5:81"))
                .containsExactly(new Backend("10.0.0.1", 80), new Backend("10.0.0.5", 81));
    }

    @Test
    void only_bad_or_empty_lines_give_an_empty_list() {
        assertThat(parse(80, "# nothing", "")).isEmpty();
        assertThat(parse(80, "bad host")).isEmpty();
        assertThat(parse(80)).isEmpty();
    }

    @Test
    void keeps_duplicates_for_the_set_to_fold() {
        assertThat(parse(0, "10.0.0.1:80", "10.0.0.1:80")).hasSize(2);
    }

    @Test
    void reads_the_file_on_disk() throws IOException {
        Path file = dir.resolve("backends.txt");
        Files.writeString(file, "# pool\n10.0.0.1:80\r\nbad host\n10.0.0.2\n");
        assertThat(lines.read(file.toString(), 8080))
                .containsExactly(new Backend("10.0.0.1", 80), new Backend("10.0.0.2", 8080));
    }

    @Test
    void rereads_the_file_every_call() throws IOException {
        Path file = dir.resolve("backends.txt");
        Files.writeString(file, "10.0.0.1:80\n");
        assertThat(lines.read(file.toString(), 0)).containsExactly(new Backend("10.0.0.1", 80));
        Files.writeString(file, "10.0.0.2:80\n");
        assertThat(lines.read(file.toString(), 0)).containsExactly(new Backend("10.0.0.2", 80));
    }

    @Test
    void empty_file_is_an_empty_list() throws IOException {
        Path file = dir.resolve("empty.txt");
        Files.writeString(file, "");
        assertThat(lines.read(file.toString(), 80)).isEmpty();
    }

    @Test
    void missing_file_throws_instead_of_giving_an_empty_list() {
        Path missing = dir.resolve("nope.txt");
        assertThatThrownBy(() -> lines.read(missing.toString(), 80))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
    }
}
