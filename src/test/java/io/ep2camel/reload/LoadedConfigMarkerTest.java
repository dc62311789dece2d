package io.ep2camel.reload;

import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LoadedConfigMarkerTest {
    private final Path dir = TestDirs.shortTemp();
    private final LoadedConfigMarker marker = new LoadedConfigMarker(dir.resolve("haproxy.cfg"));

    @AfterEach
    void tearDown() {
        TestDirs.deleteQuietly(dir);
    }

    @Test
    void matchesOnlyTheSameMasterWithTheSameContent() throws Exception {
        assertThat(marker.matches(100, "cfg")).as("no marker yet").isFalse();
        marker.record(100, "cfg");
        assertThat(marker.file()).isEqualTo(dir.resolve("haproxy.cfg.ep2-loaded"));
        assertThat(marker.matches(100, "cfg")).isTrue();
        assertThat(marker.matches(101, "cfg")).as("another master").isFalse();
        assertThat(marker.matches(100, "cfg\n")).as("other content").isFalse();
    }

    @Test
    void aTornMarkerMeansReload() throws Exception {
        marker.record(100, "cfg");
        Files.writeString(marker.file(), Files.readString(marker.file()).substring(0, 10));
        assertThat(marker.matches(100, "cfg")).isFalse();
    }
}
