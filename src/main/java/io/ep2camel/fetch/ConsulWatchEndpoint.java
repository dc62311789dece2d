package io.ep2camel.fetch;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** See {@link ConsulWatchComponent}: consumer only, one per pool's watch route. */
public final class ConsulWatchEndpoint extends DefaultEndpoint {
    private ConsulWatch watch;

    ConsulWatchEndpoint(String uri, ConsulWatchComponent component) {
        super(uri, component);
    }

    /** The pool's watch state (its index, rate limit, back-off): option {@code watch=#bean}. */
    public void setWatch(ConsulWatch watch) {
        this.watch = watch;
    }

    public ConsulWatch getWatch() {
        return watch;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (watch == null) {
            throw new IllegalArgumentException(getEndpointUri() + ": option watch (a ConsulWatch bean) is required");
        }
        Consumer consumer = new ConsulWatchConsumer(this, processor, watch);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " is a route source only");
    }
}
