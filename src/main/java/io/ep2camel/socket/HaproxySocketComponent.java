package io.ep2camel.socket;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * Sends commands to HAProxy's runtime API over its stats socket(s): UNIX
 * ({@code haproxy-socket:/run/haproxy/admin.sock}) or TCP ({@code haproxy-socket:ipv4@127.0.0.1:9999},
 * through camel-netty).
 */
public class HaproxySocketComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        HaproxySocketConfiguration configuration = new HaproxySocketConfiguration();
        configuration.setPath(remaining);
        // No generated configurer here: bind the options onto the configuration bean first, the
        // rest (lazyStartProducer...) onto the endpoint; leftovers are then reported as unknown
        setProperties(configuration, parameters);
        // the endpoint parses the path's sockets: a bad one fails here rather than on the first message
        HaproxySocketEndpoint endpoint = new HaproxySocketEndpoint(uri, this, configuration);
        setProperties(endpoint, parameters);
        if (configuration.getTimeout() <= 0) {
            throw new IllegalArgumentException("haproxy-socket timeout must be positive, got " + configuration.getTimeout());
        }
        return endpoint;
    }
}
