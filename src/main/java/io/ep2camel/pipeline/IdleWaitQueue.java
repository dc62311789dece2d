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
 * later wait seda's own short one; {@link #hold()} (the route started again) restores it. The wait
 * is on a monitor of its own that every offer and release signal, never ended by an interrupt: an
 * interrupt sent as a round was being taken stayed on the thread that runs the round and broke its
 * socket read or process wait (a stop at the moment a round arrived). A route stopped on its own
 * (Jolokia, Hawtio) is told only once its consumer has stopped, so that stop waits out the current
 * wait: that is why the wait is 5 s (one wake-up per 5 s idle, instead of ten a second), not longer.
 */
final class IdleWaitQueue<E> extends LinkedBlockingQueue<E> {
    static final long IDLE_WAIT_MILLIS = 5_000;

    private volatile boolean released;
    /** What a long wait waits on: offers and release() signal it. */
    private final Object signal = new Object();

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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(unit.toMillis(timeout), IDLE_WAIT_MILLIS));
        synchronized (signal) {
            while (true) {
                E head = super.poll();
                long left = deadline - System.nanoTime();
                if (head != null || released || left <= 0) {
                    return head;          // null after release(): seda's loop now sees it is stopping
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
        }
    }

    @Override
    public boolean offer(E e) {
        return signalled(super.offer(e));
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        return signalled(super.offer(e, timeout, unit));
    }

    @Override
    public void put(E e) throws InterruptedException {
        super.put(e);
        signal();
    }

    /** Ends a long wait now; from now on waits are seda's own pollTimeout. */
    void release() {
        released = true;
        signal();
    }

    private boolean signalled(boolean offered) {
        if (offered) {
            signal();
        }
        return offered;
    }

    private void signal() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Long waits again (the route was started again). */
    void hold() {
        released = false;
    }
}
