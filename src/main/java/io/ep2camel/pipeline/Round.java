package io.ep2camel.pipeline;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.render.PoolLines;
import io.ep2camel.runtime.EarlyEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One apply: the wanted backends of every pool that changed, against all pools. The pools not
 * in it keep what they were last brought to; one render + reload, or one socket batch, covers
 * them all. {@code kept}: servers a pool's answer no longer lists that stay in HAProxy this round
 * (make before break, {@link LeavingServers}).
 */
public record Round(Map<Pool, BackendSet> wanted, Map<Pool, Long> received, List<Pool> all,
                    Map<Pool, List<Backend>> kept) {
    /** The exchange property the update routes keep the round in while its body becomes commands or config. */
    public static final String PROPERTY = "ep2Round";

    public Round {
        wanted = Map.copyOf(wanted);
        received = Map.copyOf(received);
        all = List.copyOf(all);
        kept = Map.copyOf(kept);
    }

    Round(Map<Pool, BackendSet> wanted, Map<Pool, Long> received, List<Pool> all) {
        this(wanted, received, all, Map.of());
    }

    /** The same round, with these leaving servers kept in HAProxy. */
    Round keeping(Map<Pool, List<Backend>> leaving) {
        return new Round(wanted, received, all, leaving);
    }

    /** True when some pool keeps leaving servers this round: its answer is offered again later. */
    public boolean keepsAny() {
        return !kept.isEmpty();
    }

    /** Nothing to apply. */
    static Round none(List<Pool> all) {
        return new Round(Map.of(), Map.of(), all);
    }

    public boolean isEmpty() {
        return wanted.isEmpty();
    }

    /** The pools this round changes, in pool order. */
    public List<Pool> changed() {
        return all.stream().filter(wanted::containsKey).toList();
    }

    /** When the first answer of this round for the pool arrived (System.nanoTime). */
    public long receivedNanos(Pool pool) {
        return received.getOrDefault(pool, System.nanoTime());
    }

    /** What a pool holds once this round is applied: its answer, with the leaving servers kept this round. */
    public BackendSet target(Pool pool) {
        BackendSet set = wanted.getOrDefault(pool, pool.applied().current().orElse(BackendSet.EMPTY));
        if (!kept.containsKey(pool)) {
            return set;
        }
        List<Backend> with = new ArrayList<>(set.backends());
        with.addAll(kept.get(pool));
        return BackendSet.of(with);
    }

    /** update_by_config: the server lines of every pool after this round. */
    public List<PoolLines> configLines() {
        return all.stream().map(p -> p.lines(target(p))).toList();
    }

    /**
     * update_by_config: for each changed pool HAProxy already serves (applied before), the backends
     * this round adds, which can enter the running HAProxy ahead of the reload ({@link EarlyEntry}).
     */
    public List<EarlyEntry.NewServers> newServers() {
        return changed().stream().filter(p -> p.applied().current().isPresent())
                .map(p -> new EarlyEntry.NewServers(p.backend(), p.format(), p.applied().diff(target(p)).added()))
                .filter(n -> !n.added().isEmpty()).toList();
    }

    /** After a successful apply: every changed pool now holds its target set. */
    public void markApplied() {
        wanted.keySet().forEach(pool -> pool.applied().markApplied(target(pool)));
    }

    public void applyFailed() {
        wanted.keySet().forEach(p -> p.applied().applyFailed());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Pool p : changed()) {
            s.append(s.length() == 0 ? "" : "; ").append(p.backend()).append(": ")
                    .append(p.applied().current().isPresent() ? p.applied().diff(wanted.get(p)).toString() : "bootstrap")
                    .append(" -> ").append(wanted.get(p).size()).append(" backends");
            if (kept.containsKey(p)) {
                s.append(", keeping leaving ").append(kept.get(p)).append(" while none of the others is UP");
            }
        }
        return s.toString();
    }
}
