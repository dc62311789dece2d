package io.ep2camel.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The backends of one pool at one moment: immutable, in canonical order (host, then port),
 * duplicates folded, with a content hash so two answers can be compared without caring about
 * the order the orchestrator listed them in.
 */
public final class BackendSet {
    public static final BackendSet EMPTY = new BackendSet(List.of());

    private final List<Backend> backends;
    private final Map<String, Backend> byAddress = new HashMap<>();
    private final String hash;

    private BackendSet(List<Backend> sorted) {
        this.backends = sorted;
        sorted.forEach(b -> byAddress.put(b.address(), b));
        this.hash = digest(sorted);
    }

    public static BackendSet of(Collection<Backend> backends) {
        // a host:port listed twice is one server; if weights disagree the highest wins, whatever
        // the order the orchestrator listed them in
        TreeSet<Backend> unique = new TreeSet<>(Backend.ORDER);
        backends.stream().sorted(Backend.ORDER.thenComparing(Backend::weight, Comparator.reverseOrder()))
                .forEach(unique::add);
        return new BackendSet(List.copyOf(unique));
    }

    public static BackendSet of(Backend... backends) {
        return of(List.of(backends));
    }

    public List<Backend> backends() {
        return backends;
    }

    public int size() {
        return backends.size();
    }

    public boolean isEmpty() {
        return backends.isEmpty();
    }

    public boolean contains(Backend b) {
        return byAddress.containsKey(b.address());
    }

    /** The member with the same host:port as {@code b} (its weight may differ), or null. */
    public Backend find(Backend b) {
        return byAddress.get(b.address());
    }

    /** SHA-256 over the canonical form: equal for equal content, whatever the input order. */
    public String hash() {
        return hash;
    }

    private static String digest(List<Backend> sorted) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Backend b : sorted) {
                md.update((b.address() + " " + b.weight() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendSet other && hash.equals(other.hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return backends.toString();
    }
}
