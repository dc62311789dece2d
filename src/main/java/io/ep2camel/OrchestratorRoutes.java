package io.ep2camel;

import io.ep2camel.config.PoolSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;

import java.util.List;
import java.util.Optional;

/**
 * Creates each pool's orchestrator routes. An orchestrator file written as route templates
 * (the shipped ones are) gets one route per template and pool: id and endpoint
 * {@code <template id><suffix>}, with the pool's own settings laid over the shared
 * {@code ep2.*} properties. A file of plain routes serves EP2's own pool only.
 */
final class OrchestratorRoutes {
    /** The template parameter every orchestrator template declares: "" or "-<backend>". */
    static final String SUFFIX = "suffix";
    /** The template parameter of an optional route: the property a pool must set for it to exist. */
    static final String REQUIRES = "requires";

    private final CamelContext context;

    OrchestratorRoutes(CamelContext context) {
        this.context = context;
    }

    void instantiate(List<PoolSpec> pools) {
        for (PoolSpec pool : pools) {
            List<RouteTemplateDefinition> templates = templatesOf(pool.orchestrator());
            if (templates.isEmpty() && !pool.isDefault()) {
                throw new IllegalStateException("[" + pool.name() + "]: routes/" + pool.orchestrator() + RouteLocator.SUFFIX
                        + " has plain routes only, which serve the [haproxy] pool alone; write them as routeTemplate "
                        + "(README, \"Orchestrator routes\") to use orchestrator " + pool.orchestrator() + " in a pool");
            }
            for (RouteTemplateDefinition t : templates) {
                Optional<String> required = requiredProperty(t);
                if (required.isPresent() && pool.routeProperties().getProperty(required.get(), "").isEmpty()) {
                    continue;
                }
                TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(context, t.getId())
                        .routeId(t.getId() + pool.suffix())
                        .parameter(SUFFIX, pool.suffix());
                if (!pool.isDefault()) {
                    pool.routeProperties().forEach((k, v) -> route.parameter(k.toString(), v));
                }
                route.add();
            }
        }
    }

    /**
     * A template declaring a parameter {@value #REQUIRES} (its default value an {@code ep2.*}
     * property) serves an option: it is made only for the pools that set that key.
     */
    private static Optional<String> requiredProperty(RouteTemplateDefinition t) {
        return t.getTemplateParameters().stream().filter(p -> REQUIRES.equals(p.getName()))
                .map(p -> p.getDefaultValue()).filter(v -> v != null && !v.isBlank()).findFirst();
    }

    /** The templates loaded from routes/<orchestrator>.camel.yaml. */
    private List<RouteTemplateDefinition> templatesOf(String orchestrator) {
        String file = "/" + orchestrator + RouteLocator.SUFFIX;
        return ((ModelCamelContext) context).getRouteTemplateDefinitions().stream()
                .filter(t -> t.getResource() != null && t.getResource().getLocation().endsWith(file))
                .toList();
    }
}
