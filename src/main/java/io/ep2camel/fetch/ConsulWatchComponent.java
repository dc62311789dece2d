package io.ep2camel.fetch;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * The source of the Consul watch route: {@code ep2-consul-watch:<service>?watch=#<ConsulWatch bean>}
 * (routes/consul.camel.yaml registers it under that name). Each exchange is one turn: one blocking
 * query to make, its index and wait in the variables the fetch route reads. The path only names
 * what is watched, for logs and JMX.
 */
public final class ConsulWatchComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ConsulWatchEndpoint endpoint = new ConsulWatchEndpoint(uri, this);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
