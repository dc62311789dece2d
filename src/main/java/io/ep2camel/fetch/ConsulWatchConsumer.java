package io.ep2camel.fetch;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import java.util.concurrent.ExecutorService;

/**
 * The loop of the Consul watch, on a thread of its own: wait for the turn (rate limit, back-off),
 * then route one exchange carrying the call's index and wait; the route makes the blocking query
 * and hands the answer on. No timer: between turns the thread sleeps, during one it waits in Consul.
 * <p>
 * Stopping the route (or Camel) ends the loop at once: a turn awaited is woken, the blocking query
 * in flight is cancelled (it would otherwise hold the stop for up to {@code wait}), and the
 * cancelled call is no failure ({@link ConsulWatch#failed} returns null).
 */
final class ConsulWatchConsumer extends DefaultConsumer {
    /** The variables routes/consul.camel.yaml's fetch route reads: CamelConsulIndex and CamelConsulWait. */
    static final String INDEX_VARIABLE = "consulIndex";
    static final String WAIT_VARIABLE = "consulWait";

    private final ConsulWatch watch;
    private ExecutorService executor;
    private volatile Thread loop;

    ConsulWatchConsumer(ConsulWatchEndpoint endpoint, Processor processor, ConsulWatch watch) {
        super(endpoint, processor);
        this.watch = watch;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        watch.start();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "ep2-consul-watch");
        executor.execute(this::run);
    }

    @Override
    protected void doStop() throws Exception {
        watch.stop();
        Thread t = loop;
        if (t != null) {
            watch.agent().cancelCallsOf(t);
        }
        if (executor != null) {
            // no interrupt: the loop ends by itself now, and an apply it waits for is left to finish
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
            executor = null;
        }
        super.doStop();
    }

    private void run() {
        loop = Thread.currentThread();
        try {
            while (isRunAllowed() && watch.awaitTurn()) {
                turn();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.agent().allowCalls(Thread.currentThread());
            loop = null;
        }
    }

    /** One blocking query and what the route does with its answer; the route catches its errors. */
    private void turn() {
        Exchange exchange = createExchange(false);
        exchange.setVariable(INDEX_VARIABLE, watch.nextIndex());
        exchange.setVariable(WAIT_VARIABLE, watch.nextWait());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Consul watch turn failed", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}
