package io.ep2camel.pipeline;

import io.ep2camel.config.UpdateType;
import io.ep2camel.model.BackendSet;
import io.ep2camel.observe.Ep2Metrics;
import io.ep2camel.runtime.RuntimeUpdate;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import java.time.Duration;

/**
 * The core pipeline. Orchestrator routes (routes/*.camel.yaml) either answer
 * {@code direct:ep2-fetch-<orchestrator>}, called here every sleep_before_next_run, or push to
 * {@link #ENTRY} themselves (watches). Every answer is diffed against the last applied set;
 * only a change is applied, by config+reload or at runtime.
 */
public class PipelineRoutes extends RouteBuilder {
    public static final String ENTRY = "direct:ep2-backends";
    public static final String ORCHESTRATOR_HEADER = "Ep2Orchestrator";
    /** Optional headers naming the keys of the body's maps, for answers whose fields are named otherwise. */
    public static final String HOST_KEY_HEADER = "Ep2HostKey";
    public static final String PORT_KEY_HEADER = "Ep2PortKey";
    public static final String WEIGHT_KEY_HEADER = "Ep2WeightKey";
    private static final String FETCH_STARTED = "ep2.fetchStarted";
    private static final String RECEIVED = "ep2.received";
    static final String UPDATE_BY_CONFIG = "direct:ep2-update-by-config";
    static final String UPDATE_BY_RUNTIME = "direct:ep2-update-by-runtime";

    private final PoolStages pool;
    private final AddressResolver resolver = new AddressResolver();

    public PipelineRoutes(PoolStages pool) {
        this.pool = pool;
    }

    @Override
    public void configure() {
        // poll source: the first tick is the bootstrap, then one round per sleep_before_next_run.
        // A failing orchestrator is asked again after a capped back-off, not every round.
        // doTry, not onException: the fetch route's own error handler has already dealt with the
        // exception, and only doCatch still sees it in the calling route.
        // Not started for a watching orchestrator (consul with watch = True): it pushes to ENTRY
        // itself, and polling it as well would only add calls.
        from("timer:ep2-poll?delay=0&period={{ep2.poll_period_ms}}").routeId("ep2-poll")
                .autoStartup("{{ep2.poll.enabled:true}}")
                .filter(method(pool.fetchHealth(), "due"))
                    .setHeader(ORCHESTRATOR_HEADER, constant(pool.orchestrator()))
                    .setProperty(FETCH_STARTED, method(System.class, "nanoTime"))
                    .doTry()
                        .to("direct:ep2-fetch-" + pool.orchestrator())
                        .process(e -> pool.metrics().fetched(since(e, FETCH_STARTED)))
                        .to(ENTRY)
                    .doCatch(Exception.class)
                        .process(e -> pool.fetchHealth().failure(
                                e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()))
                        .log(LoggingLevel.WARN, "fetch failed, backends kept as they are; next try in "
                                + "${bean:fetchHealth?method=backoffMillis} ms: ${exception.message}")
                    .end()
                .end();

        if (pool.updateType() == UpdateType.UPDATE_BY_CONFIG) {
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
                    .bean(pool.configUpdate(), "rollback")
                    .process(e -> pool.applied().applyFailed())
                    .process(e -> pool.metrics().applyFailed(Ep2Metrics.RELOAD))
                .end()
                .bean(pool.configUpdate(), "renderAndValidate")
                .bean(pool.configUpdate(), "installAndReload")
                .process(e -> pool.applied().markApplied(e.getMessage().getBody(BackendSet.class)))
                .process(e -> pool.metrics().applied(Ep2Metrics.RELOAD, since(e, RECEIVED)))
                .log("applied: HAProxy serves ${body.size} backends");
    }

    private void configureUpdateByRuntime() {
        // reconciles every round against HAProxy's own state (one cheap socket read), so drift is
        // repaired even when the orchestrator's answer did not change
        from(ENTRY).routeId("ep2-diff")
                .process(this::readBackendSet)
                .filter(method(this, "admitted"))
                .filter(method(pool.applied(), "applyDue"))
                .to(UPDATE_BY_RUNTIME);

        from(UPDATE_BY_RUNTIME).routeId("ep2-update-by-runtime")
                .onException(Exception.class).handled(true)
                    .bean(pool.runtimeUpdate(), "failed")
                    .process(e -> pool.applied().applyFailed())
                    .process(e -> pool.metrics().applyFailed(Ep2Metrics.RUNTIME))
                .end()
                .bean(pool.runtimeUpdate(), "plan")
                .filter(simple("${body.size} > 0"))
                    .to(pool.runtimeUpdate().socketUri())
                .end()
                .bean(pool.runtimeUpdate(), "syncConfig")
                .filter(exchangeProperty(RuntimeUpdate.APPLY_KIND).isNotNull())
                    .process(e -> pool.metrics().applied(e.getProperty(RuntimeUpdate.APPLY_KIND, String.class),
                            since(e, RECEIVED)));
    }

    /** The entry contract; a valid answer counts as a successful fetch, for push and poll sources alike. */
    private void readBackendSet(Exchange e) {
        e.setProperty(RECEIVED, System.nanoTime());
        String source = e.getMessage().getHeader(ORCHESTRATOR_HEADER, "unknown", String.class);
        Message m = e.getMessage();
        BackendSetReader.Fields fields = new BackendSetReader.Fields(m.getHeader(HOST_KEY_HEADER, "host", String.class),
                m.getHeader(PORT_KEY_HEADER, "port", String.class), m.getHeader(WEIGHT_KEY_HEADER, "weight", String.class));
        m.setBody(resolver.resolve(pool.reader().read(m.getBody(), "direct:ep2-fetch-" + source, fields)));
        pool.fetchHealth().success();
    }

    /** Stops an unconfirmed empty answer before it reaches either update branch. */
    public boolean admitted(Exchange e) {
        return pool.emptyGuard().admit(e.getMessage().getBody(BackendSet.class), pool.applied());
    }

    /** A changed set, the bootstrap, or an HAProxy that is not running needs an apply. */
    public boolean needsApply(Exchange e) throws java.io.IOException {
        AppliedBackends applied = pool.applied();
        BackendSet wanted = e.getMessage().getBody(BackendSet.class);
        if (!applied.needsApply(wanted) && !pool.control().isRunning()) {
            log.warn("HAProxy is not running; starting it again with the current backends");
            applied.forget();
        } else if (!applied.needsApply(wanted) && pool.configUpdate().fileDrifted()) {
            log.warn("the HAProxy config file was changed outside ep2-camel; writing it again from the template");
            applied.forget();
        }
        if (!applied.needsApply(wanted) || !applied.applyDue()) {
            return false;
        }
        e.setProperty("ep2.diff", applied.current().isPresent() ? applied.diff(wanted).toString() : "bootstrap");
        return true;
    }

    private static Duration since(Exchange e, String property) {
        return Duration.ofNanos(System.nanoTime() - e.getProperty(property, Long.class));
    }
}
