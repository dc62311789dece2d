package io.ep2camel.pipeline;

import io.ep2camel.config.UpdateType;
import io.ep2camel.model.BackendSet;
import io.ep2camel.observe.Ep2Metrics;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.runtime.RuntimeUpdate;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import java.time.Duration;

/**
 * The core pipeline. Orchestrator routes (routes/*.camel.yaml) either answer
 * {@code direct:ep2-fetch-<orchestrator>[-<backend>]}, called here every sleep_before_next_run for
 * every polled pool, or push to {@link #ENTRY} themselves (watches). Every answer is checked,
 * diffed against its pool's last applied set and, when it changed, queued; one apply then
 * covers every queued pool, by config+reload or at runtime.
 */
public class PipelineRoutes extends RouteBuilder {
    public static final String ENTRY = "direct:ep2-backends";
    public static final String ORCHESTRATOR_HEADER = "Ep2Orchestrator";
    /** The backend (pool) an answer pushed to {@link #ENTRY} is for; absent: EP2's own pool. */
    public static final String BACKEND_HEADER = "Ep2Backend";
    /** Optional headers naming the keys of the body's maps, for answers whose fields are named otherwise. */
    public static final String HOST_KEY_HEADER = "Ep2HostKey";
    public static final String PORT_KEY_HEADER = "Ep2PortKey";
    public static final String WEIGHT_KEY_HEADER = "Ep2WeightKey";
    private static final String FETCH_STARTED = "ep2.fetchStarted";
    private static final String POOL = "ep2Pool";
    private static final String FETCH_URI = "ep2FetchUri";
    static final String ACCEPT = "direct:ep2-accept";
    /**
     * One apply at a time, whichever source asked; the caller waits until it is done. A short
     * pollTimeout: seda's consumer sleeps a whole pollTimeout (1 s by default) if it first polls
     * while Camel is still starting, which would delay the bootstrap by that much.
     */
    static final String APPLY = "seda:ep2-apply?waitForTaskToComplete=Always&timeout=0&pollTimeout=100";
    static final String UPDATE_BY_CONFIG = "direct:ep2-update-by-config";
    static final String UPDATE_BY_RUNTIME = "direct:ep2-update-by-runtime";

    private final Pools pools;
    private final PendingChanges pending;
    private final UpdateType updateType;
    private final ConfigUpdate configUpdate;
    private final RuntimeUpdate runtimeUpdate;
    private final HaproxyControl control;

    public PipelineRoutes(Pools pools, PendingChanges pending, UpdateType updateType, ConfigUpdate configUpdate,
                          RuntimeUpdate runtimeUpdate, HaproxyControl control) {
        this.pools = pools;
        this.pending = pending;
        this.updateType = updateType;
        this.configUpdate = configUpdate;
        this.runtimeUpdate = runtimeUpdate;
        this.control = control;
    }

