package io.ep2camel.socket;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * Sends commands to HAProxy's runtime API over its stats socket(s): UNIX
 * ({@code haproxy-socket:/run/haproxy/admin.sock}) or TCP ({@code haproxy-socket:ipv4@127.0.0.1:9999},
 * through camel-netty).
 */
@Component("haproxy-socket")
public class HaproxySocketComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        HaproxySocketConfiguration configuration = new HaproxySocketConfiguration();
        configuration.setPath(remaining);
        HaproxySocketEndpoint endpoint = new HaproxySocketEndpoint(uri, this, configuration);
        // the generated endpoint configurer binds the configuration's options too (timeout, failOnErrorReply);
        // leftovers are then reported as unknown by DefaultComponent
        setProperties(endpoint, parameters);
        // checked here, once every option is bound: a bad URI fails at resolution, not on the first message
        endpoint.validate();
        return endpoint;
    }
}
