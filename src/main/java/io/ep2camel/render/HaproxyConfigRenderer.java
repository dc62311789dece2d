package io.ep2camel.render;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a set of server lines into a full HAProxy config through the operator's template:
 * {@code nodes} is the server lines, one per line, as EP2 rendered them; {@code backends}
 * and {@code backend_name} are offered for richer templates.
 */
public final class HaproxyConfigRenderer {
    private final TemplateRenderer template;
    private final ServerLineFormat format;
    private final String backendName;

    public HaproxyConfigRenderer(TemplateRenderer template, ServerLineFormat format, String backendName) {
        this.template = template;
        this.format = format;
        this.backendName = backendName;
    }

    public ServerLineFormat format() {
        return format;
    }

    /** Config mode: one server line per backend. */
    public String render(BackendSet backends) throws TemplateRenderer.RenderException {
        return renderLines(backends.backends().stream().map(format::line).toList(), backends.backends());
    }

    /** Any list of server lines (runtime mode renders its slots this way). */
    public String renderLines(List<String> serverLines, List<Backend> backends) throws TemplateRenderer.RenderException {
        Map<String, Object> model = new HashMap<>();
        model.put("nodes", String.join("\n    ", serverLines));
        model.put("backend_name", backendName);
        model.put("backends", backends.stream().map(b -> Map.of(
                "host", b.host(), "port", b.port(), "weight", b.weight(), "name", b.serverName())).toList());
        return template.render(model);
    }
}
