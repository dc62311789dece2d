package io.ep2camel.fetch;

import org.kiwiproject.consul.model.health.Service;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consul's answer to {@code GET /v1/health/service/<name>} (camel-consul's SERVICE_INSTANCES: a
 * list of consul-client {@link ServiceHealth}) as the pipeline's body: maps {@code {host, port?, weight?}}.
 * <ul>
 *   <li>an instance must carry every tag of [CONSUL] tags (Consul's own {@code tag} filter is not
 *       reachable through camel-consul, and older agents honour only one);</li>
 *   <li>host = {@code Service.Address}, or {@code Node.Address} when the service registered none;</li>
 *   <li>port = {@code Service.Port} when above 0, else left out: the pipeline uses backend_port;</li>
 *   <li>weight = {@code Service.Weights.Passing}, kept within HAProxy's 1-256.</li>
 * </ul>
 * Anything but a list is an error, never "no backends": the pipeline keeps what it has.
 */
public final class ConsulInstances {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulInstances.class);
    static final int MAX_WEIGHT = 256;

    private final Set<String> requiredTags;
    private final Set<String> clampedLogged = ConcurrentHashMap.newKeySet();

    /** @param tags comma separated tags an instance must all carry; null or blank: none */
    public ConsulInstances(String tags) {
        this.requiredTags = tags == null ? Set.of() : Set.copyOf(Arrays.stream(tags.split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).toList());
    }

    public Set<String> requiredTags() {
        return requiredTags;
    }

    public List<Map<String, Object>> backends(Object body) {
        if (!(body instanceof List<?> answer)) {
            throw new IllegalStateException("Consul answered "
                    + (body == null ? "nothing" : "a " + body.getClass().getName())
                    + " instead of a list of service instances; keeping the backends as they are");
        }
        List<Map<String, Object>> out = new ArrayList<>(answer.size());
        for (Object entry : answer) {
            if (!(entry instanceof ServiceHealth instance)) {
                throw new IllegalStateException("Consul answered an entry of type "
                        + (entry == null ? "null" : entry.getClass().getName()) + " instead of a service instance");
            }
            Service service = instance.getService();
            if (!service.getTags().containsAll(requiredTags)) {
                continue;
            }
            Map<String, Object> backend = new LinkedHashMap<>();
            String address = service.getAddress();
            backend.put("host", address == null || address.isBlank() ? instance.getNode().getAddress() : address);
            if (service.getPort() > 0) {
                backend.put("port", service.getPort());
            }
            service.getWeights().ifPresent(w -> backend.put("weight", weight(service.getId(), w.getPassing())));
            out.add(backend);
        }
        return out;
    }

    private int weight(String serviceId, int passing) {
        int w = Math.max(1, Math.min(MAX_WEIGHT, passing));
        if (w != passing && clampedLogged.add(serviceId + "=" + passing)) {
            LOG.warn("Consul instance {}: Weights.Passing {} is outside HAProxy's 1-{}; using {}",
                    serviceId, passing, MAX_WEIGHT, w);
        }
        return w;
    }
}
