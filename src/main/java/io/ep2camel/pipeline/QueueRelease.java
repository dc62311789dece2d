package io.ep2camel.pipeline;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.util.Map;

/**
 * Releases each {@link IdleWaitQueue} when Camel or its route stops (so the graceful stop of the
 * seda consumer does not wait out a long idle poll), and holds it again when the route starts.
 */
final class QueueRelease extends EventNotifierSupport {
    private final Map<String, IdleWaitQueue<?>> byRoute;

    QueueRelease(Map<String, IdleWaitQueue<?>> byRoute) {
        this.byRoute = byRoute;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            byRoute.values().forEach(IdleWaitQueue::release);
        } else if (event instanceof CamelEvent.RouteStoppingEvent e && byRoute.containsKey(e.getRoute().getRouteId())) {
            byRoute.get(e.getRoute().getRouteId()).release();
        } else if (event instanceof CamelEvent.RouteStartedEvent e && byRoute.containsKey(e.getRoute().getRouteId())) {
            byRoute.get(e.getRoute().getRouteId()).hold();
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent || event instanceof CamelEvent.RouteStoppingEvent
                || event instanceof CamelEvent.RouteStartedEvent;
    }
}
