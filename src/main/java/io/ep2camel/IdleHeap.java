package io.ep2camel;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.JMException;

/**
 * A controller is idle almost all the time, yet a plain {@code java -jar} keeps the heap its
 * start-up grew (about 120 MB on a 24 GB host with G1's defaults, most of it garbage) and G1's
 * structures sized for it. Once the first round is applied, the heap goes back to the OS: free
 * ratios lowered, one full collection, and (G1) a periodic collection when idle, so what later
 * rounds allocate is returned too. Only flags the operator left at their defaults are changed
 * (they are "manageable": settable while the JVM runs); the price is one full collection after
 * start-up (tens of milliseconds) and, under G1, one concurrent cycle per 5 idle minutes: a cycle
 * took about 90 ms of CPU (its threads' {@code cpu=} by jcmd Thread.print), so once a minute it
 * was about 0.15 % of a core, a quarter of a plain JVM's idle CPU watching Consul (0.55 %), for
 * memory that an idle minute hardly grows.
 * <p>
 * The C heap too: what the start-up's class loading, JIT and I/O freed stays in glibc's malloc
 * arenas (about 20 MB here) until trimmed. {@link #trimNativeHeap()}, called after the release, asks the JVM's own diagnostic
 * command (System.trim_native_heap, malloc_trim) to give it back, after the bootstrap, more often while
 * the start-up settles, then every {@link #TRIM_INTERVAL} (what JDK 21's TrimNativeHeapInterval does;
 * this JDK 17 has only the command).
 */
final class IdleHeap {
    private static final Logger LOG = LoggerFactory.getLogger(IdleHeap.class);
    static final String MIN_FREE = "5";
    static final String MAX_FREE = "15";
    static final String G1_IDLE_COLLECTION_MS = "300000";
    /**
     * Native heap trims: the first right after the release, then after 15 s, 30 s, 1, 2, 4 minutes
     * (start-up's JIT and class loading go on for a while and leave freed arenas behind), then every
     * 5 minutes.
     */
    static final Duration FIRST_TRIM_PAUSE = Duration.ofSeconds(15);
    static final Duration TRIM_INTERVAL = Duration.ofMinutes(5);

    private IdleHeap() {
    }

    static void release() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            // Min first: the JVM refuses a MaxHeapFreeRatio below the current MinHeapFreeRatio
            setIfDefault(vm, "MinHeapFreeRatio", MIN_FREE);
            setIfDefault(vm, "MaxHeapFreeRatio", MAX_FREE);
            if (usesG1()) {
                setIfDefault(vm, "G1PeriodicGCInterval", G1_IDLE_COLLECTION_MS);
            }
        } catch (RuntimeException e) {
            LOG.debug("heap free ratios left as they are: {}", e.getMessage());
        }
        System.gc();
    }

    /** The pause before the next trim: doubling from {@link #FIRST_TRIM_PAUSE}, at most {@link #TRIM_INTERVAL}. */
    static Duration nextTrimPause(Duration previous) {
        if (previous == null) {
            return FIRST_TRIM_PAUSE;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(TRIM_INTERVAL) > 0 ? TRIM_INTERVAL : doubled;
    }

    /** Gives malloc's free memory back to the OS; false where the JVM has no such command (not glibc, older JDK). */
    static boolean trimNativeHeap() {
        try {
            LOG.debug("native heap trimmed: {}", DiagnosticCommand.run("systemTrimNativeHeap").strip());
            return true;
        } catch (JMException | RuntimeException e) {
            LOG.debug("native heap not trimmed: {}", e.getMessage());
            return false;
        }
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean vm, String flag, String value) {
        VMOption option = vm.getVMOption(flag);
        if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
            vm.setVMOption(flag, value);
        }
    }

    private static boolean usesG1() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .anyMatch(n -> n.startsWith("G1"));
    }
}
