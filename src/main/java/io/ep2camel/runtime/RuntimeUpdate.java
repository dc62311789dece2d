package io.ep2camel.runtime;

import io.ep2camel.model.BackendSet;
import io.ep2camel.pipeline.AppliedBackends;
import io.ep2camel.pipeline.ConfigUpdate;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.socket.HaproxySocketException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * update_by_runtime, as the steps of its route: {@link #plan} reads HAProxy's own state through
 * the haproxy-socket component and plans the round (or starts/reloads HAProxy when it is not
 * running or has no slots), the route sends the plan's commands in one batch, {@link #syncConfig}
 * writes the resulting layout to disk without a reload.
 */
public class RuntimeUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeUpdate.class);
    public static final String PLAN = "ep2.slotPlan";
    /** Exchange property: how this round changed HAProxy ("runtime" or "reload"), unset when it did not. */
    public static final String APPLY_KIND = "ep2.applyKind";

    private final SlotPlanner planner;
    private final HaproxyConfigRenderer renderer;
    private final ConfigUpdate files;
    private final HaproxyControl control;
    private final AppliedBackends applied;
    private final String socketUri;
    private final String backend;
    private final Supplier<CamelContext> context;
    private final Map<String, Instant> drainSince = new ConcurrentHashMap<>();
    private volatile boolean dynamicServers = true;
    private volatile ProducerTemplate producer;
    private volatile List<Slot> layout = List.of();

    public RuntimeUpdate(SlotPlanner planner, HaproxyConfigRenderer renderer, ConfigUpdate files,
                         HaproxyControl control, AppliedBackends applied, String socketUri, String backend,
                         Supplier<CamelContext> context) {
        this.planner = planner;
        this.renderer = renderer;
        this.files = files;
        this.control = control;
        this.applied = applied;
        this.socketUri = socketUri;
        this.backend = backend;
        this.context = context;
    }

    public String socketUri() {
        return socketUri;
    }

    /** The slots as of the last successful round. */
    public List<Slot> layout() {
        return layout;
    }

    /**
     * Body in: the wanted BackendSet. Body out: the SlotPlan's commands (empty when there is
     * nothing to send); the plan itself in exchange property {@link #PLAN}, or none when this
     * round was handled by a config write + start/reload.
     */
    public void plan(Exchange exchange) throws Exception {
        BackendSet wanted = exchange.getMessage().getBody(BackendSet.class);
        exchange.setProperty("ep2.wanted", wanted);
        exchange.getMessage().setBody(List.of());
        if (!control.isRunning()) {
            LOG.info("HAProxy is not running: starting it with {} backends in {} slots", wanted.size(),
                    planner.initialLayout(wanted).size());
            writeAndReload(planner.initialLayout(wanted), wanted, exchange);
            return;
        }
        List<ServerState> servers;
        Map<String, Integer> sessions;
        try {
            List<String> replies = socket(List.of("show servers state " + backend, "show stat " + backend + " 4 -1"));
            servers = RuntimeReplies.serversState(replies.get(0));
            sessions = RuntimeReplies.currentSessions(replies.get(1));
        } catch (HaproxySocketException e) {
            if (!e.getMessage().contains("Can't find backend") && !e.getMessage().contains("No such")) {
                throw e;
            }
            servers = List.of();
            sessions = Map.of();
        }
        if (servers.stream().noneMatch(s -> Slot.index(s.name()) > 0)) {
            LOG.warn("backend {} in the running HAProxy has no slots; writing the slot config and reloading once", backend);
            writeAndReload(planner.initialLayout(wanted), wanted, exchange);
            return;
        }
        SlotPlan plan = planner.plan(servers, sessions, wanted, drainSince, Instant.now(), dynamicServers);
        if (plan.needsReload()) {
            LOG.warn("{} backends do not fit the free slots and servers cannot be added at runtime: "
                    + "growing to {} slots with one reload", wanted.size(), plan.layout().size());
            writeAndReload(plan.layout(), wanted, exchange);
            return;
        }
        exchange.setProperty(PLAN, plan);
        exchange.getMessage().setBody(plan.commands());
        if (!plan.commands().isEmpty()) {
            exchange.setProperty(APPLY_KIND, "runtime");
            LOG.info("runtime update of {}: {} commands over the stats socket", backend, plan.commands().size());
        }
    }

    /**
     * What a round would do, touching nothing: the commands it would send (none when HAProxy is
     * not running: then it would write the returned layout and start HAProxy) and the layout.
     */
    public SlotPlan preview(BackendSet wanted) throws Exception {
        if (!control.isRunning()) {
            return new SlotPlan(List.of(), planner.initialLayout(wanted), true);
        }
        List<String> replies = socket(List.of("show servers state " + backend, "show stat " + backend + " 4 -1"));
        return planner.plan(RuntimeReplies.serversState(replies.get(0)), RuntimeReplies.currentSessions(replies.get(1)),
                wanted, new java.util.HashMap<>(drainSince), Instant.now(), dynamicServers);
    }

    /** The config file a layout renders to. */
    public String render(SlotPlan plan) throws Exception {
        return render(plan.layout());
    }

    /** After the commands went through: the file on disk follows the runtime state. */
    public void syncConfig(Exchange exchange) throws Exception {
        SlotPlan plan = exchange.getProperty(PLAN, SlotPlan.class);
        if (plan != null) {
            if (files.writeWithoutReload(render(plan.layout()))) {
                LOG.info("config file now matches the runtime state ({} slots), no reload", plan.layout().size());
            }
            layout = plan.layout();
        }
        applied.markApplied(exchange.getProperty("ep2.wanted", BackendSet.class));
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

    private void writeAndReload(List<Slot> newLayout, BackendSet wanted, Exchange exchange) throws Exception {
        files.writeAndReload(render(newLayout));
        drainSince.clear();
        layout = newLayout;
        exchange.setProperty(APPLY_KIND, "reload");
        applied.markApplied(wanted);
    }

    private String render(List<Slot> layout) throws Exception {
        return renderer.renderLines(planner.serverLines(layout),
                layout.stream().filter(s -> !s.isFree()).map(Slot::backend).toList());
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
