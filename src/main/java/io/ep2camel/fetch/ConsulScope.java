package io.ep2camel.fetch;

import okhttp3.HttpUrl;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * What every call to the agent asks beyond camel-consul's own parameters (which have no
 * namespace, partition or consistency mode): Consul Enterprise's {@code ns} and {@code partition},
 * and {@code stale} — any server may answer, which spreads a large fleet's watches over the
 * servers instead of the leader. A stale answer is only as good as the server's last contact with
 * the leader: one older than {@code max_stale}, or from a server that knows no leader, is an
 * error (the backends stay as they are), not a list of backends.
 */
public record ConsulScope(Optional<String> namespace, Optional<String> partition, boolean stale, Duration maxStale) {

    public static ConsulScope none() {
        return new ConsulScope(Optional.empty(), Optional.empty(), false, Duration.ofSeconds(10));
    }

    /** @param pool the calling pool's query (its tags, namespace, partition); null: none set */
    HttpUrl url(HttpUrl url, ConsulPoolQuery pool) {
        HttpUrl.Builder b = url.newBuilder();
        Optional<String> ns = pool != null && pool.namespace().isPresent() ? pool.namespace() : namespace;
        Optional<String> part = pool != null && pool.partition().isPresent() ? pool.partition() : partition;
        ns.filter(n -> url.queryParameter("ns") == null).ifPresent(n -> b.addQueryParameter("ns", n));
        part.filter(n -> url.queryParameter("partition") == null).ifPresent(n -> b.addQueryParameter("partition", n));
        if (pool != null && url.encodedPath().startsWith("/v1/health/service/") && url.queryParameterValues("tag").isEmpty()) {
            pool.tags().forEach(t -> b.addQueryParameter("tag", t)); // Consul ANDs repeated tag parameters
        }
        if (stale && url.queryParameter("stale") == null) {
            b.addQueryParameter("stale", null); // Consul reads the bare ?stale
        }
        return b.build();
    }

    /** @throws IOException a stale answer too old or from a server without a leader (the response is closed) */
    void checkStaleness(Response response) throws IOException {
        if (!stale || !response.isSuccessful()) {
            return;
        }
        String leader = response.header("X-Consul-KnownLeader");
        String contact = response.header("X-Consul-LastContact");
        String problem = null;
        if ("false".equalsIgnoreCase(leader)) {
            problem = "the Consul server that answered knows no leader (X-Consul-KnownLeader: false)";
        } else if (contact != null && contact.matches("[0-9]+") && Long.parseLong(contact) > maxStale.toMillis()) {
            problem = "stale answer: the Consul server last heard from its leader " + contact
                    + " ms ago (X-Consul-LastContact), more than max_stale " + maxStale.toSeconds() + " s";
        }
        if (problem != null) {
            response.close();
            throw new IOException(problem);
        }
    }
}
