package io.ep2camel.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.api.LogHandler;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.RuntimeMBeanException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

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
 */
final class ObserveJolokia implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveJolokia.class);
    static final String READ_ONLY_POLICY = "classpath:/jolokia-access.xml";
    static final String ROUTE_CONTROL_POLICY = "classpath:/jolokia-access-route-control.xml";
    /** A Jolokia request is a few kB at most (Hawtio's bulk reads included); more is refused unread. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final String path;
    private final JolokiaServiceManager serviceManager;
    private final HttpRequestHandler requestHandler;

    ObserveJolokia(String path, boolean routeControl) throws IOException {
        this.path = path;
        String location = routeControl ? ROUTE_CONTROL_POLICY : READ_ONLY_POLICY;
        Restrictor policy = RestrictorFactory.lookupPolicyRestrictor(location);
        if (policy == null) {
            throw new IllegalStateException("Jolokia policy " + location + " is missing from the jar");
        }
        serviceManager = JolokiaServiceManagerFactory.createJolokiaServiceManager(
                new StaticConfiguration(ConfigKey.AGENT_ID,
                        // unique per controller: Jolokia registers MBeans under it (tests run several in one JVM)
                        "ep2-camel-" + Integer.toHexString(System.identityHashCode(this))),
                new Slf4jLogHandler(), new OriginOnlyFromBrowsers(policy));
        serviceManager.addService(new JolokiaSerializer());
        serviceManager.addService(new LocalRequestHandler(1));
        requestHandler = new HttpRequestHandler(serviceManager.start());
        LOG.info("Jolokia at {}: {}", path, routeControl
                ? "read-only plus Camel route control, for authenticated clients" : "read-only");
    }

    void stop() {
        serviceManager.stop();
    }

    /**
     * One Jolokia request. Access (client address, Origin) is checked first; Jolokia answers a
     * refusal, as every error, in its JSON (status 403 for a policy refusal).
     */
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
        JSONStructure json;
        int status = 200;
        try {
            String address = ((InetSocketAddress) exchange.getRemoteAddress()).getAddress().getHostAddress();
            requestHandler.checkAccess("http", address, address, origin(exchange));
            String uri = exchange.getRequestURI().toString();
            Map<String, String[]> params = ObserveServer.query(exchange);
            if (body == null) {
                // the decoded path below the mount point, as a servlet's path info (Jolokia's own
                // escapes, "!/" for a slash inside a name, survive the decoding)
                String decoded = exchange.getRequestURI().getPath();
                json = requestHandler.handleGetRequest(uri, decoded.substring(Math.min(path.length(), decoded.length())), params);
            } else {
                json = requestHandler.handlePostRequest(uri, new ByteArrayInputStream(body), StandardCharsets.UTF_8.name(), params);
            }
        } catch (Throwable e) {
            status = e instanceof SecurityException ? 403 : 500;
            json = requestHandler.handleThrowable(e instanceof RuntimeMBeanException r ? r.getTargetException() : e);
        }
        ObserveServer.answer(exchange, status, ObserveServer.JSON, json == null ? "" : json.toJSONString());
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

    /**
     * The policy, except that a request without Origin (and Referer) passes the origin check:
     * Jolokia's strict checking would refuse it ("Origin null"), yet browsers send an Origin with
     * every POST, so such a request comes from curl, a script or Hawtio's server-side proxy, not
     * from a page a browser was lured to. Browsers' origins are still checked strictly.
     */
    private record OriginOnlyFromBrowsers(Restrictor policy) implements Restrictor {
        @Override
        public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
            return origin == null || policy.isOriginAllowed(origin, onlyWhenStrictCheckingIsEnabled);
        }

        @Override
        public boolean isHttpMethodAllowed(org.jolokia.server.core.util.HttpMethod method) {
            return policy.isHttpMethodAllowed(method);
        }

        @Override
        public boolean isTypeAllowed(org.jolokia.server.core.util.RequestType type) {
            return policy.isTypeAllowed(type);
        }

        @Override
        public boolean isAttributeReadAllowed(javax.management.ObjectName name, String attribute) {
            return policy.isAttributeReadAllowed(name, attribute);
        }

        @Override
        public boolean isAttributeWriteAllowed(javax.management.ObjectName name, String attribute) {
            return policy.isAttributeWriteAllowed(name, attribute);
        }

        @Override
        public boolean isOperationAllowed(javax.management.ObjectName name, String operation) {
            return policy.isOperationAllowed(name, operation);
        }

        @Override
        public boolean isRemoteAccessAllowed(String... hostOrAddress) {
            return policy.isRemoteAccessAllowed(hostOrAddress);
        }

        @Override
        public boolean isObjectNameHidden(javax.management.ObjectName name) {
            return policy.isObjectNameHidden(name);
        }

        @Override
        public boolean ignoreScheme() {
            return policy.ignoreScheme();
        }
    }

    /** Jolokia's own messages into the controller's log. */
    private static final class Slf4jLogHandler implements LogHandler {
        private static final Logger JOLOKIA = LoggerFactory.getLogger("org.jolokia");

        @Override
        public void debug(String message) {
            JOLOKIA.debug(message);
        }

        @Override
        public void info(String message) {
            JOLOKIA.info(message);
        }

        @Override
        public void error(String message, Throwable t) {
            JOLOKIA.error(message, t);
        }

        @Override
        public boolean isDebug() {
            return JOLOKIA.isDebugEnabled();
        }
    }
}
