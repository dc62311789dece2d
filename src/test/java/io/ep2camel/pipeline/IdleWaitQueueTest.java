package io.ep2camel.pipeline;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
}
