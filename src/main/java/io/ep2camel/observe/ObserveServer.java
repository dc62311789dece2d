package io.ep2camel.observe;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What operators watch the controller through, on the JDK's own HTTP server: {@code /observe/health}
 * (+ {@code /live}, {@code /ready}), {@code /observe/metrics} (Prometheus) and
 * {@code /observe/jolokia} (Hawtio), bound to observe_host:observe_port.
 * <p>
 * Why not Camel's management server: it runs on Vert.x and Netty, some 900 classes, its event loop
 * and a blocked-thread checker, for three handlers; without it an idle controller is about 10 MB
 * smaller and starts faster (see the README's footprint section). Started and stopped with the
 * Camel context (a context service).
 */
public final class ObserveServer extends ServiceSupport implements CamelContextAware {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);
    public static final String BASE = "/observe";
    static final String HEALTH = BASE + "/health";
    static final String METRICS = BASE + "/metrics";
    static final String JOLOKIA = BASE + "/jolokia";
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";
    /** Prometheus' text format, the one camel-micrometer-prometheus serves by default. */
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final InetSocketAddress address;
    private final Optional<Path> credentials;
    private final boolean routeControl;
    private final PrometheusMeterRegistry meters;
    private CamelContext context;
    private HttpServer server;
    private ExecutorService workers;
    private ObserveJolokia jolokia;

    /**
     * @param credentials  observe_credentials_file: Basic auth on /observe/jolokia
     * @param routeControl observe_route_control: Jolokia may exec Camel's route operations
     */
    public ObserveServer(InetSocketAddress address, Optional<Path> credentials, boolean routeControl,
                         PrometheusMeterRegistry meters) {
        this.address = address;
        this.credentials = credentials;
        this.routeControl = routeControl;
        this.meters = meters;
    }

    @Override
    protected void doStart() throws IOException {
        // what can fail on bad input first, so that nothing is bound when it does
        Optional<ObserveUsers> users = credentials.isPresent() ? Optional.of(ObserveUsers.read(credentials.get()))
                : Optional.empty();
        jolokia = new ObserveJolokia(JOLOKIA, routeControl);
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            jolokia.stop();
            jolokia = null;
            String where = "observe_host/observe_port " + address.getHostString() + ":" + address.getPort() + ": ";
            throw e instanceof BindException ? new BindException(where + e.getMessage()) : new IOException(where + e, e);
        }
        // two threads: a Hawtio page sends a few requests at once; health and metrics are quick
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ep2-observe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext(HEALTH, guarded(this::health));
        server.createContext(METRICS, guarded(this::metrics));
        HttpContext j = server.createContext(JOLOKIA, jolokia);
        users.ifPresent(j::setAuthenticator);
        server.start();
        LOG.info("health, metrics and Jolokia at http://{}:{}{}", address.getHostString(), port(), BASE);
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            server = null;
        }
        if (jolokia != null) {
            jolokia.stop();
            jolokia = null;
        }
    }

    /** The bound port (observe_port, or the one the OS chose for port 0). */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    private void health(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        HealthAnswer.Kind kind = switch (path) {
            case HEALTH, HEALTH + "/" -> HealthAnswer.Kind.ALL;
            case HEALTH + "/live" -> HealthAnswer.Kind.LIVE;
            case HEALTH + "/ready" -> HealthAnswer.Kind.READY;
            default -> null;
        };
        if (kind == null) {
            answer(exchange, 404, TEXT, "no such path: " + path + "\n");
        } else if (onlyGet(exchange)) {
            HealthAnswer health = HealthAnswer.of(context, kind, query(exchange));
            answer(exchange, health.status(), JSON, health.json());
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals(METRICS) && !path.equals(METRICS + "/")) {
            answer(exchange, 404, TEXT, "no such path: " + path + "\n");
        } else if (onlyGet(exchange)) {
            answer(exchange, 200, PROMETHEUS, meters.scrape());
        }
    }

    /** A handler's failure answered as a 500 naming it, not a dropped connection. */
    private static HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", exchange.getRequestURI().getPath(), e.toString());
                answer(exchange, 500, TEXT, e + "\n");
            }
        };
    }

    private static boolean onlyGet(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("GET")) {
            return true;
        }
        answer(exchange, 405, TEXT, "GET only\n");
        return false;
    }

    /** The request's query parameters, decoded, every value of a repeated name kept (as a servlet's). */
    static Map<String, String[]> query(HttpExchange exchange) {
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        Map<String, String[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toArray(new String[0])));
        return out;
    }

    static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }
}