    @Override
    public void configure() {
        // poll source: the first tick is the bootstrap, then one round per sleep_before_next_run.
        // Every polled pool is fetched, then one apply covers all that changed. A failing
        // orchestrator is asked again after a capped back-off, not every round.
        // doTry, not onException: the fetch route's own error handler has already dealt with the
        // exception, and only doCatch still sees it in the calling route.
        // Not started when every pool's orchestrator watches (consul with watch = True): they push
        // to ENTRY themselves, and polling them as well would only add calls.
        from("timer:ep2-poll?delay=0&period={{ep2.poll_period_ms}}").routeId("ep2-poll")
                .autoStartup("{{ep2.poll.enabled:true}}")
                .split(method(pools, "duePolled"))
                    .process(this::startFetch)
                    .doTry()
                        .toD("${exchangeProperty." + FETCH_URI + "}")
                        .process(e -> pool(e).metrics().fetched(since(e, FETCH_STARTED)))
                        .to(ACCEPT)
                    .doCatch(Exception.class)
                        .process(this::fetchFailed)
                        .log(LoggingLevel.WARN, "${exchangeProperty.ep2FetchFailure}")
                    .end()
                .end()
                .to(APPLY);

        // push sources, and the contract: an answer for one pool, applied at once
        from(ENTRY).routeId("ep2-diff")
                .to(ACCEPT)
                .to(APPLY);

        from(ACCEPT).routeId("ep2-accept")
                .process(this::readBackendSet)
                .filter(method(this, "admitted"))
                .filter(method(this, updateType == UpdateType.UPDATE_BY_CONFIG ? "needsApply" : "reconcileDue"))
                .process(e -> pending.offer(pool(e), e.getMessage().getBody(BackendSet.class), System.nanoTime()));

        // what the apply window held back (debounce, reload rate limit) goes out when it is due
        from("timer:ep2-apply-due?period=100").routeId("ep2-apply-due")
                .filter(method(pending, "waiting"))
                .to(APPLY);

        from(APPLY).routeId("ep2-apply")
                .process(e -> e.getMessage().setBody(pending.take()))
                .filter(e -> !e.getMessage().getBody(Round.class).isEmpty())
                .to(updateType == UpdateType.UPDATE_BY_CONFIG ? UPDATE_BY_CONFIG : UPDATE_BY_RUNTIME);

        if (updateType == UpdateType.UPDATE_BY_CONFIG) {
            configureUpdateByConfig();
        } else {
            configureUpdateByRuntime();
        }
    }

    private void configureUpdateByConfig() {
        from(UPDATE_BY_CONFIG).routeId("ep2-update-by-config")
                .onException(Exception.class).handled(true)
                    .bean(configUpdate, "rollback")
                    .process(e -> applyFailed(e, Ep2Metrics.RELOAD))
                .end()
                .setProperty(Round.PROPERTY, body())
                .log("applying ${body} by update_by_config")
                .bean(configUpdate, "renderAndValidate")
                .bean(configUpdate, "installAndReload")
                .process(e -> round(e).markApplied())
                .process(e -> applied(e, Ep2Metrics.RELOAD))
                .log("applied: HAProxy serves the backends of ${exchangeProperty." + Round.PROPERTY + "}");
    }

    private void configureUpdateByRuntime() {
        // reconciles every round against HAProxy's own state (one cheap socket read), so drift is
        // repaired even when the orchestrator's answer did not change
        from(UPDATE_BY_RUNTIME).routeId("ep2-update-by-runtime")
                .onException(Exception.class).handled(true)
                    .bean(runtimeUpdate, "failed")
                    .process(e -> applyFailed(e, Ep2Metrics.RUNTIME))
                .end()
                .setProperty(Round.PROPERTY, body())
                .bean(runtimeUpdate, "plan")
                .filter(simple("${body.size} > 0"))
                    .to(runtimeUpdate.socketUri())
                .end()
                .bean(runtimeUpdate, "syncConfig")
                .filter(exchangeProperty(RuntimeUpdate.APPLY_KIND).isNotNull())
                    .process(e -> applied(e, e.getProperty(RuntimeUpdate.APPLY_KIND, String.class)));
    }

    /** Poll: the split's body is the pool to fetch; the fetch route starts with an empty body. */
    private void startFetch(Exchange e) {
        Pool pool = e.getMessage().getBody(Pool.class);
        e.setProperty(POOL, pool);
        e.setProperty(FETCH_URI, pool.spec().fetchUri());
        e.setProperty(FETCH_STARTED, System.nanoTime());
        e.getMessage().setBody(null);
        e.getMessage().setHeader(ORCHESTRATOR_HEADER, pool.orchestrator());
    }

