package io.ep2camel.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Consul agent's HTTP API as far as the consul orchestrator uses it: {@code GET
 * /v1/health/service/<name>}, answered the way Consul answers — the same JSON shape (Node,
 * Service with Weights and TaggedAddresses, Checks with serfHealth and the service's own check),
 * the headers {@code X-Consul-Index}, {@code X-Consul-KnownLeader}, {@code X-Consul-LastContact},
 * and blocking queries: a request whose {@code index} is at or above the current index is held
 * until the catalog changes or {@code wait} (default 5m, at most 10m) runs out. Query parameters
 * {@code passing}, {@code tag} (repeatable: all must match), {@code dc}, {@code index},
 * {@code wait}, {@code token}; the token also as {@code X-Consul-Token} or a Bearer header.
 * <p>
 * Test controls: register/deregister instances, set a check's status, move the index backwards,
 * require an ACL token (403 "ACL not found" otherwise), and failures — 500, malformed JSON, a
 * hung request, an agent that ignores blocking, an agent that is down. Every request is recorded.
 */
public final class ConsulDouble implements AutoCloseable {
    public static final String DATACENTER = "dc1";
    private static final Pattern PATH = Pattern.compile("/v1/health/service/([^/?]+)");
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Failure {
        NONE,
        /** 500 with Consul's text body, at once */
        HTTP_500,
        /** 200 with Consul's headers and a truncated JSON body */
        MALFORMED_JSON,
        /** the request is held and never answered while this lasts */
        HANG,
        /** a broken agent: answers blocking queries at once, index unchanged */
        IGNORE_BLOCKING
    }

    /** One request as the agent saw it. */
    public record Request(Instant at, String path, Map<String, List<String>> query, String token, int status,
                          long millis) {
        public String param(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public boolean blocking() {
            return param("index") != null && param("wait") != null;
        }
    }

    /** A service instance as registered with the agent (its node, service definition and check). */
    public static final class Instance {
        final String id;
        final String service;
        String address = "";
        int port;
        String node = "node-1";
        String nodeAddress = "127.0.0.1";
        List<String> tags = List.of();
        Integer weightPassing = 1;
        int weightWarning = 1;
        String status = "passing";
        boolean metaNull = true;
        long createIndex;
        long modifyIndex;

        private Instance(String id, String service) {
            this.id = id;
            this.service = service;
        }

        public Instance address(String a) { this.address = a; return this; }
        public Instance port(int p) { this.port = p; return this; }
        public Instance node(String name, String addr) { this.node = name; this.nodeAddress = addr; return this; }
        public Instance tags(String... t) { this.tags = List.of(t); return this; }
        public Instance weight(int passing) { this.weightPassing = passing; return this; }
        /** Weights left out of the answer altogether (a very old agent). */
        public Instance noWeights() { this.weightPassing = null; return this; }
        public Instance status(String s) { this.status = s; return this; }
        public Instance meta() { this.metaNull = false; return this; }

        private Instance copy() {
            Instance c = new Instance(id, service);
            c.address = address; c.port = port; c.node = node; c.nodeAddress = nodeAddress; c.tags = tags;
            c.weightPassing = weightPassing; c.weightWarning = weightWarning; c.status = status; c.metaNull = metaNull;
            c.createIndex = createIndex; c.modifyIndex = modifyIndex;
            return c;
        }
    }

    public static Instance instance(String id, String service) {
        return new Instance(id, service);
    }

    private final int port;
    private final Object lock = new Object();
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private long index = 10;
    private long resets;
    private volatile Failure failure = Failure.NONE;
    private volatile String requiredToken;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger blocked = new java.util.concurrent.atomic.AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;
    /** Non-null: HTTPS only, a client certificate signed by the test CA required (verify_incoming). */
    private final javax.net.ssl.SSLContext tls;
    private volatile long lastContactMillis;
    private volatile boolean knownLeader = true;

    private ConsulDouble(int port, javax.net.ssl.SSLContext tls) {
        this.port = port;
        this.tls = tls;
    }

    public static ConsulDouble start() {
        ConsulDouble d = new ConsulDouble(FreePort.find(), null);
        d.up();
        return d;
    }

    /**
     * An agent with TLS and verify_incoming: HTTPS with the given server context, and the TLS
     * handshake fails for a client without a certificate its CA signed.
     */
    public static ConsulDouble startTls(TestCertificates certs) {
        ConsulDouble d = new ConsulDouble(FreePort.find(), certs.serverContext());
        d.up();
        return d;
    }

    /** What X-Consul-LastContact / X-Consul-KnownLeader say from now on (a follower's view for ?stale reads). */
    public ConsulDouble staleness(long lastContactMillis, boolean knownLeader) {
        this.lastContactMillis = lastContactMillis;
        this.knownLeader = knownLeader;
        return this;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    // ---- catalog ----

    /** Registers (or replaces) an instance; the index moves and blocked queries return. */
    public ConsulDouble register(Instance i) {
        synchronized (lock) {
            Instance c = i.copy();
            Instance old = instances.get(c.id);
            c.createIndex = old == null ? index + 1 : old.createIndex;
            bump();
            c.modifyIndex = index;
            instances.put(c.id, c);
        }
        return this;
    }

    public ConsulDouble deregister(String id) {
        synchronized (lock) {
            if (instances.remove(id) != null) {
                bump();
            }
        }
        return this;
    }

    public ConsulDouble deregisterAll() {
        synchronized (lock) {
            instances.clear();
            bump();
        }
        return this;
    }

    /** The status (passing, warning, critical) of an instance's service check. */
    public ConsulDouble status(String id, String status) {
        synchronized (lock) {
            Instance i = instances.get(id);
            i.status = status;
            bump();
            i.modifyIndex = index;
        }
        return this;
    }

    public long index() {
        synchronized (lock) {
            return index;
        }
    }

    /** The index goes backwards (a snapshot restore): blocked queries return with the lower index. */
    public ConsulDouble resetIndex(long to) {
        synchronized (lock) {
            index = to;
            resets++;
            lock.notifyAll();
        }
        return this;
    }

    private void bump() {
        index++;
        lock.notifyAll();
    }

    // ---- behaviour ----

    public ConsulDouble requireToken(String token) {
        this.requiredToken = token;
        return this;
    }

    public ConsulDouble failure(Failure f) {
        this.failure = f;
        synchronized (lock) {
            lock.notifyAll();
        }
        return this;
    }

    /** The agent goes away: the port is closed, requests in flight are cut. */
    public synchronized ConsulDouble down() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
        return this;
    }

    /** The agent (back) on its port. */
    public synchronized ConsulDouble up() {
        if (server != null) {
            return this;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                HttpServer s;
                if (tls == null) {
                    s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
                } else {
                    com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
                    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls) {
                        @Override
                        public void configure(com.sun.net.httpserver.HttpsParameters params) {
                            javax.net.ssl.SSLParameters p = tls.getDefaultSSLParameters();
                            p.setNeedClientAuth(true);
                            params.setSSLParameters(p);
                        }
                    });
                    s = https;
                }
                executor = Executors.newCachedThreadPool();
                s.setExecutor(executor);
                s.createContext("/", this::handle);
                s.start();
                server = s;
                return this;
            } catch (BindException e) {
                last = e;
                sleep(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new UncheckedIOException("port " + port + " stays taken", last);
    }

    /** Blocking queries being held right now. */
    public int blocked() {
        return blocked.get();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requestsSince(Instant t) {
        return requests.stream().filter(r -> !r.at().isBefore(t)).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        down();
    }

    // ---- the API ----

    /** The exchange being answered, with what the record of it needs. */
    private final class Call {
        final HttpExchange ex;
        final Instant at = Instant.now();
        final long t0 = System.nanoTime();
        final Map<String, List<String>> q;
        final String token;
        boolean recorded;

        Call(HttpExchange ex) {
            this.ex = ex;
            this.q = query(ex.getRequestURI().getRawQuery());
            this.token = token(ex, q);
        }

        /** Recorded before the answer leaves, so a client that has it also finds the record. */
        void record(int status) {
            if (!recorded) {
                recorded = true;
                requests.add(new Request(at, ex.getRequestURI().getPath(), q, token, status,
                        (System.nanoTime() - t0) / 1_000_000));
            }
        }
    }

    private void handle(HttpExchange ex) {
        Call call = new Call(ex);
        try {
            answer(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.record(-1); // cut: never answered (hung, or the agent went down)
        } catch (IOException e) {
            call.record(-2); // the client went away
        } finally {
            ex.close();
        }
    }

    private void answer(Call call) throws IOException, InterruptedException {
        HttpExchange ex = call.ex;
        Map<String, List<String>> q = call.q;
        String token = call.token;
        Matcher m = PATH.matcher(ex.getRequestURI().getPath());
        if (!"GET".equals(ex.getRequestMethod()) || !m.matches()) {
            text(call, 404, "Invalid URL path: not a health/service request");
            return;
        }
        if (requiredToken != null && !requiredToken.equals(token)) {
            text(call, 403, "ACL not found");
            return;
        }
        String dc = first(q, "dc");
        if (dc != null && !dc.equals(DATACENTER)) {
            text(call, 500, "No path to datacenter");
            return;
        }
        Failure f = failure;
        if (f == Failure.HTTP_500) {
            text(call, 500, "rpc error making call: EOF");
            return;
        }
        if (f == Failure.HANG) {
            while (failure == Failure.HANG && !closed) {
                Thread.sleep(20);
            }
            throw new InterruptedException("released");
        }
        long want = parseLong(first(q, "index"));
        Duration wait = parseWait(first(q, "wait"));
        String service = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        boolean passing = q.containsKey("passing") && !"false".equals(first(q, "passing"));
        List<String> tags = q.getOrDefault("tag", List.of());
        byte[] body;
        long answerIndex;
        synchronized (lock) {
            if (want > 0 && f != Failure.IGNORE_BLOCKING) {
                long deadline = System.nanoTime() + wait.toNanos();
                long resetsAtStart = resets;
                blocked.incrementAndGet();
                try {
                    while (index <= want && resets == resetsAtStart && !closed && failure == f) {
                        long left = (deadline - System.nanoTime()) / 1_000_000;
                        if (left <= 0) {
                            break;
                        }
                        lock.wait(left);
                    }
                } finally {
                    blocked.decrementAndGet();
                }
            }
            answerIndex = index;
            List<Map<String, Object>> out = new ArrayList<>();
            for (Instance i : instances.values()) {
                if (i.service.equals(service) && i.tags.containsAll(tags) && (!passing || i.status.equals("passing"))) {
                    out.add(entry(i));
                }
            }
            body = JSON.writeValueAsBytes(out);
        }
        if (failure == Failure.HANG) {
            while (failure == Failure.HANG && !closed) {
                Thread.sleep(20);
            }
            throw new InterruptedException("released");
        }
        if (failure == Failure.MALFORMED_JSON) {
            body = "[{\"Node\":{\"ID\":\"40e4a748\",\"Node\":\"node-1\",\"Address\":".getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("Vary", "Accept-Encoding");
        ex.getResponseHeaders().add("X-Consul-Default-Acl-Policy", requiredToken == null ? "allow" : "deny");
        ex.getResponseHeaders().add("X-Consul-Effective-Consistency", "leader");
        ex.getResponseHeaders().add("X-Consul-Index", Long.toString(answerIndex));
        ex.getResponseHeaders().add("X-Consul-Knownleader", Boolean.toString(knownLeader));
        ex.getResponseHeaders().add("X-Consul-Lastcontact", Long.toString(lastContactMillis));
        call.record(200);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** One element of Consul's answer, in Consul's own shape (API docs, /health/service/:service). */
    private static Map<String, Object> entry(Instance i) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("ID", UUID.nameUUIDFromBytes(i.node.getBytes(StandardCharsets.UTF_8)).toString());
        node.put("Node", i.node);
        node.put("Address", i.nodeAddress);
        node.put("Datacenter", DATACENTER);
        node.put("TaggedAddresses", Map.of("lan", i.nodeAddress, "lan_ipv4", i.nodeAddress,
                "wan", i.nodeAddress, "wan_ipv4", i.nodeAddress));
        node.put("Meta", Map.of("consul-network-segment", ""));
        node.put("CreateIndex", 5);
        node.put("ModifyIndex", 5);

        Map<String, Object> service = new LinkedHashMap<>();
        service.put("ID", i.id);
        service.put("Service", i.service);
        service.put("Tags", i.tags);
        service.put("Address", i.address);
        if (!i.address.isEmpty()) {
            service.put("TaggedAddresses", Map.of(
                    "lan_ipv4", Map.of("Address", i.address, "Port", i.port),
                    "wan_ipv4", Map.of("Address", i.address, "Port", i.port)));
        }
        service.put("Meta", i.metaNull ? null : Map.of("version", "1"));
        service.put("Port", i.port);
        if (i.weightPassing != null) {
            service.put("Weights", Map.of("Passing", i.weightPassing, "Warning", i.weightWarning));
        }
        service.put("EnableTagOverride", false);
        service.put("Proxy", Map.of("Mode", "", "MeshGateway", Map.of(), "Expose", Map.of()));
        service.put("Connect", Map.of());
        service.put("PeerName", "");
        service.put("CreateIndex", i.createIndex);
        service.put("ModifyIndex", i.modifyIndex);

        return Map.of("Node", node, "Service", service, "Checks", List.of(
                check(i, "serfHealth", "Serf Health Status", "passing", "Agent alive and reachable", "", "", List.of(), ""),
                check(i, "service:" + i.id, "Service '" + i.service + "' check", i.status,
                        "HTTP GET http://" + i.address + ":" + i.port + "/health: 200 OK", i.id, i.service, i.tags,
                        "http")));
    }

    private static Map<String, Object> check(Instance i, String id, String name, String status, String output,
                                             String serviceId, String serviceName, List<String> tags, String type) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Node", i.node);
        c.put("CheckID", id);
        c.put("Name", name);
        c.put("Status", status);
        c.put("Notes", "");
        c.put("Output", output);
        c.put("ServiceID", serviceId);
        c.put("ServiceName", serviceName);
        c.put("ServiceTags", tags);
        c.put("Type", type);
        c.put("Interval", type.isEmpty() ? "" : "10s");
        c.put("Timeout", type.isEmpty() ? "" : "5s");
        c.put("ExposedPort", 0);
        c.put("Definition", Map.of());
        c.put("CreateIndex", i.createIndex);
        c.put("ModifyIndex", i.modifyIndex);
        return c;
    }

    private static void text(Call call, int status, String text) throws IOException {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        call.ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        call.record(status);
        call.ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = call.ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static String token(HttpExchange ex, Map<String, List<String>> q) {
        String h = ex.getRequestHeaders().getFirst("X-Consul-Token");
        if (h != null) {
            return h;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            return auth.substring(7);
        }
        return first(q, "token");
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private static String first(Map<String, List<String>> q, String k) {
        List<String> v = q.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static long parseLong(String v) {
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Consul's wait: a Go duration (10s, 1m, 500ms), default 5 minutes, at most 10. */
    static Duration parseWait(String v) {
        if (v == null || v.isEmpty()) {
            return Duration.ofMinutes(5);
        }
        Matcher m = Pattern.compile("([0-9]+)(ms|s|m|h)?").matcher(v);
        if (!m.matches()) {
            return Duration.ofMinutes(5);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "ns" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofNanos(n);
        };
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
