package io.ep2camel.fetch;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.testsupport.MovableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Consul's blocking-query rules, step by step on a hand-moved clock. */
class ConsulWatchTest {
    private static final List<Map<String, Object>> ONE = List.of(Map.of("host", "10.0.0.1", "port", 80));

    private final MovableClock clock = new MovableClock();
    private final FetchHealth health = new FetchHealth(clock);
    private final AppliedBackends applied = new AppliedBackends();
    private final ConsulAgent agent = new ConsulAgent("127.0.0.1", 8500, false, Optional.empty());
    private ConsulWatch watch;

    @BeforeEach
    void setUp() {
        watch = new ConsulWatch(health, applied, agent, 30, 5000, clock);
    }

    /** One call: returns whether its answer was pushed. */
    private boolean call(long answerIndex, Duration takes, Object body) {
        assertThat(watch.due()).as("due").isTrue();
        watch.nextIndex();
        clock.move(takes);
        return watch.answered(BigInteger.valueOf(answerIndex), body);
    }

    private void settle() {
        applied.markApplied(BackendSet.of(List.of(new Backend("10.0.0.1", 80))));
    }

    @Test
    void theFirstCallAnswersAtOnceThenCallsBlockOnTheLastIndex() {
        assertThat(watch.nextIndex()).isNull();
        assertThat(watch.nextWait()).isNull();
        assertThat(watch.answered(BigInteger.valueOf(42), ONE)).as("first answer pushed").isTrue();
        settle();
        clock.move(Duration.ofMillis(60));

        assertThat(watch.nextIndex()).isEqualTo(BigInteger.valueOf(42));
        assertThat(watch.nextWait()).isEqualTo("30s");
        clock.move(Duration.ofSeconds(3));
        assertThat(watch.answered(BigInteger.valueOf(43), ONE)).as("index moved").isTrue();
    }

    @Test
    void anUnchangedIndexAfterTheWholeWaitIsAHeartbeatRound() {
        call(42, Duration.ZERO, ONE);
        settle();
        clock.move(Duration.ofMillis(60));
        assertThat(call(42, Duration.ofSeconds(30), ONE)).isTrue();
        clock.move(Duration.ofMillis(60));
        assertThat(watch.due()).as("no pause after a normal timeout").isTrue();
    }

    @Test
    void anUnchangedIndexAnsweredEarlyIsNotPushedAndPausesTheLoop() {
        call(42, Duration.ZERO, ONE);
        settle();
        clock.move(Duration.ofMillis(60));
        assertThat(call(42, Duration.ofMillis(5), ONE)).isFalse();
        clock.move(Duration.ofMillis(500));
        assertThat(watch.due()).as("within the early-answer pause").isFalse();
        clock.move(ConsulWatch.EARLY_PAUSE);
        assertThat(watch.due()).isTrue();
    }

    @Test
    void callsAreRateLimited() {
        watch.nextIndex();
        watch.answered(BigInteger.valueOf(42), ONE);
        assertThat(watch.due()).isFalse();
        clock.move(ConsulWatch.MIN_INTERVAL);
        assertThat(watch.due()).isTrue();
    }

    @Test
    void anIndexThatWentBackwardsStartsOver() {
        call(42, Duration.ZERO, ONE);
        settle();
        clock.move(Duration.ofMillis(60));
        assertThat(call(7, Duration.ofMillis(100), ONE)).as("the new state is still pushed").isTrue();
        assertThat(watch.index()).isZero();
        clock.move(Duration.ofMillis(60));
        assertThat(watch.nextIndex()).as("next call answers at once").isNull();
        assertThat(watch.answered(BigInteger.valueOf(8), ONE)).isTrue();
        assertThat(watch.index()).isEqualTo(8);
    }

    @Test
    void anIndexBelowOneIsUsedAsOne() {
        call(0, Duration.ZERO, ONE);
        assertThat(watch.index()).isEqualTo(1);
        clock.move(Duration.ofMillis(60));
        assertThat(watch.nextIndex()).isEqualTo(BigInteger.ONE);
        assertThat(watch.answered(null, ONE)).as("a missing index counts as 0: unchanged at 1").isFalse();
        assertThat(watch.index()).isEqualTo(1);
    }

