package io.ep2camel.pipeline;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.testsupport.MovableClock;
import io.ep2camel.testsupport.TestPools;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PendingChangesTest {
    private static final BackendSet A = BackendSet.of(new Backend("10.0.0.1", 80));
    private static final BackendSet B = BackendSet.of(new Backend("10.0.0.2", 80));
    private static final BackendSet C = BackendSet.of(new Backend("10.0.0.3", 80));
    /** update_by_config's defaults, scaled: reloads at least 1 s apart, a 50 ms coalescing window. */
    private static final ApplyWindow COALESCING = new ApplyWindow(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
            Duration.ofMillis(50));
    private final MovableClock clock = new MovableClock();

    private PendingChanges pending(Pools pools, ApplyWindow window, boolean reloads) {
        return new PendingChanges(pools, window, reloads, clock);
    }

    @Test
    void oneRoundCoversEveryPoolQueuedSinceTheLastApply() throws Exception {
        Pools pools = TestPools.of("api");
        PendingChanges p = pending(pools, ApplyWindow.AT_ONCE, true);
        Pool web = pools.first();
        Pool api = pools.find("api").orElseThrow();
        p.offer(web, A, 1);
        p.offer(web, B, 2);                               // the newest answer of a pool wins
        p.offer(api, C, 3);
        Round round = p.take();
        assertThat(round.changed()).containsExactly(web, api);
        assertThat(round.target(web)).isEqualTo(B);
        assertThat(round.target(api)).isEqualTo(C);
        assertThat(round.receivedNanos(web)).as("the first answer of the round").isEqualTo(1);
        assertThat(p.take().isEmpty()).isTrue();
        assertThat(p.waiting()).isFalse();
    }

    @Test
    void aHeldRoundIsDueExactlyWhenTheWindowOpensAndNoWakeUpIsAskedWhileNothingWaits() throws Exception {
        Pools pools = TestPools.of("api");
        Pool web = pools.first();
        Pool api = pools.find("api").orElseThrow();
        PendingChanges p = pending(pools, new ApplyWindow(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(3)),
                true);
        assertThat(p.millisUntilDue()).as("nothing waits").isEqualTo(-1);
        p.offer(web, A, 1);
        assertThat(p.millisUntilDue()).as("api never answered: its answer will ask for the apply").isEqualTo(-1);
        p.offer(api, B, 2);
        assertThat(p.millisUntilDue()).isEqualTo(2000);            // debounce_min after the last change
        clock.move(Duration.ofMillis(1999));
        assertThat(p.take().isEmpty()).isTrue();
        assertThat(p.millisUntilDue()).isEqualTo(1);
        clock.move(Duration.ofMillis(1));
        assertThat(p.millisUntilDue()).isZero();
        Round round = p.take();
        assertThat(round.isEmpty()).isFalse();
        round.markApplied();

        p.offer(web, C, 3);                                      // the reload rate limit is the later bound now
        assertThat(p.millisUntilDue()).isEqualTo(3000);
        clock.move(Duration.ofMillis(2999));
        assertThat(p.take().isEmpty()).isTrue();
        clock.move(Duration.ofMillis(1));
        assertThat(p.take().isEmpty()).isFalse();
        assertThat(p.millisUntilDue()).isEqualTo(-1);
    }

    @Test
    void theFirstApplyWaitsUntilEveryPoolHasAnswered() throws Exception {
        Pools pools = TestPools.of("api");
        PendingChanges p = pending(pools, ApplyWindow.AT_ONCE, true);
        p.offer(pools.first(), A, 1);
        assertThat(p.take().isEmpty()).as("api has never answered").isTrue();
        assertThat(p.waiting()).isTrue();
        p.offer(pools.find("api").orElseThrow(), BackendSet.EMPTY, 2);
        Round round = p.take();
        assertThat(round.changed()).hasSize(2);
        round.markApplied();
        // from now on one pool alone may go; the other keeps what it was brought to
        p.offer(pools.first(), B, 3);
        Round next = p.take();
        assertThat(next.changed()).containsExactly(pools.first());
        assertThat(next.target(pools.find("api").orElseThrow())).isEqualTo(BackendSet.EMPTY);
    }

    @Test
    void debounceCoalescesABurstUntilItIsQuietOrTheMaximumWaitPassed() throws Exception {
        Pools pools = TestPools.of();
        Pool web = pools.first();
        web.applied().markApplied(A);
        PendingChanges p = pending(pools, new ApplyWindow(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ZERO), false);
        p.offer(web, B, 1);
        clock.move(Duration.ofMillis(1500));
        assertThat(p.take().isEmpty()).as("not quiet for 2 s yet").isTrue();
        p.offer(web, C, 2);                                  // the burst goes on: the quiet window restarts
        clock.move(Duration.ofMillis(1500));
        assertThat(p.take().isEmpty()).isTrue();
        clock.move(Duration.ofMillis(600));
        Round round = p.take();                              // 2.1 s quiet
        assertThat(round.target(web)).isEqualTo(C);
        round.markApplied();

        // continuous churn: applied at the latest debounce_max after the first change
        for (int i = 0; i < 5; i++) {
            p.offer(web, i % 2 == 0 ? A : B, 10 + i);
            clock.move(Duration.ofSeconds(1));
            if (i < 4) {
                assertThat(p.take().isEmpty()).as("after %d s", i + 1).isTrue();
            }
        }
        assertThat(p.take().isEmpty()).as("5 s after the first change").isFalse();
    }

    @Test
    void anUnchangedAnswerIsAReconcileAndIsNotHeldByTheDebounce() throws Exception {
        Pools pools = TestPools.of();
        Pool web = pools.first();
        web.applied().markApplied(A);
        PendingChanges p = pending(pools, new ApplyWindow(Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ZERO), false);
        p.offer(web, A, 1);
        assertThat(p.take().changed()).containsExactly(web);
    }

    @Test
    void reloadsAreRateLimitedAndWhatArrivesMeanwhileGoesOutTogether() throws Exception {
        Pools pools = TestPools.of("api");
        Pool web = pools.first();
        Pool api = pools.find("api").orElseThrow();
        PendingChanges p = pending(pools, new ApplyWindow(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(3)), true);
        p.offer(web, A, 1);
        p.offer(api, A, 1);
        p.take().markApplied();                             // the bootstrap reload
        clock.move(Duration.ofSeconds(1));
        p.offer(web, B, 2);
        assertThat(p.take().isEmpty()).as("1 s after the last reload").isTrue();
        clock.move(Duration.ofSeconds(1));
        p.offer(api, C, 3);
        assertThat(p.take().isEmpty()).isTrue();
        clock.move(Duration.ofSeconds(1));
        assertThat(p.take().changed()).as("3 s after: one reload for both").containsExactly(web, api);
    }

    @Test
    void runtimeUpdatesAreNotRateLimited() throws Exception {
        Pools pools = TestPools.of();
        PendingChanges p = pending(pools, new ApplyWindow(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(3)), false);
        p.offer(pools.first(), A, 1);
        p.take().markApplied();
        p.offer(pools.first(), B, 2);
        assertThat(p.take().changed()).hasSize(1);
    }

    @Test
    void aRollingStepsRegisterAndDeregisterGoOutInOneReloadAndTheNextStepDoesNotWaitAWholeInterval() throws Exception {
        Pools pools = TestPools.of();
        Pool web = pools.first();
        PendingChanges p = pending(pools, COALESCING, true);
        p.offer(web, A, 1);
        clock.move(Duration.ofMillis(50));
        p.take().markApplied();                                      // the bootstrap
        clock.move(Duration.ofSeconds(5));
        p.offer(web, BackendSet.of(new Backend("10.0.0.1", 80), new Backend("10.0.0.2", 80)), 2); // register
        clock.move(Duration.ofMillis(5));
        p.offer(web, B, 3);                                          // deregister, 5 ms later
        assertThat(p.take().isEmpty()).as("within the coalescing window").isTrue();
        assertThat(p.millisUntilDue()).isEqualTo(45);
        clock.move(Duration.ofMillis(45));
        Round step = p.take();
        assertThat(step.target(web)).as("both events in one reload").isEqualTo(B);
        step.markApplied();
        clock.move(Duration.ofMillis(1000));                         // the next step, 1 s later
        p.offer(web, C, 4);
        assertThat(p.millisUntilDue()).as("the coalescing window, not a whole reload interval").isEqualTo(50);
    }

    @Test
    void aPollTicksChangesGoOutWithoutTheCoalescingWindowAPushedOneStillWaitsForIt() throws Exception {
        Pools pools = TestPools.of("api");
        Pool web = pools.first();
        Pool api = pools.find("api").orElseThrow();
        PendingChanges p = pending(pools, COALESCING, true);
        p.offer(web, A, 1);
        p.offer(api, A, 2);
        p.take().markApplied();                                      // the bootstrap
        clock.move(Duration.ofSeconds(5));
        p.offerPolled(web, B, 3);                                    // one tick: both pools, then the apply
        p.offerPolled(api, B, 4);
        assertThat(p.millisUntilDue()).as("a tick's answers are together already").isZero();
        Round tick = p.take();
        assertThat(tick.changed()).hasSize(2);
        tick.markApplied();

        clock.move(Duration.ofSeconds(5));
        p.offerPolled(web, C, 5);
        p.offer(api, C, 6);                                          // a watch's event in the same round
        assertThat(p.millisUntilDue()).as("the pushed change waits for what comes with it").isEqualTo(50);
        assertThat(p.take().isEmpty()).isTrue();
        clock.move(Duration.ofMillis(50));
        assertThat(p.take().changed()).hasSize(2);
    }

    @Test
    void theFirstApplyGoesOutWithoutTheCoalescingWindowOnceEveryPoolHasAnswered() throws Exception {
        Pools pools = TestPools.of("api");
        Pool web = pools.first();
        Pool api = pools.find("api").orElseThrow();
        PendingChanges p = pending(pools, COALESCING, true);
        p.offer(web, A, 1);
        p.offer(api, B, 2);
        assertThat(p.millisUntilDue()).as("nothing else can come with the first answers").isZero();
        p.take().markApplied();
        clock.move(Duration.ofSeconds(5));
        p.offer(web, C, 3);
        assertThat(p.millisUntilDue()).as("later changes are coalesced").isEqualTo(50);
    }

    @Test
    void aStormOfAHundredChangesInTenSecondsGivesAtMostOneReloadPerSecond() throws Exception {
        Pools pools = TestPools.of();
        Pool web = pools.first();
        PendingChanges p = pending(pools, COALESCING, true);
        p.offer(web, A, 0);
        p.take();                                                    // nothing applied yet: the bootstrap waits 50 ms
        clock.move(Duration.ofMillis(50));
        p.take().markApplied();
        int reloads = 0;
        BackendSet last = A;
        BackendSet applied = A;
        for (int ms = 0; ms < 10_000; ms += 10) {                    // a change every 100 ms, applies asked every 10 ms
            if (ms % 100 == 0) {
                last = last == B ? C : B;
                p.offer(web, last, ms);
            }
            Round round = p.take();
            if (!round.isEmpty()) {
                applied = round.target(web);
                round.markApplied();
                reloads++;
            }
            clock.move(Duration.ofMillis(10));
        }
        clock.move(Duration.ofSeconds(1));
        Round rest = p.take();
        if (!rest.isEmpty()) {
            applied = rest.target(web);
            reloads++;
        }
        assertThat(reloads).as("reloads for 100 changes in 10 s, the last one included").isBetween(9, 10);
        assertThat(applied).as("the last change still goes out").isEqualTo(last);
    }

    @Test
    void aWindowNeverWaitsLongerThanItsMinimum() {
        ApplyWindow w = new ApplyWindow(Duration.ofSeconds(4), Duration.ofSeconds(1), Duration.ZERO);
        assertThat(w.max()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void updateByConfigDropsAQueuedSetThatTheApplyInProgressInstalledMeanwhile() throws Exception {
        Pools pools = TestPools.of();
        Pool web = pools.first();
        PendingChanges p = pending(pools, ApplyWindow.AT_ONCE, true);
        p.offer(web, A, 1);
        assertThat(p.take().target(web)).isEqualTo(A);
        p.offer(web, A, 2);                  // a poll while that round was reloading
        web.applied().markApplied(A);        // the round is done
        assertThat(p.take().isEmpty()).as("no second render for the same set").isTrue();
        assertThat(p.waiting()).isFalse();

        web.applied().forget();              // drifted file or HAProxy not running: the same set goes out again
        p.offer(web, A, 3);
        assertThat(p.take().target(web)).isEqualTo(A);

        PendingChanges runtime = pending(pools, ApplyWindow.AT_ONCE, false);
        web.applied().markApplied(A);
        runtime.offer(web, A, 4);
        assertThat(runtime.take().target(web)).as("update_by_runtime: every answer reconciles").isEqualTo(A);
    }
}
