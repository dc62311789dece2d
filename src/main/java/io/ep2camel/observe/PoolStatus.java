package io.ep2camel.observe;

import io.ep2camel.model.Backend;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.pool.Slot;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;

/** The live state of one pool, registered in the platform MBeanServer (so Jolokia and Hawtio see it). */
public class PoolStatus implements PoolStatusMXBean {
    private final String backendName;
    private final String updateType;
    private final String orchestrator;
    private final AppliedBackends applied;
    private final FetchHealth fetch;
    private final Supplier<List<Slot>> slots;
    private ObjectName name;

    public PoolStatus(String backendName, String updateType, String orchestrator, AppliedBackends applied,
                      FetchHealth fetch, Supplier<List<Slot>> slots) {
        this.backendName = backendName;
        this.updateType = updateType;
        this.orchestrator = orchestrator;
        this.applied = applied;
        this.fetch = fetch;
        this.slots = slots;
    }

    public static ObjectName objectName(String backendName) throws JMException {
        return new ObjectName("io.ep2camel:type=Pool,name=" + ObjectName.quote(backendName));
    }

    public void register() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        name = objectName(backendName);
        try {
            server.registerMBean(this, name);
        } catch (InstanceAlreadyExistsException e) {
            // a previous controller in this JVM (tests) left it: the newest one wins
            server.unregisterMBean(name);
            server.registerMBean(this, name);
        }
    }

    public void unregister() {
        try {
            if (name != null && ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            }
        } catch (JMException ignored) {
            // shutting down
        }
    }

    @Override
    public String getBackendName() {
        return backendName;
    }

    @Override
    public String getUpdateType() {
        return updateType;
    }

    @Override
    public String getOrchestrator() {
        return orchestrator;
    }

    @Override
    public List<String> getBackends() {
        return applied.current().map(s -> s.backends().stream().map(Backend::toString).toList()).orElse(List.of());
    }

    @Override
    public List<String> getSlots() {
        return slots.get().stream().map(s -> s.name() + "=" + (s.isFree() ? "(free)"
                : s.backend().address() + (s.draining() ? " (draining)" : ""))).toList();
    }

    @Override
    public int getFreeSlots() {
        return (int) slots.get().stream().filter(Slot::isFree).count();
    }

    @Override
    public String getLastAppliedAt() {
        return applied.appliedAt().map(Object::toString).orElse("");
    }

    @Override
    public boolean isOrchestratorReachable() {
        return fetch.reachable();
    }

    @Override
    public int getConsecutiveFetchFailures() {
        return fetch.consecutiveFailures();
    }

    @Override
    public String getLastFetchError() {
        return fetch.lastError().orElse("");
    }
}
