package io.ep2camel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packages import one way: model (and config, which reads ep2.conf into model types) ← pool
 * state ← stages ← pipeline ← application. Read from the sources, so a class referred to by
 * its full name counts as much as an import.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/ep2camel");
    private static final Set<String> STAGES = Set.of("fetch", "render", "reload", "runtime", "socket", "observe", "lifecycle");
    /** What each layer may use besides itself; stages may use one another. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "model", Set.of(),
            "config", Set.of("model"),
            "pool", Set.of("model"),
            "stage", union(Set.of("model", "config", "pool"), STAGES),
            "pipeline", union(Set.of("model", "config", "pool"), STAGES));
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.ep2camel\\.([a-z]+)\\.[A-Z]");

    @Test
    void noPackageUsesOneAboveIt() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThan(50);
        for (Path file : files) {
            Path relative = SOURCES.relativize(file);
            if (relative.getNameCount() == 1) {
                continue;   // the application package: on top, it may use everything
            }
            String pkg = relative.getName(0).toString();
            Set<String> allowed = ALLOWED.get(STAGES.contains(pkg) ? "stage" : pkg);
            assertThat(allowed).as("layer of package %s", pkg).isNotNull();
            Matcher m = REFERENCE.matcher(Files.readString(file));
            while (m.find()) {
                String used = m.group(1);
                if (!used.equals(pkg) && !allowed.contains(used)) {
                    violations.add(relative + " uses io.ep2camel." + used);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theApplicationPackageIsUsedByNoOtherPackage() throws IOException {
        Pattern root = Pattern.compile("\\bio\\.ep2camel\\.[A-Z]");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (SOURCES.relativize(file).getNameCount() > 1 && root.matcher(Files.readString(file)).find()) {
                    violations.add(SOURCES.relativize(file).toString());
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
