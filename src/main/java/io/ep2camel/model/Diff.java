package io.ep2camel.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What changed between the last applied set and a new one. Weight changes count as a change:
 * the server stays (kept) but must be re-applied.
 */
public record Diff(List<Backend> added, List<Backend> removed, List<Backend> kept, List<Backend> reweighted) {

    public static Diff between(BackendSet applied, BackendSet wanted) {
        List<Backend> added = new ArrayList<>();
        List<Backend> kept = new ArrayList<>();
        List<Backend> reweighted = new ArrayList<>();
        for (Backend b : wanted.backends()) {
            Backend old = applied.find(b);
            if (old == null) {
                added.add(b);
            } else {
                kept.add(b);
                if (old.weight() != b.weight()) {
                    reweighted.add(b);
                }
            }
        }
        List<Backend> removed = applied.backends().stream().filter(b -> !wanted.contains(b)).toList();
        return new Diff(List.copyOf(added), removed, List.copyOf(kept), List.copyOf(reweighted));
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && reweighted.isEmpty();
    }

    @Override
    public String toString() {
        return "+" + added + " -" + removed + (reweighted.isEmpty() ? "" : " ~" + reweighted);
    }
}
