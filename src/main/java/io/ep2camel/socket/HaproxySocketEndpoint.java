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
@UriEndpoint(firstVersion = "0.1.0", scheme = "haproxy-socket", syntax = "haproxy-socket:path", producerOnly = true,
        remote = false, title = "HAProxy Runtime API Socket",
        category = { Category.MANAGEMENT, Category.MONITORING, Category.NETWORKING },
        headersClass = HaproxySocketConstants.class)
public class HaproxySocketEndpoint extends DefaultEndpoint {

    @UriParam
    private final HaproxySocketConfiguration configuration;
    /** The path's sockets, parsed once by {@link #validate()}: every exchange sends to all of them. */
    private List<HaproxyAddress> addresses;

    public HaproxySocketEndpoint(String uri, HaproxySocketComponent component, HaproxySocketConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    /**
     * Checks the options (see {@link HaproxySocketConfiguration#validate()}) and keeps the parsed sockets.
     * @throws IllegalArgumentException for a path that names no socket, one HAProxy would not take, or a bad timeout
     */
    void validate() {
        addresses = configuration.validate();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // an endpoint built in Java rather than from a URI is checked here, before any producer exists
        if (addresses == null) {
            validate();
        }
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
