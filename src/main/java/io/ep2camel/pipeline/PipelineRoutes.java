package io.ep2camel.pipeline;

import io.ep2camel.config.UpdateType;
import io.ep2camel.model.BackendSet;
import io.ep2camel.observe.Ep2Metrics;
import io.ep2camel.reload.ConfigFiles;
import io.ep2camel.reload.ExecCommandRunner;
import io.ep2camel.runtime.EarlyEntry;
import io.ep2camel.runtime.RuntimePlan;
import io.ep2camel.runtime.RuntimeTarget;
import io.ep2camel.socket.HaproxySocketConstants;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.Predicate;
import org.apache.camel.builder.PredicateBuilder;
import org.apache.camel.builder.RouteBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The core pipeline, as the design card draws it: a source (the poll timer, or a watch pushing to
 * {@link #ENTRY}) → the orchestrator's fetch route ({@code direct:ep2-fetch-<orchestrator>[-<backend>]},
 * routes/*.camel.yaml; contract: README, "Orchestrator routes") → {@code ep2-diff} (read the answer,
 * guard against an unconfirmed empty one, diff it against the pool's last applied set, queue it)
 * → {@code ep2-apply} (one round for every queued pool, when the apply window lets it go) →
 * {@code choice} update_by_config | update_by_runtime:
 * <ul>
 *   <li>update_by_config: keep serving (make before break: HAProxy's state read when servers leave)
 *       → render → validate ({@code exec:} haproxy -c) → write (atomic) → reload, the branch's
 *       onException putting the previous config back;</li>
 *   <li>update_by_runtime: plan (HAProxy's state read over the socket) → free slots re-entered
 *       (del + add server) → {@code choice} on the plan's outcome: the commands to
 *       {@code haproxy-socket:}, then the file synced without a reload;
 *       or, when HAProxy must start, lacks a backend or needs more slots, the config branch's
 *       render → validate → write → reload.</li>
 * </ul>
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
    static final String POOL = "ep2Pool";
    private static final String FETCH_STARTED = "ep2.fetchStarted";
    private static final String FETCH_URI = "ep2FetchUri";
    /** Set on a poll tick's exchanges: their answers are queued without the coalescing window. */
    private static final String POLLED = "ep2Polled";
    static final String PLAN = "ep2Plan";
    private static final String ROUND_SUMMARY = "ep2RoundSummary";
    private static final String RESTORED = "ep2Restored";
    /** Route ep2-diff; public for a dry run, which takes answers through it as a round does. */
    public static final String DIFF = "direct:ep2-diff";
    /**
     * One apply at a time, whichever source asked; the caller waits until it is done. A short
     * pollTimeout: seda's consumer sleeps a whole pollTimeout (1 s by default) if it first polls
     * while Camel is still starting, which would delay the bootstrap by that much.
     */
    static final String APPLY = "seda:ep2-apply?waitForTaskToComplete=Always&timeout=0&pollTimeout=100&queue=#"
            + PipelineRoutes.APPLY_QUEUE;
    /**
     * The apply queue as a wake-up hands a round to it: without waiting for the round. A wake-up that
     * waited (timeout 0) would wait for good if the apply route stopped first, and hold a stopping
     * controller up to the shutdown timeout (seen once: --once, 30 s).
     */
    static final String APPLY_WAKE_UP = "seda:ep2-apply?waitForTaskToComplete=Never&queue=#" + PipelineRoutes.APPLY_QUEUE;
    /**
     * At most one wake-up waits in the queue (a second is dropped): it reads the due time when it is
     * taken. A taken wake-up's delay runs asynchronously (the delay EIP's default), so the consumer
     * takes the next one at once and several can be sleeping: a wake-up due sooner (a new change's
     * coalescing window) is never held behind a long one (a kept server's doubled recheck). Each
     * that finds nothing due hands the apply route an empty take.
     */
    static final String APPLY_DUE = "seda:ep2-apply-due?discardWhenFull=true&waitForTaskToComplete=Never&pollTimeout=100"
            + "&queue=#" + PipelineRoutes.APPLY_DUE_QUEUE;
    /** The seda queues' beans: {@link IdleWaitQueue}s, so nothing wakes while nothing waits. */
    static final String APPLY_QUEUE = "ep2ApplyQueue";
    static final String APPLY_DUE_QUEUE = "ep2ApplyDueQueue";
    static final String UPDATE_BY_CONFIG = "direct:ep2-update-by-config";
    static final String UPDATE_BY_RUNTIME = "direct:ep2-update-by-runtime";
    /** render → validate → write → reload: update_by_config's steps, and update_by_runtime's when it must reload. */
    static final String INSTALL_CONFIG = "direct:ep2-install-config";
    /** render → validate → write, no reload: the file follows what HAProxy already runs. */
    static final String SYNC_CONFIG = "direct:ep2-sync-config";
    static final String VALIDATE_CONFIG = "direct:ep2-validate-config";
    /** update_by_config: leaving servers that are UP stay while none of the others is. */
    static final String KEEP_SERVING = "direct:ep2-keep-serving";
    static final String SAVE_SERVER_STATE = "direct:ep2-save-server-state";
    static final String SHOW_SERVERS_STATE = "direct:ep2-show-servers-state";
    /** update_by_config: a round's new servers added over the socket before its reload. */
    static final String ENTER_NEW_SERVERS = "direct:ep2-enter-new-servers";
    /** update_by_config: after a failed round, the servers it added ahead of the reload are taken out. */
    static final String WITHDRAW_NEW_SERVERS = "direct:ep2-withdraw-new-servers";
    /** The servers ({@code backend/name}) a round added ahead of its reload, until the reload is through. */
    static final String ENTERED = "ep2Entered";
    private static final String NEW_SERVERS = "ep2NewServers";
    private static final String ENTRY_COMMANDS = "ep2EntryCommands";
    /** update_by_runtime: {@code del server} for the free slots past node_slots. */
    static final String DELETE_SERVERS = "direct:ep2-delete-servers";
    /** update_by_runtime: {@code del server} + {@code add server} for the free slots new servers re-enter. */
    static final String REENTER_SLOTS = "direct:ep2-reenter-slots";

    private final Pools pools;
    private final PendingChanges pending;
    private final UpdateType updateType;
    private final AppliedSetDiff diff;
    private final Stages stages;
    private final LeavingServers leaving;

    public PipelineRoutes(Pools pools, PendingChanges pending, UpdateType updateType, Stages stages) {
        this.pools = pools;
        this.pending = pending;
        this.updateType = updateType;
        this.stages = stages;
        this.diff = new AppliedSetDiff(updateType, stages.control(), stages.files(), pending);
        this.leaving = new LeavingServers(pending, stages.control()::runs);
    }

    @Override
    public void configure() {
        IdleWaitQueue<Exchange> applyQueue = new IdleWaitQueue<>();
        IdleWaitQueue<Exchange> dueQueue = new IdleWaitQueue<>(1);
        getContext().getRegistry().bind(APPLY_QUEUE, applyQueue);
        getContext().getRegistry().bind(APPLY_DUE_QUEUE, dueQueue);
        getContext().getManagementStrategy().addEventNotifier(new QueueRelease(Map.of("ep2-apply", applyQueue,
                "ep2-apply-due", dueQueue)));
        configureSources();
        configureDiff();
        configureApply();
        configureUpdateByConfig();
        configureEnterNewServers();
        configureUpdateByRuntime();
        configureReenterSlots();
        configureDeleteServers();
        configureConfigSteps();
    }

    private void configureSources() {
        // poll source: the first tick is the bootstrap, then one round per sleep_before_next_run.
        // Every polled pool is fetched, then one apply covers all that changed. A failing
        // orchestrator is asked again after a capped back-off, not every round.
        // doTry, not onException: the fetch route's own error handler has already dealt with the
        // exception, and only doCatch still sees it in the calling route.
        // Not started when every pool's orchestrator watches (consul with watch = True): they push
        // to ENTRY themselves, and polling them as well would only add calls.
        // A round goes to ep2-apply only when something waits: an unchanged answer (most ticks of
        // an idle controller) would only wake the apply thread to find nothing to take.
        from("timer:ep2-poll?delay=0&period={{ep2.poll_period_ms}}").routeId("ep2-poll")
                .autoStartup("{{ep2.poll.enabled:true}}")
                .split(method(pools, "duePolled"))
                    .process(this::startFetch)
                    .doTry()
                        .toD("${exchangeProperty." + FETCH_URI + "}").id("ep2-fetch")
                        .process(e -> pool(e).metrics().fetched(since(e, FETCH_STARTED)))
                        .to(DIFF)
                    .doCatch(Exception.class)
                        .process(this::fetchFailed)
                        .log(LoggingLevel.WARN, "${exchangeProperty.ep2FetchFailure}")
                    .end()
                .end()
                .filter(method(pending, "waiting")).id("ep2-if-changed")
                    .to(APPLY);

        // push sources (watches, custom routes), and the contract: an answer for one pool, applied at once
        from(ENTRY).routeId("ep2-push")
                .to(DIFF)
                .filter(method(pending, "waiting")).id("ep2-push-if-changed")
                    .to(APPLY);
    }

    private void configureDiff() {
        from(DIFF).routeId("ep2-diff")
                .process(this::readBackendSet).id("ep2-read-answer")
                .filter(method(this, "admitted")).id("ep2-empty-guard")
                    .process(diff).id("ep2-diff-applied")
                    .filter(exchangeProperty(AppliedSetDiff.CHANGED).isEqualTo(true))
                        .process(this::queue).id("ep2-queue");
    }

    private void configureApply() {
        // what the apply window held back (debounce, reload rate limit) goes out when it is due: one
        // wake-up at the moment the window opens, not a timer ticking while nothing waits
        from(APPLY_DUE).routeId("ep2-apply-due")
                .delay(method(pending, "millisUntilDue"))
                .to(APPLY_WAKE_UP);

        // one flat choice: a nested one would take the wake-up's "when" as its own
        Predicate round = simple("${body.isEmpty()} == false");
        from(APPLY).routeId("ep2-apply")
                .setBody(e -> pending.take()).id("ep2-take-round")
                .choice()
                    .when(PredicateBuilder.and(round, e -> updateType == UpdateType.UPDATE_BY_CONFIG)).to(UPDATE_BY_CONFIG)
                    .when(round).to(UPDATE_BY_RUNTIME)
                    // nothing due yet, yet something is held: one wake-up for when it is
                    .when(this::holdsSomething).to(APPLY_DUE)
                .end();
    }

    private void configureUpdateByConfig() {
        ConfigFiles files = stages.files();
        from(UPDATE_BY_CONFIG).routeId("ep2-update-by-config")
                .onException(Exception.class).handled(true)
                    .setProperty(RESTORED, method(files, "rollback"))
                    .process(e -> applyFailed(e, Ep2Metrics.RELOAD))
                    .log(LoggingLevel.ERROR, "update_by_config failed, a running HAProxy keeps its current config"
                            + "${exchangeProperty." + RESTORED + "}; retrying next round: ${exception.message}")
                    .to(WITHDRAW_NEW_SERVERS)
                .end()
                .setProperty(Round.PROPERTY, body())
                .to(KEEP_SERVING)
                // the round as it reads before the apply: once applied, its diff against what HAProxy has is empty
                .process(e -> e.setProperty(ROUND_SUMMARY, round(e).toString()))
                .log("applying ${exchangeProperty." + ROUND_SUMMARY + "} by update_by_config")
                .to(ENTER_NEW_SERVERS)
                .setBody(e -> round(e).configLines())
                .to(INSTALL_CONFIG)
                .removeProperty(ENTERED)        // reloaded: they are the config's servers now
                .process(e -> round(e).markApplied())
                .process(e -> applied(e, Ep2Metrics.RELOAD))
                .log("applied: HAProxy serves the backends of ${exchangeProperty." + ROUND_SUMMARY + "}")
                .bean(leaving, "recheckLater").id("ep2-recheck-later")
                .filter(this::holdsSomething)
                    .to(APPLY_DUE);

        // make before break: which servers are UP is read only when some leave, or at a pool's first
        // round while HAProxy runs (a restarted controller: the servers it kept are only in HAProxy);
        // if it cannot be read, they go as before (the reload itself does not depend on it)
        from(KEEP_SERVING).routeId("ep2-keep-serving").errorHandler(noErrorHandler())
                .setProperty(LeavingServers.ASKED, method(leaving, "asked")).id("ep2-leaving-asked")
                .filter(method(leaving, "asksAny"))
                    .doTry()
                        .setBody(method(leaving, "stateQueries"))
                        .to(stages.runtime().socketUri()).id("ep2-read-serving")
                        .setProperty(Round.PROPERTY, method(leaving, "keepServing")).id("ep2-keep-leaving")
                    .doCatch(Exception.class)
                        .log(LoggingLevel.WARN, "servers' state not read (${exception.message}): the servers "
                                + "this round removes go even if none of the others is UP yet")
                    .end()
                .end()
                .setBody(exchangeProperty(Round.PROPERTY));
    }

    /**
     * update_by_config: the round's new servers enter the running HAProxy over the socket, checked and
     * held DOWN until they pass, before the reload that writes them into its config — a new server
     * serves once it answers, not once the reload is through. Servers HAProxy already has are left to
     * the reload; if the socket cannot be used, all are: the reload does not depend on this step.
     */
    private void configureEnterNewServers() {
        String socket = stages.runtime().socketUri();
        from(ENTER_NEW_SERVERS).routeId("ep2-enter-new-servers").errorHandler(noErrorHandler())
                .process(e -> e.setProperty(NEW_SERVERS, round(e).newServers())).id("ep2-new-servers")
                .filter(e -> !newServers(e).isEmpty() && stages.control().runs())
                    .doTry()
                        // error replies are read, not thrown: a backend the reload brings is one pool left out
                        .setHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY, constant(false))
                        .setBody(e -> EarlyEntry.stateQueries(newServers(e)))
                        .to(socket).id("ep2-read-new-servers")
                        .setBody(e -> EarlyEntry.commands(EarlyEntry.absent(newServers(e), replies(e))))
                        .filter(simple("${body.isEmpty()} == false"))
                            .setProperty(ENTRY_COMMANDS, body())
                            .to(socket).id("ep2-add-new-servers")
                            .process(e -> e.setProperty(ENTERED, EarlyEntry.entered(
                                    e.getProperty(ENTRY_COMMANDS, List.class), replies(e)))).id("ep2-entered")
                            .log("added ahead of the reload, DOWN until their first passed check: ${exchangeProperty."
                                    + ENTERED + "}")
                        .endDoTry()
                    .doCatch(Exception.class)
                        .log(LoggingLevel.WARN, "new servers not added ahead of the reload (${exception.message}): "
                                + "they enter with it")
                    .end()
                .end()
                .removeHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY)
                .setBody(exchangeProperty(Round.PROPERTY));

        // a failed round leaves HAProxy as it was: the servers it entered go again (no session kept)
        from(WITHDRAW_NEW_SERVERS).routeId("ep2-withdraw-new-servers").errorHandler(noErrorHandler())
                .filter(e -> !entered(e).isEmpty())
                    .doTry()
                        .setBody(e -> EarlyEntry.withdrawal(entered(e)))
                        .setHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY, constant(false))
                        .to(socket).id("ep2-withdraw")
                        .removeHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY)
                        .log(LoggingLevel.WARN, "taken out of HAProxy again: ${exchangeProperty." + ENTERED + "}")
                    .doCatch(Exception.class)
                        .log(LoggingLevel.ERROR, "${exchangeProperty." + ENTERED + "} could not be taken out of "
                                + "HAProxy after the failed round (${exception.message}); the next reload drops them")
                    .end();
    }

    private void configureUpdateByRuntime() {
        // every round is a reconcile against HAProxy's own state (one cheap socket read), so drift
        // is repaired even when the orchestrator's answer did not change
        from(UPDATE_BY_RUNTIME).routeId("ep2-update-by-runtime")
                .onException(Exception.class).handled(true)
                    .setProperty(RESTORED, method(stages.files(), "rollback"))
                    .process(e -> stages.runtime().failed(e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)))
                    .process(e -> applyFailed(e, Ep2Metrics.RUNTIME))
                    .log(LoggingLevel.ERROR, "update_by_runtime failed, HAProxy's state is re-read and repaired next "
                            + "round: ${exception.message}${exchangeProperty." + RESTORED + "}")
                .end()
                .setProperty(Round.PROPERTY, body())
                .setBody(e -> targets(round(e)))
                .bean(stages.runtime(), "plan").id("ep2-plan")
                .setProperty(PLAN, body())
                .to(REENTER_SLOTS)
                .setBody(exchangeProperty(PLAN))
                .choice()
                    .when(simple("${body.outcome} == 'RELOAD'"))
                        .setBody(e -> plan(e).configLines())
                        .to(INSTALL_CONFIG)
                    .when(simple("${body.outcome} == 'RUNTIME'"))
                        .log("runtime update of ${exchangeProperty." + Round.PROPERTY + "}: ${body.commands.size()} commands"
                                + " over the stats socket")
                        .setBody(e -> plan(e).commands())
                        .to(stages.runtime().socketUri()).id("ep2-send-commands")
                        .to(DELETE_SERVERS)
                        .setBody(e -> plan(e).configLines())
                        .to(SYNC_CONFIG)
                    .otherwise()
                        .setBody(e -> plan(e).configLines())
                        .to(SYNC_CONFIG)
                .end()
                .process(e -> stages.runtime().applied(plan(e)))
                .process(e -> round(e).markApplied())
                .bean(leaving, "recheckUnsettled").id("ep2-recheck-unsettled")
                .filter(this::holdsSomething)
                    .to(APPLY_DUE)
                .end()
                .filter(simple("${exchangeProperty." + PLAN + ".outcome} != 'NOTHING_TO_SEND'"))
                    .process(e -> applied(e, plan(e).outcome() == RuntimePlan.Outcome.RELOAD
                            ? Ep2Metrics.RELOAD : Ep2Metrics.RUNTIME));
    }

    /**
     * Free slots that new servers re-enter are deleted and added again first (a fresh check task,
     * first due within max-spread-checks), with what makes them serve in the same batch (checks
     * must be enabled before that first check). Error replies are accepted: a slot HAProxy keeps
     * takes its server in place by the same commands; one it deleted but would not add again
     * turns the round into a reload.
     */
    private void configureReenterSlots() {
        from(REENTER_SLOTS).routeId("ep2-reenter-slots").errorHandler(noErrorHandler())
                .filter(e -> !plan(e).reentries().isEmpty())
                    .setBody(e -> plan(e).reentryBatch())
                    .setHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY, constant(false))
                    .to(stages.runtime().socketUri()).id("ep2-del-add-server")
                    .removeHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY)
                    .process(e -> e.setProperty(PLAN, stages.runtime().reentered(plan(e), e.getMessage().getBody(List.class))))
                    .id("ep2-reentered");
    }

    /**
     * Slots added past node_slots and free again are deleted, so the backend shrinks back. Error
     * replies are accepted here: a server HAProxy will not delete yet (a connection came back)
     * stays as a free slot in the plan, and the next round tries again.
     */
    private void configureDeleteServers() {
        from(DELETE_SERVERS).routeId("ep2-delete-servers").errorHandler(noErrorHandler())
                .filter(e -> !plan(e).deletions().isEmpty())
                    .setBody(e -> plan(e).deletions())
                    .setHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY, constant(false))
                    .to(stages.runtime().socketUri()).id("ep2-del-server")
                    .removeHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY)
                    .process(e -> e.setProperty(PLAN, stages.runtime().deleted(plan(e), e.getMessage().getBody(List.class))))
                    .id("ep2-deleted");
    }

    /** The config steps both branches use; their failures reach the calling branch's onException. */
    private void configureConfigSteps() {
        ConfigFiles files = stages.files();
        from(INSTALL_CONFIG).routeId("ep2-install-config").errorHandler(noErrorHandler())
                .bean(stages.renderer(), "render").id("ep2-render")
                .setProperty(ConfigFiles.CONTENT, body())
                .choice()
                    .when(method(files, "alreadyLoaded"))
                        .log("HAProxy already runs this config: nothing to reload")
                    .otherwise()
                        .bean(files, "writeCandidate").id("ep2-write-candidate")
                        .to(VALIDATE_CONFIG)
                        .bean(files, "install").id("ep2-write")
                        .to(SAVE_SERVER_STATE)
                        .bean(stages.control(), "reloadOrStart").id("ep2-reload")
                        .bean(files, "recordLoaded")
                .end()
                .bean(files, "written");

        // update_by_config: the servers' state (health, weights, drain, maint) saved right before the
        // reload, for the new workers to load; a failure to save does not stop the reload, it only
        // empties the file so no older state is loaded in its place
        from(SAVE_SERVER_STATE).routeId("ep2-save-server-state").errorHandler(noErrorHandler())
                .filter(method(stages.serverState(), "enabled"))
                    .choice()
                        .when(method(stages.control(), "isRunning")).to(SHOW_SERVERS_STATE)
                        .otherwise().bean(stages.serverState(), "clear").id("ep2-clear-server-state")
                    .end();

        from(SHOW_SERVERS_STATE).routeId("ep2-show-servers-state").errorHandler(noErrorHandler())
                .doTry()
                    .setBody(constant("show servers state"))
                    .to(stages.runtime().socketUri()).id("ep2-read-server-state")
                    .bean(stages.serverState(), "save").id("ep2-write-server-state")
                .doCatch(Exception.class)
                    .bean(stages.serverState(), "clear")
                    .log(LoggingLevel.WARN, "servers' state not saved before the reload (${exception.message}): "
                            + "the new workers start from the config's initial server states")
                .end();

        from(SYNC_CONFIG).routeId("ep2-sync-config").errorHandler(noErrorHandler())
                .bean(stages.renderer(), "render").id("ep2-sync-render")
                .setProperty(ConfigFiles.CONTENT, body())
                .filter(method(files, "differs"))
                    .bean(files, "writeCandidate").id("ep2-sync-write-candidate")
                    .to(VALIDATE_CONFIG)
                    .bean(files, "install").id("ep2-sync-write")
                    .log("config file now matches the runtime state, no reload");

        // body: the candidate file; fails with HAProxy's own words when it refuses the config
        from(VALIDATE_CONFIG).routeId("ep2-validate-config").errorHandler(noErrorHandler())
                .process(stages.check()::command)
                .to(ExecCommandRunner.ENDPOINT).id("ep2-haproxy-check")
                .process(stages.check()::verdict).id("ep2-check-verdict");
    }

    /**
     * Something waits for a later round (held by the apply window, or a recheck offered again): the
     * one wake-up ep2-apply-due gives it is asked for (a second one in the queue is dropped). Not
     * once Camel stops: a round that keeps leaving servers offers its answer again after every
     * recheck, and each wake-up it asked for was another in-flight exchange the graceful stop waited
     * for — a stop while servers were kept took the whole shutdown timeout (30 s). What is held goes
     * with the controller; the next one's first round applies it.
     */
    private boolean holdsSomething(Exchange e) {
        return !e.getContext().isStopping() && pending.millisUntilDue() >= 0;
    }

    /** update_by_runtime plans every pool: the changed ones against HAProxy, the others as they are. */
    public static List<RuntimeTarget> targets(Round round) {
        return round.all().stream().map(p -> new RuntimeTarget(p.backend(), p.planner(), p.slots(), round.target(p),
                round.wanted().containsKey(p))).toList();
    }

    /** Poll: the split's body is the pool to fetch; the fetch route starts with an empty body. */
    private void startFetch(Exchange e) {
        Pool pool = e.getMessage().getBody(Pool.class);
        e.setProperty(POOL, pool);
        e.setProperty(POLLED, true);
        e.setProperty(FETCH_URI, pool.spec().fetchUri());
        e.setProperty(FETCH_STARTED, System.nanoTime());
        e.getMessage().setBody(null);
        e.getMessage().setHeader(ORCHESTRATOR_HEADER, pool.orchestrator());
    }

    /** A changed answer into the pending round: a poll tick's without the coalescing window (ApplyWindow). */
    private void queue(Exchange e) {
        BackendSet wanted = e.getMessage().getBody(BackendSet.class);
        if (e.getProperty(POLLED, false, Boolean.class)) {
            pending.offerPolled(pool(e), wanted, System.nanoTime());
        } else {
            pending.offer(pool(e), wanted, System.nanoTime());
        }
    }

    private void fetchFailed(Exchange e) {
        Pool pool = pool(e);
        pool.fetchHealth().failure(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
        long wait = pool.fetchHealth().backoffMillis();
        e.setProperty("ep2FetchFailure", "fetch for " + pool + " failed, its backends kept as they are; next try "
                + "in " + wait + " ms (or the next poll after it): " + pool.fetchHealth().lastError().orElse("?"));
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

    @SuppressWarnings("unchecked")
    private static List<EarlyEntry.NewServers> newServers(Exchange e) {
        return e.getProperty(NEW_SERVERS, List.class);
    }

    @SuppressWarnings("unchecked")
    private static List<String> entered(Exchange e) {
        List<String> entered = e.getProperty(ENTERED, List.class);
        return entered == null ? List.of() : entered;
    }

    @SuppressWarnings("unchecked")
    private static List<String> replies(Exchange e) {
        return e.getMessage().getBody(List.class);
    }

    private static RuntimePlan plan(Exchange e) {
        return e.getProperty(PLAN, RuntimePlan.class);
    }

    private static Duration since(Exchange e, String property) {
        return Duration.ofNanos(System.nanoTime() - e.getProperty(property, Long.class));
    }
}