    @Test
    void whileHaproxyIsNotAtConsulsStateTheWaitIsSleepBeforeNextRun() {
        call(42, Duration.ZERO, ONE);                          // nothing applied yet
        clock.move(Duration.ofMillis(60));
        watch.nextIndex();
        assertThat(watch.nextWait()).isEqualTo("5s");
        clock.move(Duration.ofSeconds(5));
        assertThat(watch.answered(BigInteger.valueOf(42), ONE)).as("a round every 5 s").isTrue();

        settle();
        clock.move(Duration.ofMillis(60));
        watch.nextIndex();
        assertThat(watch.nextWait()).isEqualTo("30s");
        clock.move(Duration.ofSeconds(1));
        watch.answered(BigInteger.valueOf(50), List.of());    // everything gone: awaits confirmation
        clock.move(Duration.ofMillis(60));
        watch.nextIndex();
        assertThat(watch.nextWait()).isEqualTo("5s");
        clock.move(Duration.ofSeconds(5));
        assertThat(watch.answered(BigInteger.valueOf(50), List.of())).as("a confirmation round").isTrue();

        applied.applyFailed();                                 // an apply failed: retried at poll pace too
        clock.move(Duration.ofSeconds(1));
        watch.nextIndex();
        watch.answered(BigInteger.valueOf(51), ONE);
        clock.move(Duration.ofMillis(60));
        watch.nextIndex();
        assertThat(watch.nextWait()).isEqualTo("5s");
    }

    @Test
    void aShortSleepStillWaitsOneSecondAndNeverLongerThanWait() {
        ConsulWatch fast = new ConsulWatch(health, applied, agent, 30, 200, clock);
        fast.nextIndex();
        fast.answered(BigInteger.valueOf(3), ONE);
        clock.move(Duration.ofMillis(60));
        fast.nextIndex();
        assertThat(fast.nextWait()).isEqualTo("1s");

        ConsulWatch shortWait = new ConsulWatch(health, applied, agent, 2, 5000, clock);
        shortWait.nextIndex();
        shortWait.answered(BigInteger.valueOf(3), ONE);
        clock.move(Duration.ofMillis(60));
        shortWait.nextIndex();
        assertThat(shortWait.nextWait()).isEqualTo("2s");
    }

    @Test
    void aFailurePausesASecondAndStartsTheWatchOver() {
        call(42, Duration.ZERO, ONE);
        settle();
        clock.move(Duration.ofMillis(60));
        watch.nextIndex();
        assertThat(watch.failed(new IllegalStateException("Consul request failed",
                new IOException("Connection\n refused")))).isEqualTo("Consul request failed: IOException Connection refused");
        assertThat(health.consecutiveFailures()).isEqualTo(1);
        assertThat(health.lastError()).contains("Consul request failed: IOException Connection refused");
        assertThat(watch.index()).isZero();
        assertThat(watch.due()).as("the retry pause").isFalse();
        assertThat(watch.retryMillis()).as("what the log says").isEqualTo(1000);
        clock.move(ConsulWatch.RETRY_PAUSE.minusMillis(1));
        assertThat(watch.due()).isFalse();
        clock.move(Duration.ofMillis(1));
        assertThat(watch.due()).as("a short outage is asked about once a second: no back-off within its grace period")
                .isTrue();
        assertThat(watch.nextIndex()).isNull();
        assertThat(watch.answered(BigInteger.valueOf(42), ONE)).as("same index, but pushed after a failure").isTrue();
    }

    @Test
    void callsCancelledByAStopAreNoFailures() {
        agent.cancelCalls();
        assertThat(watch.failed(new IOException("Canceled"))).isNull();
        assertThat(health.consecutiveFailures()).isZero();
        assertThat(watch.due()).isFalse();
    }

    @Test
    void aStoppedWatchWakesFromItsTurnAndItsCancelledCallIsNoFailure() throws Exception {
        call(42, Duration.ZERO, ONE);                          // within the rate limit now: not due
        Thread waiter = new Thread(() -> {
            try {
                assertThat(watch.awaitTurn()).as("stopped: no turn").isFalse();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        Thread.sleep(150);
        assertThat(waiter.isAlive()).as("waits while not due").isTrue();
        watch.stop();
        waiter.join(1000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(watch.failed(new IOException("Canceled"))).isNull();
        assertThat(health.consecutiveFailures()).isZero();
    }

    @Test
    void aRestartedWatchAnswersAtOnceAndPushes() throws Exception {
        call(42, Duration.ZERO, ONE);
        settle();
        watch.stop();
        watch.start();
        clock.move(ConsulWatch.MIN_INTERVAL);
        assertThat(watch.awaitTurn()).isTrue();
        assertThat(watch.nextIndex()).isNull();
        assertThat(watch.answered(BigInteger.valueOf(42), ONE)).as("same index, pushed after a restart").isTrue();
    }
}
