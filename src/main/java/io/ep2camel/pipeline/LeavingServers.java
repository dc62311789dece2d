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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public class LeavingServers {
    private static final Logger LOG = LoggerFactory.getLogger(LeavingServers.class);
    static final Duration FIRST_RECHECK = Duration.ofMillis(250);
    static final Duration MAX_RECHECK = Duration.ofSeconds(5);

    private final PendingChanges pending;
    /** Rounds in a row each pool kept leaving servers: the next recheck's pause doubles with them. */
    private final Map<Pool, Integer> keptRounds = new ConcurrentHashMap<>();

    public LeavingServers(PendingChanges pending) {
        this.pending = pending;
    }

    /** True when the round takes servers out of some pool (only then is HAProxy's state read). */
    public boolean removes(@Body Round round) {
        return !removing(round).isEmpty();
    }

    /** One {@code show servers state <backend>} per pool the round takes servers out of, in {@link #removing} order. */
    public List<String> stateQueries(@Body Round round) {
        return removing(round).keySet().stream().map(p -> "show servers state " + p.backend()).toList();
    }

    /**
     * The round with, for each pool none of whose remaining servers is UP, its leaving servers that
     * are UP kept.
     *
     * @param replies the answers to {@link #stateQueries}, in order
     */
    public Round keepServing(@Body List<String> replies, @ExchangeProperty(Round.PROPERTY) Round round) {
        Map<Pool, List<Backend>> removing = removing(round);
        Map<Pool, List<Backend>> kept = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<Pool, List<Backend>> e : removing.entrySet()) {
            Set<String> serving = RuntimeReplies.serversState(replies.get(i++)).stream().filter(ServerState::serving)
                    .map(ServerState::name).collect(Collectors.toSet());
            List<Backend> keep = e.getValue().stream().filter(b -> serving.contains(b.serverName())).toList();
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

    /** The changed pools whose answer leaves out servers they hold (a bootstrap holds none), with those servers. */
    private static Map<Pool, List<Backend>> removing(Round round) {
        Map<Pool, List<Backend>> out = new LinkedHashMap<>();
        for (Pool pool : round.changed()) {
            BackendSet wanted = round.wanted().get(pool);
            List<Backend> leaving = pool.applied().current().map(BackendSet::backends).orElse(List.of()).stream()
                    .filter(b -> !wanted.contains(b)).toList();
            if (!leaving.isEmpty() && !wanted.isEmpty()) {
                out.put(pool, leaving);
            }
        }
        return out;
    }
}
