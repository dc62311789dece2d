package io.ep2camel.observe;

import io.ep2camel.pool.FetchHealth;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Ready while the orchestrator answers; down (with the last error) while fetches fail or before the first one. */
public class OrchestratorHealthCheck extends AbstractHealthCheck {
    private final FetchHealth fetch;
    private final String orchestrator;

    /** @param suffix "" for EP2's own pool, "-<backend>" for the others: part of the check's id */
    public OrchestratorHealthCheck(FetchHealth fetch, String orchestrator, String suffix) {
        super("ep2", "ep2-orchestrator" + suffix);
        this.fetch = fetch;
        this.orchestrator = orchestrator;
    }

    @Override
    public boolean isLiveness() {
        return false; // an orchestrator outage is no reason to restart the controller
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("orchestrator", orchestrator);
        builder.detail("consecutive_failures", fetch.consecutiveFailures());
        fetch.lastSuccess().ifPresent(t -> builder.detail("last_success", t.toString()));
        fetch.lastError().ifPresent(e -> builder.detail("last_error", e));
        if (fetch.reachable()) {
            builder.up();
        } else {
            builder.message(fetch.lastSuccess().isEmpty() && fetch.consecutiveFailures() == 0
                    ? "no answer from the orchestrator yet"
                    : "orchestrator unreachable: " + fetch.lastError().orElse("?")).down();
        }
    }
}
