package io.ep2camel.socket;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

import io.ep2camel.model.HaproxyAddress;

import java.time.Duration;
import java.util.List;

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
    /** The path's sockets, parsed once: every exchange sends to all of them. */
    private final List<HaproxyAddress> addresses;

    /** @throws IllegalArgumentException for a path that names no socket, or names one HAProxy would not take */
    public HaproxySocketEndpoint(String uri, HaproxySocketComponent component, HaproxySocketConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
        this.addresses = configuration.addresses();
    }

    List<HaproxyAddress> addresses() {
        return addresses;
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
