package io.ep2camel.observe;

import io.ep2camel.pool.AppliedBackends;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Ready once HAProxy has been brought to the orchestrator's backends at least once; reports
 * how long ago the last successful apply was and how many backends it holds.
 */
public class LastApplyHealthCheck extends AbstractHealthCheck {
    private final AppliedBackends applied;

    /** @param suffix "" for EP2's own pool, "-<backend>" for the others: part of the check's id */
    public LastApplyHealthCheck(AppliedBackends applied, String suffix) {
        super("ep2", "ep2-last-apply" + suffix);
        this.applied = applied;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        applied.current().ifPresent(set -> builder.detail("backends", set.size()));
        applied.appliedAt().ifPresent(t -> builder.detail("last_apply_age_seconds",
                Duration.between(t, Instant.now()).toSeconds()));
        if (applied.appliedAt().isPresent()) {
            builder.up();
        } else {
            builder.message("no successful apply yet").down();
        }
    }
}
