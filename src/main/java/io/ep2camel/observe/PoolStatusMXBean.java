package io.ep2camel.observe;

import java.util.List;

/** One pool as operators see it over JMX / Jolokia: {@code io.ep2camel:type=Pool,name=<backend>}. */
public interface PoolStatusMXBean {
    String getBackendName();

    String getUpdateType();

    String getOrchestrator();

    /** host:port[ weight w] of every backend HAProxy was last brought to. */
    List<String> getBackends();

    /** update_by_runtime: {@code slotN=host:port}, {@code slotN=(free)}, {@code slotN=host:port (draining)}. */
    List<String> getSlots();

    int getFreeSlots();

    String getLastAppliedAt();

    boolean isOrchestratorReachable();

    int getConsecutiveFetchFailures();

    String getLastFetchError();
}
