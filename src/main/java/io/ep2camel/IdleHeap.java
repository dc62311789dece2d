package io.ep2camel;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * A controller is idle almost all the time, yet a plain {@code java -jar} keeps the heap its
 * start-up grew (about 120 MB on a 24 GB host with G1's defaults, most of it garbage) and G1's
 * structures sized for it. Once the first round is applied, the heap goes back to the OS: free
 * ratios lowered, one full collection, and (G1) a periodic collection when idle, so what later
 * rounds allocate is returned too. Only flags the operator left at their defaults are changed
 * (they are "manageable": settable while the JVM runs); the price is one full collection after
 * start-up (tens of milliseconds) and, under G1, one concurrent cycle per idle minute.
 */
final class IdleHeap {
    private static final Logger LOG = LoggerFactory.getLogger(IdleHeap.class);
    static final String MIN_FREE = "10";
    static final String MAX_FREE = "30";
    static final String G1_IDLE_COLLECTION_MS = "60000";

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
