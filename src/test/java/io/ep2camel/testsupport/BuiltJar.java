package io.ep2camel.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The built jar, run as an operator runs it: {@code java -jar ep2-camel.jar ARGS} from an
 * unrelated working directory, so routes must come from the jar and paths from ep2.conf.
 * Failsafe passes the jar's path in {@code ep2.jar}.
 */
public final class BuiltJar {
    public static final Path JAR = Path.of(System.getProperty("ep2.jar", "target/ep2-camel.jar")).toAbsolutePath();

    private BuiltJar() {
    }

    /** The command line, for callers that read the output themselves. */
    public static ProcessBuilder command(String... args) {
        return command(List.of(), args);
    }

    /** The command line with JVM options before {@code -jar}, as an operator's unit file puts them. */
    public static ProcessBuilder command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(new File("/")).redirectErrorStream(true);
    }

    /** Starts the jar with stdout and stderr going to {@code output}. */
    public static Process start(Path output, String... args) throws IOException {
        return command(args).redirectOutput(output.toFile()).start();
    }
}
