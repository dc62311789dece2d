package io.ep2camel.runtime;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.Slot;
import io.ep2camel.render.ServerLineFormat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * EP2's slot semantics, planned from what HAProxy reports (not from memory), so every round
 * also repairs drift: a server someone put in maintenance by hand, an HAProxy restarted from
 * an old file. Pure: state in, commands and the resulting layout out.
 *
 * <ul>
 *   <li>while none of the wanted servers is up, removed servers that are up keep serving
 *       (make before break);</li>
 *   <li>a removed server drains first and goes to maintenance (its slot back to the pool) once
 *       it has no sessions or the drain timeout passed;</li>
 *   <li>a new server takes a free slot, preferring one it can re-enter, then the one that last held
 *       its address: it gets the address with weight 0, is made ready, has its health forced down, and only then gets
 *       its weight, so it receives traffic only after passing its health checks; where dynamic
 *       servers work, a slot in maintenance since the read is deleted and added again instead
 *       ({@link SlotReentry}), so its first check comes within max-spread-checks, not at the old slot's phase;</li>
 *   <li>when no slot is free it is added with {@code add server} (HAProxy ≥ 2.4, which does not
 *       apply default-server to dynamic servers: every option is spelled out), or, where that is
 *       unsupported, the plan asks for one config rewrite + reload;</li>
 *   <li>a slot past node_slots that is free again (in maintenance, no sessions) is deleted
 *       ({@code del server}), so the backend shrinks back to node_slots.</li>
 * </ul>
 */
public final class SlotPlanner {
    static final String PLACEHOLDER_HOST = "0.0.0.0";
    static final int PLACEHOLDER_PORT = 1;
    /** srv_op_state of a server that is up (src/server.h SRV_ST_RUNNING) */
    static final int RUNNING = 2;
    /**
     * HAProxy 2.4 and 2.5 accept {@code add server} / {@code del server} only in experimental mode;
     * 2.6 and later accept the command and need nothing more. It is per CLI connection, and the
     * batch is one connection, so it goes right before the first of them.
     */
    static final String EXPERIMENTAL_MODE = "experimental-mode on";

    private final String backend;
    private final ServerLineFormat format;
    private final int nodeSlots;
    private final Duration drainTimeout;

    public SlotPlanner(String backend, ServerLineFormat format, int nodeSlots, Duration drainTimeout) {
        this.backend = backend;
        this.format = format;
        this.nodeSlots = nodeSlots;
        this.drainTimeout = drainTimeout;
    }

