package io.ep2camel.render;

import java.nio.file.Path;
import java.util.Optional;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the server lines of every pool into one full HAProxy config through the operator's
 * template. The first pool is EP2's own: {@code nodes} is its server lines, one per line, as EP2
 * rendered them, with {@code backends} and {@code backend_name} for richer templates. Every
 * pool, the first included, is also under {@code pools['<backend>']} with the same three keys.
 */
public final class HaproxyConfigRenderer {
    private final TemplateRenderer template;
    private final Optional<Path> serverStateFile;
    private final Optional<String> maxSpreadChecks;

    public HaproxyConfigRenderer(TemplateRenderer template) {
        this(template, Optional.empty(), Optional.empty());
    }

    /**
     * @param serverStateFile where the servers' state is saved before each reload: its lines are added to the config
     * @param maxSpreadChecks the longest a server waits for its first check ({@link CheckSpreadLine})
     */
    public HaproxyConfigRenderer(TemplateRenderer template, Optional<Path> serverStateFile, Optional<String> maxSpreadChecks) {
        this.template = template;
        this.serverStateFile = serverStateFile;
        this.maxSpreadChecks = maxSpreadChecks;
    }

    public String render(List<PoolLines> pools) throws TemplateRenderer.RenderException {
        Map<String, Object> pooled = new LinkedHashMap<>();
        pools.forEach(p -> pooled.put(p.backend(), model(p)));
        Map<String, Object> root = new HashMap<>(model(pools.get(0)));
        root.put("pools", pooled);
        String config = template.render(root);
        String withState = serverStateFile.map(f -> ServerStateLines.addTo(config, f)).orElse(config);
        return maxSpreadChecks.map(within -> CheckSpreadLine.addTo(withState, within)).orElse(withState);
    }

    private static Map<String, Object> model(PoolLines pool) {
        return Map.of("nodes", String.join("\n    ", pool.serverLines()),
                "backend_name", pool.backend(),
                "backends", pool.backends().stream().map(b -> Map.of(
                        "host", b.host(), "port", b.port(), "weight", b.weight(), "name", b.serverName())).toList());
    }
}
