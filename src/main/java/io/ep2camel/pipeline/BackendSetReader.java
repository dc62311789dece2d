package io.ep2camel.pipeline;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.model.HostNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The pipeline's entry contract: turns what an orchestrator route hands over into a
 * BackendSet. Accepted: a BackendSet; entries as any Collection, Iterable or array (what a YAML
 * route's {@code ${body.split(',')}} makes), a JSON array text, or a text of {@code host[:port]}
 * separated by commas or line breaks; each entry a Backend, a map {@code {host, port, weight?}}
 * or a {@code "host[:port]"} string. Invalid entries are skipped with a log line; an answer whose
 * entries were all invalid is an error, never an empty backend.
 */
public final class BackendSetReader {
    private static final Logger LOG = LoggerFactory.getLogger(BackendSetReader.class);
    // compiled once: read for every entry of every answer
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,6}");

    private final int defaultPort;

    private final AtomicLong rejected = new AtomicLong();

    public BackendSetReader(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** Entries skipped as invalid since start (a metric). */
    public long rejected() {
        return rejected.get();
    }

    /** The map keys holding host, port and weight: {@code host/port/weight} unless a route names others. */
    public record Fields(String host, String port, String weight) {
        public static final Fields DEFAULT = new Fields("host", "port", "weight");
    }

    public BackendSet read(Object body, String routeId) {
        return read(body, routeId, Fields.DEFAULT);
    }

    public BackendSet read(Object body, String routeId, Fields fields) {
        if (body instanceof BackendSet set) {
            return set;
        }
        Collection<?> entries = entries(body, routeId);
        List<Backend> ok = new ArrayList<>();
        for (Object e : entries) {
            try {
                ok.add(toBackend(e, fields));
            } catch (IllegalArgumentException | ClassCastException ex) {
                rejected.incrementAndGet();
                LOG.warn("orchestrator route '{}': skipped entry {}: {}", routeId,
                        HostNames.sanitize(String.valueOf(e)), ex.getMessage());
            }
        }
        if (ok.isEmpty() && !entries.isEmpty()) {
            throw new IllegalArgumentException("orchestrator route '" + routeId + "': all " + entries.size()
                    + " entries were invalid; keeping the backends as they are");
        }
        return BackendSet.of(ok);
    }

    /** More entries than this from one answer is a runaway Iterable, not a pool. */
    static final int MAX_ENTRIES = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answer's entries, whatever container the route handed them over in. */
    private static Collection<?> entries(Object body, String routeId) {
        if (body instanceof Collection<?> c) {
            return c;
        }
        if (body instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (body instanceof Iterable<?> it) {
            List<Object> list = new ArrayList<>();
            for (Object e : it) {
                if (list.size() == MAX_ENTRIES) {
                    throw new IllegalArgumentException("orchestrator route '" + routeId + "' handed over more than "
                            + MAX_ENTRIES + " entries");
                }
                list.add(e);
            }
            return list;
        }
        if (body instanceof String text) {
            String t = text.strip();
            if (t.startsWith("[")) {
                try {
                    return JSON.readValue(t, List.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("orchestrator route '" + routeId + "' handed over text starting "
                            + "with '[' that is not a JSON array: " + e.getOriginalMessage());
                }
            }
            return Arrays.stream(t.split("[,\\r\\n]+")).map(String::strip).filter(e -> !e.isEmpty()).toList();
        }
        throw new IllegalArgumentException("orchestrator route '" + routeId + "' handed over "
                + (body == null ? "no body" : "a " + typeName(body))
                + "; expected a list of {host, port, weight?} entries or \"host:port\" strings");
    }

    /** A type as a user writes it: String[], Integer, LinkedHashMap. */
    private static String typeName(Object o) {
        return o.getClass().getSimpleName().isEmpty() ? o.getClass().getName() : o.getClass().getSimpleName();
    }

    private Backend toBackend(Object e, Fields fields) {
        if (e instanceof Backend b) {
            return b;
        }
        if (e instanceof Map<?, ?> m) {
            Object host = m.get(fields.host());
            if (!(host instanceof String h)) {
                throw new IllegalArgumentException("'" + fields.host() + "' missing or not a string");
            }
            return new Backend(h, number(m.get(fields.port()), "port", defaultPort),
                    number(m.get(fields.weight()), "weight", 0));
        }
        if (e instanceof String s) {
            return Backend.parse(s.strip(), defaultPort);
        }
        throw new IllegalArgumentException("unsupported entry type " + (e == null ? "null" : typeName(e)));
    }

    private static int number(Object v, String what, int fallback) {
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (fallback <= 0 && what.equals("port")) {
                throw new IllegalArgumentException("no port and backend_port is not set");
            }
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        if (v instanceof String s && WHOLE_NUMBER.matcher(s).matches()) {
            return Integer.parseInt(s);
        }
        throw new IllegalArgumentException(what + " is not a whole number: '" + HostNames.sanitize(String.valueOf(v)) + "'");
    }
}
