package io.ep2camel.observe;

import io.ep2camel.config.ConfigKey;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.Utils;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceSupport;
import org.jolokia.json.JSONStructure;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Jolokia on Camel's management server ({@code /observe/jolokia}), under ep2-camel's access
 * policy instead of camel-platform-http-jolokia's: that plugin reads one fixed policy file and,
 * when it finds none, allows every MBean operation to any client the server lets in. Here the
 * policy is one of two files in the jar, chosen by the operator's opt-in, and a missing one is a
 * start-up error, never "allow all":
 * <ul>
 *   <li>{@value #READ_ONLY_POLICY} (default): read, list, search and version only, plus the
 *       read-only dump operations Hawtio's route diagram calls; the JDK's diagnostic, HotSpot and
 *       JFR MBeans denied outright; loopback clients and loopback origins only;</li>
 *   <li>{@value #ROUTE_CONTROL_POLICY} ({@code observe_route_control = True}, which requires
 *       {@code observe_credentials_file}: Basic auth on the Jolokia path): the same, plus exec of
 *       Camel's route operations (start, stop, suspend, resume), POST only.</li>
 * </ul>
 * Registered for Camel's management server through
 * {@code META-INF/services/org/apache/camel/platform-http/jolokia}.
 */
public class ObserveJolokiaPlugin extends ServiceSupport implements JolokiaPlatformHttpPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveJolokiaPlugin.class);
    /** Camel property: true when the operator opted in to route control (ep2.conf observe_route_control). */
    static final String ROUTE_CONTROL_PROPERTY = ConfigKey.OBSERVE_ROUTE_CONTROL.property();
    static final String READ_ONLY_POLICY = "classpath:/jolokia-access.xml";
    static final String ROUTE_CONTROL_POLICY = "classpath:/jolokia-access-route-control.xml";

    private CamelContext camelContext;
    private JolokiaServiceManager serviceManager;
    private HttpRequestHandler requestHandler;

    @Override
    protected void doStart() throws IOException {
        boolean control = camelContext.getPropertiesComponent().resolveProperty(ROUTE_CONTROL_PROPERTY)
                .map(Boolean::parseBoolean).orElse(false);
        String location = control ? ROUTE_CONTROL_POLICY : READ_ONLY_POLICY;
        Restrictor policy = RestrictorFactory.lookupPolicyRestrictor(location);
        if (policy == null) {
            throw new IllegalStateException("Jolokia policy " + location + " is missing from the jar");
        }
        Restrictor restrictor = new OriginOnlyFromBrowsers(policy);
        serviceManager = JolokiaServiceManagerFactory.createJolokiaServiceManager(
                new StaticConfiguration(org.jolokia.server.core.config.ConfigKey.AGENT_ID,
                        // unique per controller: Jolokia registers MBeans under it (tests run several in one JVM)
                        "ep2-camel-" + Integer.toHexString(System.identityHashCode(this))), new Slf4jLogHandler(), restrictor);
        serviceManager.addService(new JolokiaSerializer());
        serviceManager.addService(new LocalRequestHandler(1));
        requestHandler = new HttpRequestHandler(serviceManager.start());
        LOG.info("Jolokia at /observe/jolokia: {}", control
                ? "read-only plus Camel route control, for authenticated clients" : "read-only");
    }

    @Override
    protected void doStop() {
        if (serviceManager != null) {
            serviceManager.stop();
        }
    }

    @Override
    public Object getHandler() {
        Handler<RoutingContext> handler = this::handle;
        return handler;
    }

    /**
     * One Jolokia request. Access (client address, Origin) is checked first; Jolokia answers a
     * refusal, as every error, in its JSON (status 403 for a policy refusal).
     */
    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        JSONStructure json;
        int status = 200;
        try {
            String address = req.remoteAddress().host();
            requestHandler.checkAccess(req.scheme(), address, address, origin(req));
            Map<String, String[]> params = params(req);
            if (req.method() == HttpMethod.GET) {
                // the path below the mount point, as Vert.x computes it for a route with a wildcard
                json = requestHandler.handleGetRequest(req.uri(), Utils.pathOffset(req.path(), ctx), params);
            } else {
                if (ctx.body() == null || ctx.body().buffer() == null) {
                    throw new IllegalArgumentException("a Jolokia POST needs a JSON body");
                }
                json = requestHandler.handlePostRequest(req.uri(), new ByteBufInputStream(ctx.body().buffer().getByteBuf()),
                        StandardCharsets.UTF_8.name(), params);
            }
        } catch (Throwable e) {
            status = e instanceof SecurityException ? 403 : 500;
            json = requestHandler.handleThrowable(e instanceof RuntimeMBeanException r ? r.getTargetException() : e);
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json == null ? "" : json.toJSONString());
    }

    /**
     * The browser's Origin (or Referer): checked against the policy's allowed origins. Null for a
     * client that sends neither (curl, Hawtio's server-side proxy): not a browser, so not a
     * cross-site request; the client address check still applies.
     */
    private static String origin(HttpServerRequest req) {
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            origin = req.getHeader(HttpHeaders.REFERER);
        }
        return origin == null ? null : origin.replaceAll("[\\r\\n]", "");
    }

    private static Map<String, String[]> params(HttpServerRequest req) {
        Map<String, String[]> params = new HashMap<>();
        req.params().names().forEach(n -> params.put(n, req.params().getAll(n).toArray(new String[0])));
        return params;
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
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