    /**
     * @param servers     {@code show servers state} of the backend (servers not named slotN are ignored)
     * @param sessions    current sessions per server name
     * @param wanted      the orchestrator's backends, hosts already resolved to IP addresses
     * @param drainSince  when each draining slot started draining; updated in place
     * @param dynamic     whether {@code add server} may be used
     */
    public SlotPlan plan(List<ServerState> servers, Map<String, Integer> sessions, BackendSet wanted,
                         Map<String, Instant> drainSince, Instant now, boolean dynamic) {
        List<ServerState> slots = servers.stream().filter(s -> Slot.index(s.name()) > 0)
                .sorted(Comparator.comparingInt(s -> Slot.index(s.name()))).toList();
        List<String> cmds = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        List<Slot> layout = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        // slots already in maintenance when HAProxy was read: only these may be deleted this round
        // (one put there by this round may still hold connections)
        Set<Integer> maintAtRead = new HashSet<>();
        // make before break: while none of the wanted servers is up yet, servers on their way out
        // keep serving, or a replacement would leave the backend with nobody to take requests
        boolean wantedUp = slots.stream().anyMatch(s -> s.serving() && wanted.contains(asBackend(s)));
        boolean holdRemovals = !wantedUp && !wanted.isEmpty();

        for (ServerState s : slots) {
            Backend want = wanted.find(asBackend(s));
            boolean keep = want != null && !placed.contains(s.address());
            if (s.inMaintenance()) {
                drainSince.remove(s.name());
                maintAtRead.add(layout.size());
                free.add(layout.size());
                layout.add(new Slot(s.name(), asBackend(s), false)); // remembers the address for reuse
            } else if (keep) {
                placed.add(s.address());
                drainSince.remove(s.name());
                if (s.draining()) {
                    cmds.add(set(s.name(), "state ready"));        // came back while draining
                }
                if (s.weight() != runtimeWeight(want)) {
                    cmds.add(set(s.name(), "weight " + runtimeWeight(want)));
                }
                layout.add(new Slot(s.name(), want, false));
            } else if (holdRemovals && s.serving()) {
                layout.add(new Slot(s.name(), asBackend(s), false));
            } else {
                if (s.live()) {
                    cmds.add(set(s.name(), "state drain"));
                }
                Instant since = drainSince.computeIfAbsent(s.name(), n -> now);
                boolean idle = sessions.getOrDefault(s.name(), 0) == 0;
                if (idle || !now.isBefore(since.plus(drainTimeout))) {
                    cmds.add(set(s.name(), "state maint"));
                    drainSince.remove(s.name());
                    free.add(layout.size());
                    layout.add(new Slot(s.name(), asBackend(s), false));
                } else {
                    layout.add(new Slot(s.name(), asBackend(s), true));
                }
            }
        }

        List<Backend> toPlace = wanted.backends().stream().filter(b -> !placed.contains(b.address())).toList();
        List<SlotReentry> reentries = new ArrayList<>();
        boolean needsReload = false;
        int nextIndex = slots.stream().mapToInt(s -> Slot.index(s.name())).max().orElse(0) + 1;
        // a free slot a new server can re-enter (del + add server): in maintenance since the read, no sessions
        IntPredicate reenterable = i -> dynamic && maintAtRead.contains(i) && sessions.getOrDefault(layout.get(i).name(), 0) == 0;
        for (Backend b : toPlace) {
            Integer at = takeFreeSlot(free, layout, b, reenterable);
            if (at != null) {
                String name = layout.get(at).name();
                List<String> inPlace = List.of(set(name, "addr " + b.host() + " port " + b.port()), set(name, "weight 0"),
                        set(name, "state ready"), set(name, "health down"), set(name, "weight " + runtimeWeight(b)));
                if (reenterable.test(at)) {
                    // the same commands, checks enabled before ready: a re-added server starts with them off
                    List<String> followUp = new ArrayList<>(inPlace);
                    followUp.add(2, "enable health " + backend + "/" + name);
                    reentries.add(new SlotReentry(backend, name, addServer(name, b), followUp));
                } else {
                    cmds.addAll(inPlace);
                }
                layout.set(at, new Slot(name, b, false));
            } else if (dynamic) {
                String name = Slot.PREFIX + nextIndex++;
                if (!cmds.contains(EXPERIMENTAL_MODE)) {
                    cmds.add(EXPERIMENTAL_MODE);
                }
                cmds.addAll(gatedAdd(backend, name, b, format));
                layout.add(new Slot(name, b, false));
            } else {
                needsReload = true;
                layout.add(new Slot(Slot.PREFIX + nextIndex++, b, false));
            }
        }
        // slots added past node_slots shrink back once free: in maintenance since before this
        // round and without sessions (HAProxy refuses to delete a server that still has any)
        List<String> deletions = new ArrayList<>();
        Set<String> deleted = new HashSet<>();
        for (int i : free) {
            String name = layout.get(i).name();
            if (Slot.index(name) > nodeSlots && maintAtRead.contains(i) && sessions.getOrDefault(name, 0) == 0) {
                if (deletions.isEmpty()) {
                    deletions.add(EXPERIMENTAL_MODE);
                }
                deletions.add("del server " + backend + "/" + name);
                deleted.add(name);
            } else {
                layout.set(i, Slot.free(name));
            }
        }
        List<Slot> kept = layout.stream().filter(s -> !deleted.contains(s.name())).toList();
        return new SlotPlan(cmds, kept, needsReload, deletions, reentries);
    }

