package io.ep2camel.socket;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

import java.time.Duration;

/**
 * Runs a command (String body) or a batch of commands (List body) on HAProxy's runtime API
 * through its stats socket(s) (UNIX, or TCP through camel-netty), and replaces the body with
 * HAProxy's replies.
 */
@UriEndpoint(scheme = "haproxy-socket", syntax = "haproxy-socket:path", producerOnly = true, remote = false,
        title = "HAProxy Runtime API Socket", category = { Category.NETWORKING, Category.MANAGEMENT },
        headersClass = HaproxySocketConstants.class)
public class HaproxySocketEndpoint extends DefaultEndpoint {

    @UriParam
    private final HaproxySocketConfiguration configuration;

    public HaproxySocketEndpoint(String uri, HaproxySocketComponent component, HaproxySocketConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    public HaproxySocketConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Producer createProducer() {
        return new HaproxySocketProducer(this, new HaproxySocketClient(Duration.ofMillis(configuration.getTimeout())),
                new NettyCliTransport(getCamelContext(), configuration.getTimeout()));
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("haproxy-socket endpoints can only send: " + getEndpointUri());
    }
}
