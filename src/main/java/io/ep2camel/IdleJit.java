package io.ep2camel;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.management.JMException;

/**
 * A controller is idle almost all the time, and its work (one poll round a second, a reload now
 * and then) is never hot enough for C2's peak code to pay back what C2 costs: a plain
 * {@code java -jar} spent a sixth to a half of its idle CPU (42–198 ms of 240–391 ms over 20 s, two
 * runs) compiling, in C2, the paths a 1 s poll heats slowly, and C2's arenas held a few MB. etc/ep2.service says {@code -XX:TieredStopAtLevel=1}
 * (C1 only); without any flag, the controller gets nearly the same by a compiler directive (JEP 165)
 * added when it starts: C2 excluded for every method, so they are compiled by C1 alone — at C1's
 * profiling tier (3), where the flag's tier 1 leaves the profile out (a directive cannot choose the
 * tier; -XX:+PrintCompilation shows it).
 * <p>
 * Only when the operator chose nothing about the JIT: any of {@link #OPERATOR_CHOICES} set on the
 * command line (or tiered compilation turned off, where C2 is the only compiler) leaves it alone.
 * The directive goes through the JVM's own diagnostic command (Compiler.directives_add), which
 * reads it from a file: a private temporary one, deleted at once.
 */
final class IdleJit {
    private static final Logger LOG = LoggerFactory.getLogger(IdleJit.class);
    static final String NO_C2 = "[{ match: \"*.*\", c2: { Exclude: true } }]";
    /** Flags by which an operator has chosen how this JVM compiles. */
    static final List<String> OPERATOR_CHOICES = List.of("TieredStopAtLevel", "TieredCompilation",
            "CompilerDirectivesFile", "CompileCommandFile", "CompileCommand", "CompileThresholdScaling");

    private IdleJit() {
    }

    /** Adds the C1-only directive unless the operator chose; true when it was added. */
    static boolean c1OnlyUnlessChosen() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        for (String flag : OPERATOR_CHOICES) {
            if (chosen(vm, flag)) {
                LOG.debug("JIT left as the command line set it ({})", flag);
                return false;
            }
        }
        return addDirective(NO_C2);
    }

    private static boolean chosen(HotSpotDiagnosticMXBean vm, String flag) {
        try {
            VMOption option = vm.getVMOption(flag);
            return option.getOrigin() != VMOption.Origin.DEFAULT
                    || flag.equals("TieredCompilation") && !Boolean.parseBoolean(option.getValue());
        } catch (IllegalArgumentException e) {
            return false;                   // a JVM without that flag: nothing chosen through it
        }
    }

    /** Adds {@code json} on top of the JVM's directive stack; false where the JVM has no such command. */
    private static boolean addDirective(String json) {
        Path file = null;
        try {
            file = Files.createTempFile("ep2-jit-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, json);
            String answer = DiagnosticCommand.run("compilerDirectivesAdd", file.toString());
            boolean added = answer.contains("1 compiler directives added");
            if (added) {
                LOG.info("JIT: C1 only, C2 excluded by a compiler directive (an idle controller; any JIT flag on the"
                        + " command line keeps the JVM's own choice)");
            } else {
                LOG.debug("compiler directive not added: {}", answer.strip());
            }
            return added;
        } catch (IOException | JMException | RuntimeException e) {
            LOG.debug("compiler directive not added: {}", e.getMessage());
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("{} not deleted: {}", file, e.getMessage());
                }
            }
        }
    }
}
