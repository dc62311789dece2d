package io.ep2camel.pipeline;

import io.ep2camel.config.UpdateType;
import io.ep2camel.model.BackendSet;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.runtime.RuntimeUpdate;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The core pipeline. Orchestrator routes (routes/*.camel.yaml) either answer
 * {@code direct:ep2-fetch-<orchestrator>}, called here every sleep_before_next_run, or push to
 * {@link #ENTRY} themselves (watches). Every answer is diffed against the last applied set;
 * only a change is applied, by config+reload or at runtime.
 */
public class PipelineRoutes extends RouteBuilder {
    public static final String ENTRY = "direct:ep2-backends";
    public static final String ORCHESTRATOR_HEADER = "Ep2Orchestrator";
    static final String UPDATE_BY_CONFIG = "direct:ep2-update-by-config";
    static final String UPDATE_BY_RUNTIME = "direct:ep2-update-by-runtime";

    private final String orchestrator;
    private final UpdateType updateType;
    private final BackendSetReader reader;
    private final AppliedBackends applied;
    private final ConfigUpdate configUpdate;
    private final RuntimeUpdate runtimeUpdate;
    private final HaproxyControl control;
    private final FetchHealth fetchHealth;
    private final EmptyAnswerGuard emptyGuard;

    public PipelineRoutes(String orchestrator, UpdateType updateType, BackendSetReader reader, AppliedBackends applied,
                          ConfigUpdate configUpdate, RuntimeUpdate runtimeUpdate, HaproxyControl control,
                          FetchHealth fetchHealth, EmptyAnswerGuard emptyGuard) {
        this.fetchHealth = fetchHealth;
        this.emptyGuard = emptyGuard;
        this.orchestrator = orchestrator;
        this.updateType = updateType;
        this.reader = reader;
        this.applied = applied;
        this.configUpdate = configUpdate;
        this.runtimeUpdate = runtimeUpdate;
        this.control = control;
    }

    @Override
    public void configure() {
        // poll source: the first tick is the bootstrap, then one round per sleep_before_next_run
        // a failing orchestrator is asked again after a capped back-off, not every round
        from("timer:ep2-poll?delay=0&period={{ep2.poll_period_ms}}").routeId("ep2-poll")
                .onException(Exception.class).handled(true)
                    .process(e -> fetchHealth.failure(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()))
                    .log(LoggingLevel.WARN, "fetch failed, backends kept as they are; next try in "
                            + "${bean:fetchHealth?method=backoffMillis} ms: ${exception.message}")
                .end()
                .filter(method(fetchHealth, "due"))
                    .setHeader(ORCHESTRATOR_HEADER, constant(orchestrator))
                    .to("direct:ep2-fetch-" + orchestrator)
                    .to(ENTRY)
                .end();

        if (updateType == UpdateType.UPDATE_BY_CONFIG) {
            configureUpdateByConfig();
        } else {
            configureUpdateByRuntime();
        }
    }

    private void configureUpdateByConfig() {
        from(ENTRY).routeId("ep2-diff")
                .process(this::readBackendSet)
                .filter(method(this, "admitted"))
                .filter(method(this, "needsApply"))
                    .log("applying ${exchangeProperty.ep2.diff} -> ${body.size} backends by update_by_config")
                    .to(UPDATE_BY_CONFIG)
                .end();

        from(UPDATE_BY_CONFIG).routeId("ep2-update-by-config")
                .onException(Exception.class).handled(true)
                    .bean(configUpdate, "rollback")
                .end()
                .bean(configUpdate, "renderAndValidate")
                .bean(configUpdate, "installAndReload")
                .process(e -> applied.markApplied(e.getMessage().getBody(BackendSet.class)))
                .log("applied: HAProxy serves ${body.size} backends");
    }

    private void configureUpdateByRuntime() {
        // reconciles every round against HAProxy's own state (one cheap socket read), so drift is
        // repaired even when the orchestrator's answer did not change
        from(ENTRY).routeId("ep2-diff")
                .process(this::readBackendSet)
                .filter(method(this, "admitted"))
                .to(UPDATE_BY_RUNTIME);

        from(UPDATE_BY_RUNTIME).routeId("ep2-update-by-runtime")
                .onException(Exception.class).handled(true)
                    .bean(runtimeUpdate, "failed")
                .end()
                .bean(runtimeUpdate, "plan")
                .filter(simple("${body.size} > 0"))
                    .to(runtimeUpdate.socketUri())
                .end()
                .bean(runtimeUpdate, "syncConfig");
    }

    /** The entry contract; a valid answer counts as a successful fetch, for push and poll sources alike. */
    private void readBackendSet(Exchange e) {
        String source = e.getMessage().getHeader(ORCHESTRATOR_HEADER, "unknown", String.class);
        e.getMessage().setBody(reader.read(e.getMessage().getBody(), "direct:ep2-fetch-" + source));
        fetchHealth.success();
    }

    /** Stops an unconfirmed empty answer before it reaches either update branch. */
    public boolean admitted(Exchange e) {
        return emptyGuard.admit(e.getMessage().getBody(BackendSet.class), applied);
    }

    /** A changed set, the bootstrap, or an HAProxy that is not running needs an apply. */
    public boolean needsApply(Exchange e) throws java.io.IOException {
        BackendSet wanted = e.getMessage().getBody(BackendSet.class);
        if (!applied.needsApply(wanted) && !control.isRunning()) {
            log.warn("HAProxy is not running; starting it again with the current backends");
            applied.forget();
        }
        if (!applied.needsApply(wanted)) {
            return false;
        }
        e.setProperty("ep2.diff", applied.current().isPresent() ? applied.diff(wanted).toString() : "bootstrap");
        return true;
    }
}
