package io.ep2camel.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /observe/health}, {@code /observe/health/live}, {@code /observe/health/ready}: Camel's
 * health checks in the shape Camel's own management server answers with (status, and per check
 * name, status, message, error-message, and with {@code ?data=true} its data), 503 while not UP.
 * The exposure level is camel.health.exposureLevel or the {@code exposureLevel} parameter:
 * {@code full} lists every check, {@code oneline} only the status, anything else the DOWN checks.
 */
record HealthAnswer(int status, String json) {
    enum Kind { ALL, LIVE, READY }

    static HealthAnswer of(CamelContext context, Kind kind, Map<String, String[]> params) {
        String asked = first(params, "exposureLevel");
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        String level = asked != null ? asked : registry == null ? "default" : registry.getExposureLevel();
        Collection<HealthCheck.Result> results = switch (kind) {
            case ALL -> HealthCheckHelper.invoke(context, level);
            case LIVE -> HealthCheckHelper.invokeLiveness(context, level);
            case READY -> HealthCheckHelper.invokeReadiness(context, level);
        };
        boolean up = HealthCheckHelper.isResultsUp(results, kind == Kind.READY);
        JsonObject root = new JsonObject();
        root.put("status", up ? "UP" : "DOWN");
        if (!"oneline".equals(level)) {
            boolean data = "true".equals(first(params, "data"));
            JsonArray checks = new JsonArray();
            results.stream().filter(r -> "full".equals(level) || r.getState() == HealthCheck.State.DOWN)
                    .forEach(r -> checks.add(check(r, data)));
            if (!checks.isEmpty()) {
                root.put("checks", checks);
            }
        }
        return new HealthAnswer(up ? 200 : 503, Jsoner.prettyPrint(root.toJson(), 4) + "\n");
    }

    private static JsonObject check(HealthCheck.Result r, boolean data) {
        JsonObject check = new JsonObject();
        check.put("name", r.getCheck().getId());
        check.put("status", r.getState().name());
        r.getMessage().ifPresent(m -> check.put("message", m));
        r.getError().ifPresent(e -> check.put("error-message", causes(e)));
        if (data && r.getDetails() != null && !r.getDetails().isEmpty()) {
            JsonObject details = new JsonObject();
            new TreeMap<>(r.getDetails()).forEach((k, v) -> details.put(k, v == null ? "" : String.valueOf(v)));
            check.put("data", details);
        }
        return check;
    }

    /** The error's message and its causes', as Camel's server writes them. */
    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                sb.append("; Caused by: ").append(c.getClass().getName()).append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    private static String first(Map<String, String[]> params, String name) {
        String[] values = params.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }
}
