package io.ep2camel.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One pool: an HAProxy backend fed by one orchestrator. EP2's own config is one pool, the
 * default (its [haproxy] backend_name and orchestrator); every {@code [pool:NAME]} section adds
 * one more, with its keys laid over the shared ones ({@link PoolOverlay}). Built only by {@link Ep2ConfigLoader}.
 */
public final class PoolSpec {
    /** Whether the pool's lifecycle_queue_url is set, as the aws routes see it ("true"/"false"). */
    public static final String LIFECYCLE_PROPERTY = "ep2.aws.lifecycle";
    private final String name;
    private final boolean isDefault;
    private final Map<ConfigKey, String> values;
    private final Map<String, String> routeKeys;

    PoolSpec(String name, boolean isDefault, Map<ConfigKey, String> values, Map<String, String> routeKeys) {
        this.name = name;
        this.isDefault = isDefault;
        this.values = new EnumMap<>(values);
        this.routeKeys = Map.copyOf(routeKeys);
    }

    /** The section name (pool:NAME), or "haproxy" for EP2's default pool. */
    public String name() {
        return name;
    }

    public boolean isDefault() {
        return isDefault;
    }

    public String backendName() {
        return values.get(ConfigKey.BACKEND_NAME);
    }

    public String orchestrator() {
        return values.get(ConfigKey.ORCHESTRATOR);
    }

    public Optional<Integer> backendPort() {
        return get(ConfigKey.BACKEND_PORT).map(Integer::valueOf);
    }

    public Optional<Integer> backendMaxconn() {
        return get(ConfigKey.BACKEND_MAXCONN).map(Integer::valueOf);
    }

    public Optional<String> checkInterval() {
        return get(ConfigKey.CHECK_INTERVAL);
    }

    public Optional<String> downCheckInterval() {
        return get(ConfigKey.DOWN_CHECK_INTERVAL);
    }

    public int nodeSlots() {
        return get(ConfigKey.NODE_SLOTS).map(Integer::parseInt).orElse(0);
    }

    public int emptyConfirmations() {
        return Integer.parseInt(values.get(ConfigKey.EMPTY_CONFIRMATIONS));
    }

    private Optional<String> get(ConfigKey key) {
        return Optional.ofNullable(values.get(key));
    }

    /** True when the orchestrator pushes its answers (consul with watch = True) instead of being polled. */
    public boolean watches() {
        return orchestrator().equals("consul") && Boolean.parseBoolean(values.get(ConfigKey.CONSUL_WATCH));
    }

    /**
     * Appended to the orchestrator's route ids and endpoints for this pool: empty for the default
     * pool (direct:ep2-fetch-consul, as with one pool), {@code -<backend>} for the others.
     */
    /** aws: the pool's own lifecycle_queue_url ([AWS]'s for the [haproxy] pool, never inherited by others). */
    public Optional<String> lifecycleQueueUrl() {
        return Optional.ofNullable(values.get(ConfigKey.LIFECYCLE_QUEUE_URL));
    }

    /** asg_name of an aws pool. */
    public Optional<String> asgName() {
        return Optional.ofNullable(values.get(ConfigKey.ASG_NAME));
    }

    public String suffix() {
        return isDefault ? "" : "-" + backendName();
    }

    /** The endpoint the pipeline polls for this pool's backends. */
    public String fetchUri() {
        return "direct:ep2-fetch-" + orchestrator() + suffix();
    }

    /**
     * The Camel properties this pool's orchestrator routes see differently from the shared ones:
     * every value of its section as {@code ep2.<section>.<key>} (secrets never, they are shared
     * and stay out of properties).
     */
    public Properties routeProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (k != ConfigKey.AWS_SECRET_ACCESS_KEY && k != ConfigKey.CONSUL_ACL_TOKEN) {
                p.setProperty(k.property(), v);
            }
        });
        routeKeys.forEach((k, v) -> p.setProperty("ep2." + orchestrator() + "." + k, v));
        p.setProperty(LIFECYCLE_PROPERTY, Boolean.toString(lifecycleQueueUrl().isPresent()));
        return p;
    }

    @Override
    public String toString() {
        return "pool " + backendName() + " (" + orchestrator() + ")";
    }
}
