package io.ep2camel;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JVM's own diagnostic commands (what {@code jcmd <pid> <command>} runs), called in-process
 * through their MBean: how the controller tunes its idle JVM ({@link IdleHeap}, {@link IdleJit}).
 */
final class DiagnosticCommand {
    private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";

    private DiagnosticCommand() {
    }

    /**
     * Runs {@code operation} (the command's MBean name, e.g. {@code systemTrimNativeHeap} for
     * System.trim_native_heap) with {@code args}; its text answer.
     *
     * @throws JMException where this JVM has no such command
     */
    static String run(String operation, String... args) throws JMException {
        // every command takes its arguments as one String[], an empty one for none
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(MBEAN), operation,
                new Object[] {args}, new String[] {String[].class.getName()}));
    }
}