    /** HAProxy ≥ 2.4 does not apply default-server to dynamic servers: every option is spelled out. */
    private String addServer(String name, Backend b) {
        return addServer(backend, name, b, format);
    }

    private static String addServer(String backend, String name, Backend b, ServerLineFormat format) {
        return "add server " + backend + "/" + name + " " + b.address() + " " + format.dynamicOptions(0) + " weight 0";
    }

    /**
     * A server made by {@code add server} and gated on its health check: added at weight 0 with every
     * option spelled out, checks enabled, made ready but held DOWN until its first check passes, then
     * given its weight. One batch: the commands run in this order on one connection, so no request
     * reaches it before the check.
     */
    static List<String> gatedAdd(String backend, String name, Backend b, ServerLineFormat format) {
        String server = backend + "/" + name;
        return List.of(addServer(backend, name, b, format), "enable health " + server, "set server " + server + " state ready",
                "set server " + server + " health down", "set server " + server + " weight " + runtimeWeight(b));
    }

    /** slotN of a {@code del server <backend>/slotN} command this planner wrote; null for any other command. */
    public static String deletedSlot(String command) {
        return command.startsWith("del server ") ? command.substring(command.lastIndexOf('/') + 1) : null;
    }

    /** The layout of a fresh config: the backends in slot1..k, then free slots up to node_slots. */
    public List<Slot> initialLayout(BackendSet wanted) {
        List<Slot> layout = new ArrayList<>();
        for (Backend b : wanted.backends()) {
            layout.add(new Slot(Slot.PREFIX + (layout.size() + 1), b, false));
        }
        while (layout.size() < nodeSlots) {
            layout.add(Slot.free(Slot.PREFIX + (layout.size() + 1)));
        }
        return layout;
    }

    /** Server lines for a layout: free and draining slots are written {@code disabled}. */
    public List<String> serverLines(List<Slot> layout) {
        List<String> lines = new ArrayList<>();
        for (Slot s : layout) {
            if (s.isFree()) {
                lines.add("server " + s.name() + " " + PLACEHOLDER_HOST + ":" + PLACEHOLDER_PORT + " "
                        + format.options(0) + " disabled");
            } else {
                lines.add("server " + s.name() + " " + s.backend().address() + " " + format.options(s.backend().weight())
                        + (s.draining() ? " disabled" : ""));
            }
        }
        return lines;
    }

    /**
     * A free slot for a new server. One it can re-enter (a fresh check task, first check within
     * max-spread-checks) before one taken in place (first check at the old task's phase, up to one inter
     * later: a slot drained to maintenance in this same round is such a one, and picking it by
     * its lower index cost rolling steps ~1 s); among each, the slot that last held this address
     * first (its stats and state history stay with it), then the lowest index (slots past
     * node_slots stay free and shrink back).
     */
    private static Integer takeFreeSlot(List<Integer> free, List<Slot> layout, Backend b, IntPredicate reenterable) {
        Integer best = null;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < free.size(); i++) {
            Slot s = layout.get(free.get(i));
            boolean sameAddress = s.backend() != null && s.backend().address().equals(b.address());
            int rank = (reenterable.test(free.get(i)) ? 0 : 2) + (sameAddress ? 0 : 1);
            if (rank < bestRank) {
                best = i;
                bestRank = rank;
            }
        }
        return best == null ? null : free.remove((int) best);
    }

    private String set(String server, String what) {
        return "set server " + backend + "/" + server + " " + what;
    }

    private static int runtimeWeight(Backend b) {
        return b.weight() > 0 ? b.weight() : 1;
    }

    private static Backend asBackend(ServerState s) {
        try {
            return new Backend(s.host(), s.port());
        } catch (IllegalArgumentException e) {
            return new Backend(PLACEHOLDER_HOST, PLACEHOLDER_PORT);
        }
    }
}
