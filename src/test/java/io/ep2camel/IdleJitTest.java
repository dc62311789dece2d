package io.ep2camel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IdleJit in JVMs of its own (the directive would otherwise change how this test JVM compiles):
 * a plain JVM gets C2 excluded, one whose command line chose the JIT is left as it is.
 */
class IdleJitTest {
    @Test
    void aJvmWithoutJitFlagsGetsC2Excluded() throws Exception {
        String out = child(List.of());
        assertThat(out).contains("added=true");
        // the directive on top of the stack, as the JVM prints it: C2 excluded for every method
        assertThat(out).containsPattern("(?s)Directive:\\s+matching: \\*\\.\\*.*c2 directives:.*Exclude:true.*Directive: \\(default\\)");
    }

    @Test
    void aJvmWhoseCommandLineChoseTheJitIsLeftAlone() throws Exception {
        for (String flag : List.of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4", "-XX:-TieredCompilation",
                "-XX:CompileThresholdScaling=0.5", "-XX:CompileCommand=quiet")) {
            String out = child(List.of(flag));
            assertThat(out).as(flag).contains("added=false");
            assertThat(out).as(flag).doesNotContain("Exclude:true");
        }
    }

    /** Runs {@link Child} in a new JVM with {@code flags}; its output. */
    private static String child(List<String> flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Path out = Files.createTempFile("idle-jit-", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
            String text = Files.readString(out);
            assertThat(p.exitValue()).as(text).isZero();
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The child: adds the directive if it may, prints the outcome and the JVM's directive stack. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("added=" + IdleJit.c1OnlyUnlessChosen());
            System.out.println(DiagnosticCommand.run("compilerDirectivesPrint"));
        }
    }
}
