package io.ep2camel.pipeline;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The queue behind the pipeline's seda endpoints, so an idle controller sleeps: seda's consumer
 * asks the queue for the next exchange with its {@code pollTimeout} and loops when none came. A
 * short pollTimeout is needed (seda also sleeps that long, up to 1 s, when it first polls while its
 * route is still starting: a long one would delay the bootstrap), but it would wake the thread ten
 * times a second while nothing happens. This queue waits {@link #IDLE_WAIT_MILLIS} instead: an
 * exchange offered meanwhile still ends the wait at once.
 * <p>
 * Stopping: seda's consumer is stopped gracefully, by waiting for its thread to come back from the
 * queue, so {@link #release()} (called when Camel stops) ends a long wait at once and makes every
 * later wait seda's own short one; {@link #hold()} (the route started again) restores it. A route
 * stopped on its own (Jolokia, Hawtio) is told only once its consumer has stopped, so that stop
 * waits out the current wait: that is why the wait is 5 s (one wake-up per 5 s idle, instead of ten
 * a second), not longer.
 */
final class IdleWaitQueue<E> extends LinkedBlockingQueue<E> {
    static final long IDLE_WAIT_MILLIS = 5_000;

    private volatile boolean released;
    private volatile Thread waiting;

    IdleWaitQueue() {
    }

    IdleWaitQueue(int capacity) {
        super(capacity);
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (released) {
            return super.poll(timeout, unit);
        }
        waiting = Thread.currentThread();
        try {
            return super.poll(Math.max(unit.toMillis(timeout), IDLE_WAIT_MILLIS), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            if (released) {
                return null;      // woken by release(): seda's loop now sees it is stopping
            }
            throw e;
        } finally {
            waiting = null;
        }
    }

    /** Ends a long wait now; from now on waits are seda's own pollTimeout. */
    void release() {
        released = true;
        Thread t = waiting;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Long waits again (the route was started again). */
    void hold() {
        released = false;
    }
}
