package io.ep2camel.observe;

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
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Jolokia's service under one of ep2-camel's access policies ({@link ObserveJolokia} says which):
 * the only class that touches Jolokia, so that none of it (nor the XML parser its policy needs)
 * is loaded before the first request to {@code /observe/jolokia}.
 */
final class JolokiaEngine {
    /** Jolokia's answer and the HTTP status it goes with. */
    record Answer(int status, String json) {
    }

    private final JolokiaServiceManager serviceManager;
    private final HttpRequestHandler requestHandler;

    /** @param policy a policy file in the jar, as {@code classpath:/NAME} */
    JolokiaEngine(String policy) {
        Restrictor restrictor;
        try {
            restrictor = RestrictorFactory.lookupPolicyRestrictor(policy);
        } catch (IOException e) {
            throw new IllegalStateException("Jolokia policy " + policy + " cannot be read: " + e, e);
        }
        if (restrictor == null) {
            throw new IllegalStateException("Jolokia policy " + policy + " is missing from the jar");
        }
        serviceManager = JolokiaServiceManagerFactory.createJolokiaServiceManager(
                new StaticConfiguration(ConfigKey.AGENT_ID,
                        // unique per controller: Jolokia registers MBeans under it (tests run several in one JVM)
                        "ep2-camel-" + Integer.toHexString(System.identityHashCode(this))),
                new Slf4jLogHandler(), new OriginOnlyFromBrowsers(restrictor));
        serviceManager.addService(new JolokiaSerializer());
        serviceManager.addService(new LocalRequestHandler(1));
        requestHandler = new HttpRequestHandler(serviceManager.start());
    }

    void stop() {
        serviceManager.stop();
    }

    /**
     * One request: access (client address, Origin) is checked first; Jolokia answers a refusal,
     * as every error, in its JSON (status 403 for a policy refusal).
     *
     * @param pathInfo the decoded path below the mount point, as a servlet's path info
     * @param body     a POST's body, null for a GET
     */
    Answer handle(String address, String origin, String uri, String pathInfo, Map<String, String[]> params,
                  byte[] body) {
        JSONStructure json;
        int status = 200;
        try {
            requestHandler.checkAccess("http", address, address, origin);
            json = body == null
                    ? requestHandler.handleGetRequest(uri, pathInfo, params)
                    : requestHandler.handlePostRequest(uri, new ByteArrayInputStream(body),
                            StandardCharsets.UTF_8.name(), params);
        } catch (Throwable e) {
            status = e instanceof SecurityException ? 403 : 500;
            json = requestHandler.handleThrowable(e instanceof RuntimeMBeanException r ? r.getTargetException() : e);
        }
        return new Answer(status, json == null ? "" : json.toJSONString());
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
