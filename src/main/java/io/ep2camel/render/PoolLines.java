package io.ep2camel.render;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;

import java.util.List;

/** What the template gets of one pool: its backend's name, its server lines, the backends behind them. */
public record PoolLines(String backend, List<String> serverLines, List<Backend> backends) {
    public PoolLines {
        serverLines = List.copyOf(serverLines);
        backends = List.copyOf(backends);
    }

    /** update_by_config: one server line per backend. */
    public static PoolLines of(String backend, ServerLineFormat format, BackendSet set) {
        return new PoolLines(backend, set.backends().stream().map(format::line).toList(), set.backends());
    }
}
