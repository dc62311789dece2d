package io.ep2camel.fetch;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What one pool asks Consul beyond camel-consul's parameters: its tags (Consul filters the
 * instances, so the answer carries only tagged ones; {@link ConsulInstances} still checks them),
 * and its namespace and partition when the pool sets its own.
 * <p>
 * camel-consul builds its query from fixed headers only, so the fetch route hands this to the
 * call by {@link #enter()}: the HTTP call runs synchronously on the route's thread, where
 * {@link ConsulCalls} picks it up. Each fetch enters its own before calling, so a value left by a
 * failed call on a thread is always replaced before the next one.
 */
public final class ConsulPoolQuery {
    private static final ThreadLocal<ConsulPoolQuery> CURRENT = new ThreadLocal<>();

    private final List<String> tags;
    private final Optional<String> namespace;
    private final Optional<String> partition;

    /** Route bean: comma separated tags, namespace and partition, each possibly empty. */
    public ConsulPoolQuery(String tags, String namespace, String partition) {
        this.tags = tags == null ? List.of()
                : Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        this.namespace = Optional.ofNullable(namespace).filter(n -> !n.isBlank());
        this.partition = Optional.ofNullable(partition).filter(n -> !n.isBlank());
    }

    List<String> tags() {
        return tags;
    }

    Optional<String> namespace() {
        return namespace;
    }

    Optional<String> partition() {
        return partition;
    }

    /** The next Consul call of this thread is this pool's. */
    public void enter() {
        CURRENT.set(this);
    }

    /** The call is done. */
    public void leave() {
        CURRENT.remove();
    }

    static ConsulPoolQuery current() {
        return CURRENT.get();
    }
}
