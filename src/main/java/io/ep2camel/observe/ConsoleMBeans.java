package io.ep2camel.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.ManagementMBeansLevel;
import org.apache.camel.Producer;
import org.apache.camel.Service;
import org.apache.camel.management.DefaultManagementObjectStrategy;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.ManagementStrategy;

import java.util.concurrent.ThreadPoolExecutor;

/**
 * The Camel MBeans an operator's console reads: the context, routes, endpoints (the
 * {@code haproxy-socket} endpoint among them), components, consumers, health and the context's own
 * services, not one for each producer, route service, thread pool and event notifier besides.
 * Those were 49 of Camel's 127 MBeans with the demo config (32 producers alone), each a copy of its
 * class's JMX model, and Hawtio's Camel view shows none of them: together about 0.8 MB of an idle
 * controller's RSS (the unit's flags).
 * <p>
 * Applied with Camel's default {@code RoutesOnly} level only: an operator who sets
 * {@code camel.main.jmxManagementMBeansLevel = Default} (per-step MBeans) gets every MBean back.
 */
public final class ConsoleMBeans extends DefaultManagementObjectStrategy {

    /** Installs this strategy when JMX is on at the {@code RoutesOnly} level; call before the routes start. */
    public static void installIn(CamelContext context) {
        ManagementStrategy management = context.getManagementStrategy();
        if (management != null && management.getManagementAgent() != null
                && management.getManagementAgent().getMBeansLevel() == ManagementMBeansLevel.RoutesOnly) {
            management.setManagementObjectStrategy(new ConsoleMBeans());
        }
    }

    @Override
    public Object getManagedObjectForProducer(CamelContext context, Producer producer) {
        return null;
    }

    @Override
    public Object getManagedObjectForService(CamelContext context, Service service) {
        return null;
    }

    @Override
    public Object getManagedObjectForThreadPool(CamelContext context, ThreadPoolExecutor threadPool, String id,
                                                String sourceId, String routeId, String threadPoolProfileId) {
        return null;
    }

    @Override
    public Object getManagedObjectForEventNotifier(CamelContext context, EventNotifier eventNotifier) {
        return null;
    }
}
