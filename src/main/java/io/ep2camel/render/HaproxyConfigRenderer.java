package io.ep2camel.render;

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

    public HaproxyConfigRenderer(TemplateRenderer template) {
        this.template = template;
    }

    public String render(List<PoolLines> pools) throws TemplateRenderer.RenderException {
        Map<String, Object> pooled = new LinkedHashMap<>();
        pools.forEach(p -> pooled.put(p.backend(), model(p)));
        Map<String, Object> root = new HashMap<>(model(pools.get(0)));
        root.put("pools", pooled);
        return template.render(root);
    }

    private static Map<String, Object> model(PoolLines pool) {
        return Map.of("nodes", String.join("\n    ", pool.serverLines()),
                "backend_name", pool.backend(),
                "backends", pool.backends().stream().map(b -> Map.of(
                        "host", b.host(), "port", b.port(), "weight", b.weight(), "name", b.serverName())).toList());
    }
}
