package io.ep2camel;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the orchestrator routes: {@code routes/<orchestrator>.camel.yaml} in a routes directory
 * (--routes, or beside the installed jar: {@code <jar dir>/routes} or {@code <jar dir>/../routes}),
 * else the copies shipped inside the jar. A routes directory wins, so an operator can change or
 * add an orchestrator without rebuilding.
 */
public final class RouteLocator {
    static final String SUFFIX = ".camel.yaml";
    private static final List<String> SHIPPED = List.of("file", "consul", "aws", "http-json");

    private final Optional<Path> dir;

    RouteLocator(Optional<Path> dir) {
        this.dir = dir;
    }

    public static RouteLocator detect(Optional<Path> override) {
        if (override.isPresent()) {
            return new RouteLocator(override.map(Path::toAbsolutePath));
        }
        return new RouteLocator(installDir().flatMap(base -> Stream.of(base.resolve("routes"), base.resolve("../routes"))
                .filter(RouteLocator::hasRoutes).map(Path::normalize).findFirst()));
    }

    public Set<String> orchestrators() {
        Set<String> names = new TreeSet<>();
        SHIPPED.stream().filter(n -> RouteLocator.class.getResource("/routes/" + n + SUFFIX) != null).forEach(names::add);
        dir.ifPresent(d -> {
            try (Stream<Path> files = Files.list(d)) {
                files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(SUFFIX))
                        .forEach(f -> names.add(f.substring(0, f.length() - SUFFIX.length())));
            } catch (IOException ignored) {
                // an unreadable directory offers no routes; the shipped ones remain
            }
        });
        return names;
    }

    /** The Camel resource location of one orchestrator's route. */
    public String location(String orchestrator) {
        return dir.map(d -> d.resolve(orchestrator + SUFFIX)).filter(Files::isRegularFile)
                .map(p -> "file:" + p)
                .orElse("classpath:routes/" + orchestrator + SUFFIX);
    }

    private static boolean hasRoutes(Path d) {
        try (Stream<Path> files = Files.list(d)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(SUFFIX));
        } catch (IOException e) {
            return false;
        }
    }

    /** The directory of the running jar (or of target/classes when run from the build). */
    private static Optional<Path> installDir() {
        try {
            Path code = Path.of(RouteLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.ofNullable(code.getParent());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
