package io.ep2camel.runtime;

import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.Slot;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.runtime.RuntimePlan.Outcome;
import io.ep2camel.runtime.RuntimePlan.PlannedPool;
import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.socket.HaproxySocketException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * update_by_runtime's planning step: reads HAProxy's own state of every changed pool through the
 * haproxy-socket component (one call) and decides the round's {@link Outcome}; the route then
 * takes the branch: the commands to the socket and the file synced, or the config written and
 * HAProxy reloaded once (not running, a backend it lacks, slots that must grow).
 */
public class RuntimeUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeUpdate.class);

    private final HaproxyControl control;
    private final String socketUri;
    private final Supplier<CamelContext> context;
    private volatile boolean dynamicServers = true;
    private volatile ProducerTemplate producer;

    public RuntimeUpdate(HaproxyControl control, String socketUri, Supplier<CamelContext> context) {
        this.control = control;
        this.socketUri = socketUri;
        this.context = context;
    }

    public String socketUri() {
        return socketUri;
    }

    /** The round's plan; draining servers' start times are recorded (the round will apply it). */
    public RuntimePlan plan(List<RuntimeTarget> targets) throws IOException {
        return plan(targets, true);
    }

    /** The same plan, touching nothing: a dry run's view of what a round would do. */
    public RuntimePlan preview(List<RuntimeTarget> targets) throws IOException {
        return plan(targets, false);
    }

    /** @param live true for a real round: it logs, and planning records drain starts in the pools' state */
    private RuntimePlan plan(List<RuntimeTarget> targets, boolean live) throws IOException {
        List<RuntimeTarget> changed = targets.stream().filter(RuntimeTarget::changed).toList();
        if (!control.isRunning()) {
            if (live) {
                LOG.info("HAProxy is not running: starting it with {}", changed);
            }
            return reload(initialLayouts(targets));
        }
        Map<RuntimeTarget, SlotPlan> plans;
        try {
            plans = plans(changed, t -> live ? t.slots().drainSince() : new HashMap<>(t.slots().drainSince()));
        } catch (HaproxySocketException e) {
            // only HAProxy's own answer that it lacks the backend means "reload with the slots";
            // a socket that cannot be reached is an outage of its own, reported as what it is
            if (!lacksBackend(e)) {
                throw e;
            }
            if (live) {
                LOG.warn("the running HAProxy lacks a pool's backend ({}); writing the config and reloading once",
                        e.getMessage());
            }
            return reload(initialLayouts(targets));
        }
        if (plans.values().stream().anyMatch(SlotPlan::needsReload)) {
            if (live) {
                LOG.warn("{} do(es) not fit the running HAProxy's slots and servers cannot be added there at runtime: "
                        + "writing the grown slots with one reload", plans.keySet());
            }
            return reload(layouts(targets, plans));
        }
        List<String> commands = plans.values().stream().flatMap(p -> p.commands().stream()).toList();
        List<SlotReentry> reentries = plans.values().stream().flatMap(p -> p.reentries().stream()).toList();
        boolean deletions = plans.values().stream().anyMatch(p -> !p.deletions().isEmpty());
        return new RuntimePlan(commands.isEmpty() && !deletions && reentries.isEmpty() ? Outcome.NOTHING_TO_SEND
                : Outcome.RUNTIME, commands, layouts(targets, plans), reentries);
    }

    /**
     * After the re-entry batch ({@link RuntimePlan#reentryBatch()}, sent with error replies accepted):
     * a re-entered slot HAProxy added again, or one it kept (still holding a connection; its del and
     * add fail), has taken its new server with the follow-up commands, which must all have been
     * accepted. One it deleted but would not add again (a backend whose balance algorithm has no
     * dynamic servers) is gone from HAProxy: servers are no longer added at runtime, and this round
     * writes the planned slots with one reload.
     *
     * @param replies HAProxy's replies, one per command of the re-entry batch
     * @throws HaproxySocketException naming each follow-up command HAProxy rejected
     */
    public RuntimePlan reentered(RuntimePlan plan, List<String> replies) {
        boolean lost = false;
        List<HaproxySocketException.FailedCommand> rejected = new ArrayList<>();
        int at = 1;   // reply 0 answers experimental-mode on
        for (SlotReentry r : plan.reentries()) {
            String deleted = replies.get(at);
            String added = replies.get(at + 1);
            if (!HaproxySocketClient.isErrorReply(added)) {
                LOG.info("{}/{} deleted and added again for its new server (a check task of its own)", r.backend(), r.slot());
            } else if (HaproxySocketClient.isErrorReply(deleted)) {
                LOG.info("HAProxy keeps {}/{} for now ({}): the new server takes it in place", r.backend(), r.slot(),
                        deleted.lines().findFirst().orElse(""));
            } else {
                lost = true;
                dynamicServers = false;
                LOG.warn("HAProxy deleted {}/{} but refused '{}' ({}); servers are no longer added at runtime, and this "
                        + "round writes the slots with one reload", r.backend(), r.slot(), r.added(),
                        added.lines().findFirst().orElse(""));
            }
            for (int i = 0; i < r.followUp().size(); i++) {
                String reply = replies.get(at + 2 + i);
                if (!lost && HaproxySocketClient.isErrorReply(reply)) {
                    rejected.add(new HaproxySocketException.FailedCommand(r.followUp().get(i), reply));
                }
            }
            at += r.commands().size();
        }
        if (lost) {
            return new RuntimePlan(Outcome.RELOAD, List.of(), plan.pools());
        }
        if (!rejected.isEmpty()) {
            throw new HaproxySocketException(socketUri, rejected);
        }
        return new RuntimePlan(Outcome.RUNTIME, plan.commands(), plan.pools());
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
     * One socket call reads the state of every changed pool; each is then planned against what
     * HAProxy reports. A pool whose backend has no slots (an HAProxy started from another config)
     * gets a plan that asks for the reload writing them.
     *
     * @param drainSince each pool's draining servers, which planning updates (a preview passes copies)
     */
    private Map<RuntimeTarget, SlotPlan> plans(List<RuntimeTarget> changed,
                                               Function<RuntimeTarget, Map<String, Instant>> drainSince) {
        List<String> reads = new ArrayList<>();
        changed.forEach(t -> reads.addAll(List.of("show servers state " + t.backend(), "show stat " + t.backend() + " 4 -1")));
        List<String> replies = socket(reads);
        Map<RuntimeTarget, SlotPlan> plans = new LinkedHashMap<>();
        for (int i = 0; i < changed.size(); i++) {
            RuntimeTarget target = changed.get(i);
            List<ServerState> servers = RuntimeReplies.serversState(replies.get(2 * i));
            if (servers.stream().noneMatch(s -> Slot.index(s.name()) > 0)) {
                LOG.warn("backend {} in the running HAProxy has no slots", target.backend());
                plans.put(target, new SlotPlan(List.of(), target.planner().initialLayout(target.wanted()), true));
                continue;
            }
            plans.put(target, target.planner().plan(servers, RuntimeReplies.currentSessions(replies.get(2 * i + 1)),
                    target.wanted(), drainSince.apply(target), Instant.now(), dynamicServers));
        }
        return plans;
    }

    /** After the round went through: a reload put every pool in its layout, a runtime batch the planned ones. */
    public void applied(RuntimePlan plan) {
        boolean reloaded = plan.outcome() == Outcome.RELOAD;
        plan.pools().stream().filter(p -> reloaded || p.planned())
                .forEach(p -> p.target().slots().applied(p.layout(), reloaded));
    }

    /**
     * A round failed. If HAProxy itself refused {@code add server} (or the {@code experimental-mode on}
     * before it, on an HAProxy older than 2.4) — read from the failed commands of its answer, not
     * from any message text — slots grow by a config rewrite + reload from now on.
     */
    public void failed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HaproxySocketException hse && dynamicServers) {
                hse.getFailures().stream()
                        .filter(f -> f.command().startsWith("add server ") || f.command().equals(SlotPlanner.EXPERIMENTAL_MODE))
                        .findFirst()
                        .ifPresent(f -> {
                            dynamicServers = false;
                            LOG.warn("HAProxy refused '{}' ({}); slots will grow by a config rewrite + reload instead",
                                    f.command(), f.reply().lines().findFirst().orElse(""));
                        });
                return;
            }
        }
    }

    /** Whether slots past node_slots are added at runtime ({@code add server}); false once HAProxy refused it. */
    public boolean dynamicServers() {
        return dynamicServers;
    }

    /**
     * After the {@code del server} batch (sent with error replies accepted): a deletion HAProxy refused
     * (the server took a connection again, a queue) leaves its slot free in the layout, and the next
     * round tries again; each outcome is logged.
     *
     * @param replies HAProxy's replies, one per command of {@link RuntimePlan#deletions()}
     */
    public RuntimePlan deleted(RuntimePlan plan, List<String> replies) {
        List<String> commands = plan.deletions();
        Map<String, java.util.Set<String>> refused = new HashMap<>();
        for (int i = 0; i < commands.size() && i < replies.size(); i++) {
            String slot = SlotPlanner.deletedSlot(commands.get(i));
            if (slot == null) {
                continue;
            }
            String backend = commands.get(i).substring("del server ".length(), commands.get(i).lastIndexOf('/'));
            if (HaproxySocketClient.isErrorReply(replies.get(i))) {
                refused.computeIfAbsent(backend, b -> new java.util.HashSet<>()).add(slot);
                LOG.info("HAProxy keeps {}/{} for now ({}); deleting it is retried next round", backend, slot,
                        replies.get(i).lines().findFirst().orElse(""));
            } else {
                LOG.info("{}/{} deleted: the backend shrinks back towards node_slots", backend, slot);
            }
        }
        return refused.isEmpty() ? plan : plan.keeping(refused);
    }

    private static RuntimePlan reload(List<PlannedPool> pools) {
        return new RuntimePlan(Outcome.RELOAD, List.of(), pools);
    }

    /** Every pool's layout after this round: planned for the changed pools, as last applied for the others. */
    private static List<PlannedPool> layouts(List<RuntimeTarget> targets, Map<RuntimeTarget, SlotPlan> plans) {
        return targets.stream().map(t -> plans.containsKey(t)
                ? new PlannedPool(t, plans.get(t).layout(), true, plans.get(t).deletions())
                : new PlannedPool(t, current(t), false)).toList();
    }

    /** A fresh start: every pool in slot1..k, free slots up to its node_slots. */
    private static List<PlannedPool> initialLayouts(List<RuntimeTarget> targets) {
        return targets.stream().map(t -> new PlannedPool(t, t.planner().initialLayout(t.wanted()), t.changed())).toList();
    }

    private static List<Slot> current(RuntimeTarget t) {
        List<Slot> layout = t.slots().layout();
        return layout.isEmpty() ? t.planner().initialLayout(t.wanted()) : layout;
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
