package io.ep2camel.pipeline;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.runtime.RuntimePlan;
import io.ep2camel.runtime.RuntimeReplies;
import io.ep2camel.runtime.ServerState;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Make before break for update_by_config. A reload starts the servers it adds DOWN until their
 * first passed check (the state file's lines for them), so a round that adds servers and removes
 * the backend's last UP ones — a pool replaced at once, or a rolling step coalesced with the one
 * before — would leave the backend with nobody to take requests until a new server passes its
 * checks: HAProxy answers 503 meanwhile, for as long as a new instance takes to boot. So while none
 * of the servers a pool keeps (its answer's, or the template's own) is UP, the leaving servers that
 * are UP stay in the config, and the pool's answer is offered again after a pause
 * ({@link #FIRST_RECHECK} doubling to {@link #MAX_RECHECK}); a later round removes them once
 * another server is UP. update_by_runtime's slot planner does the same for its slots, and its
 * pools are rechecked the same way ({@link #recheckUnsettled}) while slots hold leaving servers.
 * <p>
 * A leaving server that is DOWN, draining or in maintenance goes at once, and so does every one
 * when the answer is empty (the empty-answer guard confirmed it): keeping is for servers that are
 * serving, while nothing else would.
 * <p>
 * A pool's first round (after a start, or once the applied set was forgotten) knows no applied
 * set, yet a HAProxy that already runs may serve the pool's earlier servers — a controller
 * restarted while it kept leaving servers, or stopped while the orchestrator replaced them. Then
 * the leaving servers are read from HAProxy itself: the servers of the pool's backend that carry a
 * name this controller writes ({@link Backend#serverName()}, so the template's own never count)
 * and that the answer leaves out.
 */
public class LeavingServers {
    private static final Logger LOG = LoggerFactory.getLogger(LeavingServers.class);
    static final Duration FIRST_RECHECK = Duration.ofMillis(250);
    static final Duration MAX_RECHECK = Duration.ofSeconds(5);
    /** Exchange property: {@link #asked}'s answer for the round on its way. */
    public static final String ASKED = "ep2.leavingAsked";

    private final PendingChanges pending;
    /** Whether HAProxy runs: a pool's first round asks it for the pool's servers only then. */
    private final BooleanSupplier haproxyRuns;
    /** Rounds in a row each pool kept leaving servers: the next recheck's pause doubles with them. */
    private final Map<Pool, Integer> keptRounds = new ConcurrentHashMap<>();

    public LeavingServers(PendingChanges pending, BooleanSupplier haproxyRuns) {
        this.pending = pending;
        this.haproxyRuns = haproxyRuns;
    }

    /**
     * The changed pools whose servers HAProxy is asked about, in the order of {@link #stateQueries}:
     * those whose answer leaves out servers they hold, with those servers, and — while HAProxy runs —
     * those with no applied set yet, whose leaving servers only HAProxy knows (empty). An empty
     * answer keeps nothing, so it asks nothing. Decided once a round: the route keeps it as
     * {@link #ASKED}.
     */
    public Map<Pool, Optional<List<Backend>>> asked(@Body Round round) {
        Map<Pool, Optional<List<Backend>>> out = new LinkedHashMap<>();
        List<Pool> first = new ArrayList<>();
        for (Pool pool : round.changed()) {
            BackendSet wanted = round.wanted().get(pool);
            if (wanted.isEmpty()) {
                continue;
            }
            Optional<BackendSet> applied = pool.applied().current();
            if (applied.isEmpty()) {
                first.add(pool);
                continue;
            }
            List<Backend> leaving = applied.get().backends().stream().filter(b -> !wanted.contains(b)).toList();
            if (!leaving.isEmpty()) {
                out.put(pool, Optional.of(leaving));
            }
        }
        if (!first.isEmpty() && haproxyRuns.getAsBoolean()) {
            first.forEach(pool -> out.put(pool, Optional.empty()));
        }
        return out;
    }

    /** True when some pool's servers are to be read (only then is HAProxy's state read). */
    public boolean asksAny(@ExchangeProperty(ASKED) Map<Pool, Optional<List<Backend>>> asked) {
        return !asked.isEmpty();
    }

    /** One {@code show servers state <backend>} per pool in {@link #asked} order. */
    public List<String> stateQueries(@ExchangeProperty(ASKED) Map<Pool, Optional<List<Backend>>> asked) {
        return asked.keySet().stream().map(p -> "show servers state " + p.backend()).toList();
    }

    /**
     * The round with, for each pool none of whose remaining servers is UP, its leaving servers that
     * are UP kept.
     *
     * @param replies the answers to {@link #stateQueries}, in order
     * @param asked    what {@link #asked} decided for this round
     */
    public Round keepServing(@Body List<String> replies, @ExchangeProperty(Round.PROPERTY) Round round,
                             @ExchangeProperty(ASKED) Map<Pool, Optional<List<Backend>>> asked) {
        Map<Pool, List<Backend>> kept = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<Pool, Optional<List<Backend>>> e : asked.entrySet()) {
            List<ServerState> states = RuntimeReplies.serversState(replies.get(i++));
            Set<String> serving = states.stream().filter(ServerState::serving).map(ServerState::name).collect(Collectors.toSet());
            List<Backend> leavingServers = e.getValue().orElseGet(() -> ours(states, round.wanted().get(e.getKey())));
            List<Backend> keep = leavingServers.stream().filter(b -> serving.contains(b.serverName())).toList();
            if (serving.size() > keep.size()) {
                continue;       // a server the pool keeps is UP: the leaving ones can go
            }
            if (!keep.isEmpty()) {
                kept.put(e.getKey(), keep);
                LOG.info("{}: none of the servers it keeps is UP yet; leaving {} keep serving until one is",
                        e.getKey().backend(), keep);
            }
        }
        return kept.isEmpty() ? round : round.keeping(kept);
    }

    /**
     * After the round was applied: each pool that kept leaving servers has its answer offered
     * again after a pause, so they go once another server is UP even if the orchestrator says
     * nothing new; a pool that kept none starts its pauses over.
     */
    public void recheckLater(@ExchangeProperty(Round.PROPERTY) Round round) {
        recheck(round, round.kept().keySet());
    }

    /**
     * update_by_runtime's counterpart: a pool whose slots still hold servers its answer left out
     * (kept serving until a wanted one is UP, or draining) has its answer offered again after a
     * pause, so they go without a new answer — a quiet watch would leave them until its wait ran out.
     */
    public void recheckUnsettled(@ExchangeProperty(Round.PROPERTY) Round round,
                                 @ExchangeProperty(PipelineRoutes.PLAN) RuntimePlan plan) {
        Map<String, List<Backend>> leaving = plan.leavingServers();
        Set<Pool> unsettled = round.changed().stream().filter(p -> leaving.containsKey(p.backend())).collect(Collectors.toSet());
        unsettled.stream().filter(p -> !keptRounds.containsKey(p)).forEach(p -> LOG.info(
                "{}: {} stay in their slots (kept serving until a wanted server is UP, or draining); rechecked until they go",
                p.backend(), leaving.get(p.backend())));
        recheck(round, unsettled);
    }

    private void recheck(Round round, Set<Pool> unsettled) {
        for (Pool pool : round.changed()) {
            if (!unsettled.contains(pool)) {
                keptRounds.remove(pool);
                continue;
            }
            int n = keptRounds.merge(pool, 1, Integer::sum);
            pending.offerAgain(pool, round.wanted().get(pool), pending.now().plus(recheckPause(n)));
        }
    }

    /** The pause before the n-th recheck in a row (1-based). */
    static Duration recheckPause(int n) {
        Duration pause = FIRST_RECHECK.multipliedBy(1L << Math.min(n - 1, 20));
        return pause.compareTo(MAX_RECHECK) > 0 ? MAX_RECHECK : pause;
    }

    /** The servers of {@code states} named as this controller names them, less the answer's own. */
    private static List<Backend> ours(List<ServerState> states, BackendSet wanted) {
        return states.stream().map(st -> Backend.named(st.name())).flatMap(Optional::stream)
                .filter(b -> !wanted.contains(b)).toList();
    }
}