    private void fetchFailed(Exchange e) {
        Pool pool = pool(e);
        pool.fetchHealth().failure(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
        e.setProperty("ep2FetchFailure", "fetch for " + pool + " failed, its backends kept as they are; next try in "
                + pool.fetchHealth().backoffMillis() + " ms: " + pool.fetchHealth().lastError().orElse("?"));
    }

    /**
     * The entry contract; a valid answer counts as a successful fetch, for push and poll sources
     * alike. The pool is the one polled, else the one named by {@link #BACKEND_HEADER}, else EP2's own.
     */
    private void readBackendSet(Exchange e) {
        Message m = e.getMessage();
        Pool pool = e.getProperty(POOL, Pool.class);
        if (pool == null) {
            String backend = m.getHeader(BACKEND_HEADER, String.class);
            pool = backend == null ? pools.first() : pools.find(backend).orElseThrow(() -> new IllegalArgumentException(
                    "header " + BACKEND_HEADER + " names backend '" + backend + "', which no pool feeds"));
            e.setProperty(POOL, pool);
        }
        String source = m.getHeader(ORCHESTRATOR_HEADER, pool.orchestrator(), String.class);
        m.setBody(answer(pool, m, "direct:ep2-fetch-" + source + pool.spec().suffix()));
        pool.fetchHealth().success();
    }

    /**
     * An orchestrator's answer as the pipeline takes it: the body read by the contract, with the
     * key-name headers ({@link #HOST_KEY_HEADER} ...), host names resolved. The one reading of
     * an answer, for real rounds and dry runs alike.
     */
    public static BackendSet answer(Pool pool, Message m, String source) {
        BackendSetReader.Fields fields = new BackendSetReader.Fields(m.getHeader(HOST_KEY_HEADER, "host", String.class),
                m.getHeader(PORT_KEY_HEADER, "port", String.class), m.getHeader(WEIGHT_KEY_HEADER, "weight", String.class));
        return new AddressResolver().resolve(pool.reader().read(m.getBody(), source, fields));
    }

    /** Stops an unconfirmed empty answer before it reaches either update branch. */
    public boolean admitted(Exchange e) {
        Pool pool = pool(e);
        return pool.emptyGuard().admit(e.getMessage().getBody(BackendSet.class), pool.applied());
    }

    /** update_by_config: a changed set, the bootstrap, or an HAProxy that is not running needs an apply. */
    public boolean needsApply(Exchange e) throws java.io.IOException {
        AppliedBackends applied = pool(e).applied();
        BackendSet wanted = e.getMessage().getBody(BackendSet.class);
        if (!applied.needsApply(wanted) && !control.isRunning()) {
            log.warn("HAProxy is not running; starting it again with the current backends");
            applied.forget();
        } else if (!applied.needsApply(wanted) && configUpdate.fileDrifted()) {
            log.warn("the HAProxy config file was changed outside ep2-camel; writing it again from the template");
            applied.forget();
        }
        // an answer back to the applied set still replaces a queued one that differs
        return (applied.needsApply(wanted) || pending.holds(pool(e))) && applied.applyDue();
    }

    /** update_by_runtime: every answer is a reconcile against HAProxy's state, unless a failed apply backs off. */
    public boolean reconcileDue(Exchange e) {
        return pool(e).applied().applyDue();
    }

    /** Counted per pool, with the time from the answer's arrival to HAProxy holding it. */
    private static void applied(Exchange e, String kind) {
        Round round = round(e);
        long now = System.nanoTime();
        round.changed().forEach(p -> p.metrics().applied(kind, Duration.ofNanos(now - round.receivedNanos(p))));
    }

    /** Every pool of a failed round backs off and counts the failure. */
    private static void applyFailed(Exchange e, String kind) {
        Round round = round(e);
        round.applyFailed();
        round.changed().forEach(p -> p.metrics().applyFailed(kind));
    }

    private static Pool pool(Exchange e) {
        return e.getProperty(POOL, Pool.class);
    }

    private static Round round(Exchange e) {
        return e.getProperty(Round.PROPERTY, Round.class);
    }

    private static Duration since(Exchange e, String property) {
        return Duration.ofNanos(System.nanoTime() - e.getProperty(property, Long.class));
    }
}
