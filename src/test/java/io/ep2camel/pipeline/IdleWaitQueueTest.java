package io.ep2camel.pipeline;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class IdleWaitQueueTest {

    /** Starts a poll with seda's short timeout in another thread. */
    private static CompletableFuture<String> poll(IdleWaitQueue<String> q) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return q.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aShortPollWaitsLongerThanItsTimeoutYetAnOfferEndsItAtOnce() throws Exception {
        IdleWaitQueue<String> q = new IdleWaitQueue<>();
        CompletableFuture<String> polled = poll(q);
        Thread.sleep(300);
        assertThat(polled).as("still waiting well past seda's 100 ms").isNotDone();
        q.offer("round");
        assertThat(polled.get(5, TimeUnit.SECONDS)).isEqualTo("round");
    }

    @Test
    void releaseEndsTheWaitAndLaterPollsUseTheirOwnTimeoutUntilHeldAgain() throws Exception {
        IdleWaitQueue<String> q = new IdleWaitQueue<>();
        CompletableFuture<String> polled = poll(q);
        Thread.sleep(100);
        q.release();
        assertThat(polled.get(5, TimeUnit.SECONDS)).as("woken with nothing").isNull();
        assertThat(poll(q).get(5, TimeUnit.SECONDS)).as("a released queue answers within the poll's own timeout").isNull();
        q.hold();
        CompletableFuture<String> held = poll(q);
        Thread.sleep(300);
        assertThat(held).isNotDone();
        q.offer("again");
        assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo("again");
    }

    /**
     * A stop comes as a round arrives: the consumer thread that took the round goes on to run it
     * (render, haproxy -c, a reload over the socket). An interrupt meant for the idle wait and
     * delivered after the round was taken would break that round's socket read or process wait.
     */
    @Test
    void releaseNeverLeavesAnInterruptOnTheThreadThatTookARound() throws Exception {
        IdleWaitQueue<String> q = new IdleWaitQueue<>();
        int interrupted = 0;
        for (int i = 0; i < 300; i++) {
            q.hold();
            AtomicBoolean flag = new AtomicBoolean();
            CountDownLatch polling = new CountDownLatch(1);
            Thread consumer = new Thread(() -> {
                try {
                    polling.countDown();
                    String round = q.poll(100, TimeUnit.MILLISECONDS);
                    if (round == null) {
                        round = q.poll(100, TimeUnit.MILLISECONDS);   // released first: seda polls again
                    }
                    flag.set(Thread.currentThread().isInterrupted());
                } catch (InterruptedException e) {
                    flag.set(false);                                   // a wait ended by it: allowed
                }
            });
            consumer.start();
            polling.await();
            Thread.sleep(i % 3);
            q.offer("round");
            q.release();
            consumer.join(5_000);
            assertThat(consumer.isAlive()).isFalse();
            q.clear();
            if (flag.get()) {
                interrupted++;
            }
        }
        assertThat(interrupted).as("rounds that went on with an interrupt pending").isZero();
    }
}
