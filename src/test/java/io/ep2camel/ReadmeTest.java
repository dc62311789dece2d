package io.ep2camel;

import io.ep2camel.config.ConfigKey;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's config reference is the operator's manual: every key, with its real default, in its section. */
class ReadmeTest {
    @Test
    void everyConfigKeyIsDocumentedWithItsDefaultInItsSection() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (ConfigKey k : ConfigKey.values()) {
            int section = readme.indexOf("**[" + k.section() + "]**");
            assertThat(section).as("README has a table for [%s]", k.section()).isNotNegative();
            int next = readme.indexOf("**[", section + 3);
            String table = readme.substring(section, next < 0 ? readme.length() : next);
            String row = "| `" + k.key() + "` | " + k.defaultValue().map(d -> "`" + d + "`").orElse("—") + " |";
            assertThat(table).as("README row for [%s] %s", k.section(), k.key()).contains(row);
        }
    }
}
