package io.ep2camel.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * Jolokia at {@code /observe/jolokia}, under ep2-camel's access policy. The policy is one of two
 * files in the jar, chosen by the operator's opt-in, and a missing one is a start-up error, never
 * "allow all" (camel-platform-http-jolokia's plugin reads one fixed file and allows every MBean
 * operation when it finds none):
 * <ul>
 *   <li>{@value #READ_ONLY_POLICY} (default): read, list, search and version only, plus the
 *       read-only dump operations Hawtio's route diagram calls; the JDK's diagnostic, HotSpot and
 *       JFR MBeans denied outright; loopback clients and loopback origins only;</li>
 *   <li>{@value #ROUTE_CONTROL_POLICY} ({@code observe_route_control = True}, which requires
 *       {@code observe_credentials_file}: Basic auth on this path, {@link ObserveUsers}): the same,
 *       plus exec of Camel's route operations (start, stop, suspend, resume), POST only.</li>
 * </ul>
 * Jolokia itself ({@link JolokiaEngine}) starts on the first request: a controller nobody
 * watches does not load it, nor the XML parser its policy needs (about 330 classes, 3 MB of RSS).
 */
final class ObserveJolokia implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveJolokia.class);
    static final String READ_ONLY_POLICY = "classpath:/jolokia-access.xml";
    static final String ROUTE_CONTROL_POLICY = "classpath:/jolokia-access-route-control.xml";
    /** A Jolokia request is a few kB at most (Hawtio's bulk reads included); more is refused unread. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final String path;
    private final String policy;
    private JolokiaEngine engine;
    /** Why the engine could not start, said once in the log and then in every answer. */
    private volatile String failure;
    private boolean stopped;

    ObserveJolokia(String path, boolean routeControl) {
        this.path = path;
        this.policy = routeControl ? ROUTE_CONTROL_POLICY : READ_ONLY_POLICY;
        // a missing policy is a start-up error, never "allow all"; it is parsed on the first request
        if (ObserveJolokia.class.getResource(policy.substring("classpath:".length())) == null) {
            throw new IllegalStateException("Jolokia policy " + policy + " is missing from the jar");
        }
        LOG.info("Jolokia at {}: {}, started on its first request", path, routeControl
                ? "read-only plus Camel route control, for authenticated clients" : "read-only");
    }

    synchronized void stop() {
        stopped = true;
        if (engine != null) {
            engine.stop();
            engine = null;
        }
    }

    /** The engine, started by the first request; null when it cannot be (stopped, or it failed). */
    private synchronized JolokiaEngine engine() {
        if (engine == null && failure == null && !stopped) {
            try {
                engine = new JolokiaEngine(policy);
                LOG.info("Jolokia started under {}", policy);
            } catch (RuntimeException | LinkageError e) {
                failure = "Jolokia could not start under " + policy + ": " + e;
                LOG.error(failure, e);
            }
        }
        return engine;
    }

    /** One Jolokia request: method and body size here, access and the answer in {@link JolokiaEngine}. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("POST")) {
            ObserveServer.answer(exchange, 405, ObserveServer.TEXT, "GET or POST\n");
            return;
        }
        byte[] body = null;
        if (method.equals("POST")) {
            body = readBounded(exchange.getRequestBody());
            if (body == null) {
                ObserveServer.answer(exchange, 413, ObserveServer.TEXT, "a Jolokia request is at most "
                        + MAX_BODY_BYTES + " bytes\n");
                return;
            }
        }
        JolokiaEngine jolokia = engine();
        if (jolokia == null) {
            ObserveServer.answer(exchange, 503, ObserveServer.TEXT,
                    (failure != null ? failure : "Jolokia is stopping") + "\n");
            return;
        }
        String address = ((InetSocketAddress) exchange.getRemoteAddress()).getAddress().getHostAddress();
        // the decoded path below the mount point, as a servlet's path info (Jolokia's own
        // escapes, "!/" for a slash inside a name, survive the decoding)
        String decoded = exchange.getRequestURI().getPath();
        JolokiaEngine.Answer answer = jolokia.handle(address, origin(exchange), exchange.getRequestURI().toString(),
                decoded.substring(Math.min(path.length(), decoded.length())), ObserveServer.query(exchange), body);
        ObserveServer.answer(exchange, answer.status(), ObserveServer.JSON, answer.json());
    }

    /** The body, or null when it is longer than {@link #MAX_BODY_BYTES}. */
    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] read = in.readNBytes(MAX_BODY_BYTES + 1);
        return read.length > MAX_BODY_BYTES ? null : read;
    }

    /**
     * The browser's Origin (or Referer): checked against the policy's allowed origins. Null for a
     * client that sends neither (curl, Hawtio's server-side proxy): not a browser, so not a
     * cross-site request; the client address check still applies.
     */
    private static String origin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null) {
            origin = exchange.getRequestHeaders().getFirst("Referer");
        }
        return origin == null ? null : origin.replaceAll("[\\r\\n]", "");
    }
}
