package io.ep2camel.fetch;

import io.ep2camel.config.ConfigKey;
import io.ep2camel.config.ConsulAddress;
import io.ep2camel.config.ConsulTls;
import io.ep2camel.config.Ep2Config;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.kiwiproject.consul.Consul;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How to reach the Consul agent ([CONSUL] consul_ip, consul_port, https, acl_token), and the
 * consul-client {@link Consul} clients routes/consul.camel.yaml hands to camel-consul
 * ({@code consulClient=#consulClient}).
 * <p>
 * The client is built here rather than from endpoint options because: the ACL token must be in
 * no URI, Camel property, log line or MBean (it travels only as the {@code X-Consul-Token} header,
 * set by the client); camel-consul 4.17 hands its readTimeout/writeTimeout options to the connect
 * timeout; and its client pings the agent when built, which would fail the route's start while
 * the agent is down instead of failing (and retrying) a fetch. Blocking calls get their read
 * timeout stretched by consul-client itself to wait + wait/16 + 2 s.
 * <p>
 * It is also a Camel event notifier (Camel Main registers it from the registry): when Camel starts
 * stopping, every call in flight is cancelled, so a blocking query does not hold the shutdown for
 * up to {@code wait} seconds.
 */
public final class ConsulAgent extends EventNotifierSupport {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** For calls that do not block (poll mode, the first call of a watch); a hung agent is an error after this. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final int port;
    private final boolean https;
    private final ConsulToken token;
    private final Optional<ConsulTls> tls;
    private final Optional<String> tlsServerName;
    private final List<Consul> clients = new CopyOnWriteArrayList<>();
    private final ConsulCalls calls;
    private volatile boolean stopping;

    public ConsulAgent(String host, int port, boolean https, Optional<String> aclToken) {
        this(host, port, https, new ConsulToken(aclToken, Optional.empty()), Optional.empty(), Optional.empty(),
                ConsulScope.none());
    }

    /**
     * @param tls           CA and client certificate; empty: the JVM's trust store, no client certificate
     * @param tlsServerName the name the agent's certificate must carry, when not the address' host
     */
    public ConsulAgent(String host, int port, boolean https, ConsulToken token, Optional<ConsulTls> tls,
                       Optional<String> tlsServerName, ConsulScope scope) {
        this.host = host;
        this.port = port;
        this.https = https;
        this.token = token;
        this.tls = tls;
        this.tlsServerName = tlsServerName;
        this.calls = new ConsulCalls(host, port, token, scope,
                https && tls.map(t -> !t.hasClientCertificate()).orElse(true));
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    /**
     * [CONSUL] settings of a checked config (defaults and CONSUL_* environment filled in), whatever
     * the orchestrator. address, when set, replaces consul_ip/consul_port; an https:// address turns https on.
     * TLS files are read only when a pool uses orchestrator consul (the config checks vouched for them then).
     */
    public static ConsulAgent from(Ep2Config cfg) {
        String host = cfg.require(ConfigKey.CONSUL_IP);
        int port = Integer.parseInt(cfg.require(ConfigKey.CONSUL_PORT));
        boolean https = Boolean.parseBoolean(cfg.require(ConfigKey.CONSUL_HTTPS));
        Optional<String> address = cfg.get(ConfigKey.CONSUL_ADDRESS);
        if (address.isPresent()) {
            URI u = ConsulAddress.parse(address.get());
            host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
            port = u.getPort();
            https = https || u.getScheme().equals("https");
        }
        boolean used = cfg.pools().stream().anyMatch(p -> p.orchestrator().equals("consul"));
        Optional<ConsulTls> tls = used ? ConsulTls.from(cfg.get(ConfigKey.CONSUL_CA_FILE).map(Path::of),
                cfg.get(ConfigKey.CONSUL_CA_PATH).map(Path::of), cfg.get(ConfigKey.CONSUL_CERT_FILE).map(Path::of),
                cfg.get(ConfigKey.CONSUL_KEY_FILE).map(Path::of)) : Optional.empty();
        ConsulScope scope = new ConsulScope(cfg.get(ConfigKey.CONSUL_NAMESPACE), cfg.get(ConfigKey.CONSUL_PARTITION),
                Boolean.parseBoolean(cfg.require(ConfigKey.CONSUL_STALE)),
                Duration.ofSeconds(Long.parseLong(cfg.require(ConfigKey.CONSUL_MAX_STALE))));
        return new ConsulAgent(host, port, https,
                new ConsulToken(cfg.get(ConfigKey.CONSUL_ACL_TOKEN), cfg.get(ConfigKey.CONSUL_TOKEN_FILE).map(Path::of)),
                tls, cfg.get(ConfigKey.CONSUL_TLS_SERVER_NAME), scope);
    }

    /** Factory for the YAML bean {@code consulClient}. */
    public static Consul client(ConsulAgent agent) {
        return agent.newClient();
    }

    /** The agent's base URL, e.g. {@code http://127.0.0.1:8500} (IPv6 literals bracketed). */
    public String url() {
        return (https ? "https" : "http") + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public boolean hasAclToken() {
        return token.isSet();
    }

    public Consul newClient() {
        Consul.Builder b = Consul.builder()
                .withUrl(url())
                .withPing(false)
                .withConnectTimeoutMillis(CONNECT_TIMEOUT.toMillis())
                .withReadTimeoutMillis(READ_TIMEOUT.toMillis())
                .withWriteTimeoutMillis(READ_TIMEOUT.toMillis())
                .withConsulFailoverInterceptor(calls);
        // the token is set per call by ConsulCalls as the X-Consul-Token header, read anew from
        // token_file when it changed (withTokenAuth would fix it for the client's life; withAclToken
        // would append ?token= to every URL, where proxies and access logs keep it)
        tls.ifPresent(t -> b.withSslContext(t.context()).withTrustManager(t.trustManager()));
        tlsServerName.ifPresent(name -> b.withHostnameVerifier(
                (ignoredHost, session) -> okhttp3.internal.tls.OkHostnameVerifier.INSTANCE.verify(name, session)));
        Consul c = b.build();
        clients.add(c);
        return c;
    }

    /** True once Camel began stopping: calls failing from now on were cancelled on purpose. */
    public boolean stopping() {
        return stopping;
    }

    /** Cancels every call in flight (blocking queries included) and closes the clients. */
    public void cancelCalls() {
        stopping = true;
        clients.forEach(c -> {
            if (!c.isDestroyed()) {
                c.destroy();
            }
        });
    }

    /** Cancels the call the thread waits for (one watch's blocking query), and any it starts, until {@link #allowCalls}. */
    public void cancelCallsOf(Thread caller) {
        calls.cancel(caller);
    }

    public void allowCalls(Thread caller) {
        calls.allow(caller);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        cancelCalls();
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "ConsulAgent[" + url() + ", " + token + (tls.isPresent() ? ", tls files" : "") + "]";
    }
}
