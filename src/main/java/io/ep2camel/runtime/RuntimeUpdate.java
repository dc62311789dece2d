package io.ep2camel.runtime;

import io.ep2camel.model.BackendSet;
import io.ep2camel.pipeline.ConfigUpdate;
import io.ep2camel.pipeline.Pool;
import io.ep2camel.pipeline.Round;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.socket.HaproxySocketException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ep2camel.render.PoolLines;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * update_by_runtime, as the steps of its route: {@link #plan} reads HAProxy's own state of every
 * pool in the round through the haproxy-socket component and plans it (or starts/reloads HAProxy
 * when it is not running, lacks a pool's backend or slots), the route sends the commands of all
 * pools in one batch, {@link #syncConfig} writes the resulting layout to disk without a reload.
 */
public class RuntimeUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeUpdate.class);
    public static final String PLANS = "ep2.slotPlans";
    /** Exchange property: how this round changed HAProxy ("runtime" or "reload"), unset when it did not. */
    public static final String APPLY_KIND = "ep2.applyKind";

    private final HaproxyConfigRenderer renderer;
    private final ConfigUpdate files;
    private final HaproxyControl control;
    private final String socketUri;
    private final Supplier<CamelContext> context;
    private volatile boolean dynamicServers = true;
    private volatile ProducerTemplate producer;

    public RuntimeUpdate(HaproxyConfigRenderer renderer, ConfigUpdate files, HaproxyControl control, String socketUri,
                         Supplier<CamelContext> context) {
        this.renderer = renderer;
        this.files = files;
        this.control = control;
        this.socketUri = socketUri;
        this.context = context;
    }

    public String socketUri() {
        return socketUri;
    }

    /**
     * Body in: the {@link Round}. Body out: the commands of every changed pool, in pool order
     * (empty when there is nothing to send); the plans in exchange property {@link #PLANS}, or
     * none when this round was handled by a config write + start/reload.
     */
    public void plan(Exchange exchange) throws Exception {
        Round round = exchange.getMessage().getBody(Round.class);
        exchange.getMessage().setBody(List.of());
        if (!control.isRunning()) {
            LOG.info("HAProxy is not running: starting it with {}", round);
            writeAndReload(initialLayouts(round), round, exchange);
            return;
        }
        Map<Pool, SlotPlan> plans;
        try {
            plans = plans(round, pool -> pool.slots().drainSince());
        } catch (HaproxySocketException e) {
            // only HAProxy's own answer that it lacks the backend means "reload with the slots";
            // a socket that cannot be reached is an outage of its own, reported as what it is
            if (!lacksBackend(e)) {
                throw e;
            }
            LOG.warn("the running HAProxy lacks a pool's backend ({}); writing the config and reloading once",
                    e.getMessage());
            writeAndReload(initialLayouts(round), round, exchange);
            return;
        }
        if (plans.values().stream().anyMatch(SlotPlan::needsReload)) {
            LOG.warn("{} does not fit the running HAProxy's slots and servers cannot be added there at runtime: "
                    + "writing the grown slots with one reload", round);
            writeAndReload(layouts(round, plans), round, exchange);
            return;
        }
        exchange.setProperty(PLANS, plans);
        List<String> commands = plans.values().stream().flatMap(p -> p.commands().stream()).toList();
        exchange.getMessage().setBody(commands);
        if (!commands.isEmpty()) {
            exchange.setProperty(APPLY_KIND, "runtime");
            LOG.info("runtime update of {}: {} commands over the stats socket", round, commands.size());
        }
    }

    /**
     * HAProxy answered a state read that it has no such backend: "Can't find backend." to
     * {@code show servers state}, "No such proxy." to {@code show stat} (2.6.12 and 3.0.11 alike).
     */
    private static boolean lacksBackend(HaproxySocketException e) {
        return e.isErrorReply() && e.getFailures().stream().map(HaproxySocketException.FailedCommand::reply)
                .anyMatch(r -> r.startsWith("Can't find backend") || r.startsWith("No such proxy")
                        || r.startsWith("No such backend"));
    }

    /**
     * One socket call reads the state of every pool in the round; each pool is then planned
     * against what HAProxy reports. A pool whose backend has no slots (an HAProxy started from
     * another config) gets a plan that asks for the reload writing them.
     *
     * @param drainSince each pool's draining servers, which planning updates (a preview passes copies)
     */
    private Map<Pool, SlotPlan> plans(Round round, Function<Pool, Map<String, Instant>> drainSince) {
        List<Pool> changed = round.changed();
        List<String> reads = new ArrayList<>();
        changed.forEach(p -> reads.addAll(List.of("show servers state " + p.backend(), "show stat " + p.backend() + " 4 -1")));
        List<String> replies = socket(reads);
        Map<Pool, SlotPlan> plans = new LinkedHashMap<>();
        for (int i = 0; i < changed.size(); i++) {
            Pool pool = changed.get(i);
            SlotPlanner planner = pool.slots().planner();
            BackendSet wanted = round.target(pool);
            List<ServerState> servers = RuntimeReplies.serversState(replies.get(2 * i));
            if (servers.stream().noneMatch(s -> Slot.index(s.name()) > 0)) {
                LOG.warn("backend {} in the running HAProxy has no slots", pool.backend());
                plans.put(pool, new SlotPlan(List.of(), planner.initialLayout(wanted), true));
                continue;
            }
            plans.put(pool, planner.plan(servers, RuntimeReplies.currentSessions(replies.get(2 * i + 1)), wanted,
                    drainSince.apply(pool), Instant.now(), dynamicServers));
        }
        return plans;
    }

    /**
     * What a round would do, touching nothing: per changed pool the commands it would send and
     * its layout; every plan asks for a reload when HAProxy is not running (it would be started).
     */
    public Map<Pool, SlotPlan> preview(Round round) throws java.io.IOException {
        if (!control.isRunning()) {
            Map<Pool, SlotPlan> plans = new LinkedHashMap<>();
            round.changed().forEach(p -> plans.put(p, new SlotPlan(List.of(), p.slots().planner().initialLayout(round.target(p)), true)));
            return plans;
        }
        return plans(round, pool -> new HashMap<>(pool.slots().drainSince()));
    }

    /** The config file a round's plans render to. */
    public String render(Round round, Map<Pool, SlotPlan> plans) throws Exception {
        return render(layouts(round, plans));
    }

    /** After the commands went through: the file on disk follows the runtime state. */
    public void syncConfig(Exchange exchange) throws Exception {
        Round round = exchange.getProperty(Round.PROPERTY, Round.class);
        @SuppressWarnings("unchecked")
        Map<Pool, SlotPlan> plans = exchange.getProperty(PLANS, Map.class);
        if (plans != null) {
            Map<Pool, List<Slot>> layouts = layouts(round, plans);
            if (files.writeWithoutReload(render(layouts))) {
                LOG.info("config file now matches the runtime state of {}, no reload", round.changed());
            }
            plans.forEach((pool, plan) -> pool.slots().applied(plan.layout(), false));
        }
        round.markApplied();
    }

    /** A batch failed: if HAProxy refused {@code add server}, plan reloads for slot growth from now on. */
    public void failed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String msg = e == null ? "unknown error" : e.getMessage();
        if (dynamicServers && msg != null && msg.contains("add server")) {
            dynamicServers = false;
            LOG.warn("HAProxy refused 'add server'; slots will grow by a config rewrite + reload instead");
        }
        LOG.error("update_by_runtime failed, HAProxy's state is re-read and repaired next round: {}", msg);
    }

    private void writeAndReload(Map<Pool, List<Slot>> layouts, Round round, Exchange exchange) throws Exception {
        files.writeAndReload(render(layouts));
        layouts.forEach((pool, layout) -> pool.slots().applied(layout, true));
        exchange.setProperty(APPLY_KIND, "reload");
        round.markApplied();
    }

    /** Every pool's layout after this round: planned for the changed pools, as last applied for the others. */
    private static Map<Pool, List<Slot>> layouts(Round round, Map<Pool, SlotPlan> plans) {
        Map<Pool, List<Slot>> layouts = new LinkedHashMap<>();
        for (Pool p : round.all()) {
            SlotPlan plan = plans.get(p);
            layouts.put(p, plan != null ? plan.layout() : current(p, round));
        }
        return layouts;
    }

    /** A fresh start: every pool in slot1..k, free slots up to its node_slots. */
    private static Map<Pool, List<Slot>> initialLayouts(Round round) {
        Map<Pool, List<Slot>> layouts = new LinkedHashMap<>();
        round.all().forEach(p -> layouts.put(p, p.slots().planner().initialLayout(round.target(p))));
        return layouts;
    }

    private static List<Slot> current(Pool p, Round round) {
        List<Slot> layout = p.slots().layout();
        return layout.isEmpty() ? p.slots().planner().initialLayout(round.target(p)) : layout;
    }

    private String render(Map<Pool, List<Slot>> layouts) throws Exception {
        List<PoolLines> lines = new ArrayList<>();
        layouts.forEach((pool, layout) -> lines.add(new PoolLines(pool.backend(), pool.slots().planner().serverLines(layout),
                layout.stream().filter(s -> !s.isFree()).map(Slot::backend).toList())));
        return renderer.render(lines);
    }

    private List<String> socket(List<String> commands) {
        if (producer == null) {
            producer = context.get().createProducerTemplate();
        }
        try {
            @SuppressWarnings("unchecked")
            List<String> replies = producer.requestBody(socketUri, commands, List.class);
            return replies;
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof HaproxySocketException hse) {
                throw hse;
            }
            throw e;
        }
    }
}
