package io.ep2camel.pipeline;

import java.util.List;
import java.util.Optional;

/** Every pool of the controller, EP2's own first; looked up by backend name. */
public final class Pools {
    private final List<Pool> all;

    public Pools(List<Pool> all) {
        if (all.isEmpty()) {
            throw new IllegalArgumentException("at least one pool");
        }
        this.all = List.copyOf(all);
    }

    public List<Pool> all() {
        return all;
    }

    /** EP2's own pool: the one an answer without a backend name belongs to. */
    public Pool first() {
        return all.get(0);
    }

    public Optional<Pool> find(String backend) {
        return all.stream().filter(p -> p.backend().equals(backend)).findFirst();
    }

    /** The polled pools whose orchestrator is not backing off after a failure: this round's fetches. */
    public List<Pool> duePolled() {
        return all.stream().filter(p -> !p.spec().watches() && p.fetchHealth().due()).toList();
    }

    /** Pools that have never been applied: HAProxy is first (re)written only once each has an answer. */
    public List<Pool> neverApplied() {
        return all.stream().filter(p -> p.applied().current().isEmpty()).toList();
    }
}
