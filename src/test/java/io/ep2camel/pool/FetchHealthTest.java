package io.ep2camel.pool;

import io.ep2camel.testsupport.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FetchHealthTest {
    private final MovableClock clock = new MovableClock();

    @Test
    void aShortOutageIsRetriedAtTheNormalPaceALongOneBacksOffExponentiallyUpToAMinute() {
        FetchHealth h = new FetchHealth(clock);
        assertThat(h.reachable()).as("not before a first answer").isFalse();
        h.success();
        assertThat(h.reachable()).isTrue();
        assertThat(h.due()).isTrue();

        for (int s = 0; s < FetchHealth.OUTAGE_GRACE.toSeconds(); s++) {   // one failed poll a second
            h.failure("boom");
            assertThat(h.backoff()).as("%d s into the outage", s).isEqualTo(Backoff.GRACE_PACE);
            assertThat(h.due()).as("a faster poll waits").isFalse();
            clock.move(Duration.ofSeconds(1));
            assertThat(h.due()).as("the next poll of a 1 s poll is not skipped").isTrue();
        }
        assertThat(h.reachable()).isFalse();
        h.failure("boom");                                           // the outage has lasted the grace period
        assertThat(h.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(h.due()).isFalse();
        clock.move(Duration.ofSeconds(1));
        assertThat(h.due()).isTrue();
        h.failure("boom");
        assertThat(h.backoff()).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            h.failure("boom");
        }
        assertThat(h.backoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(h.consecutiveFailures()).isEqualTo(42);
        assertThat(h.totalFailures()).isEqualTo(42);
        assertThat(h.lastError()).contains("boom");

        h.success();                                                 // the back-off resets on the first success
        assertThat(h.due()).isTrue();
        assertThat(h.backoff()).isZero();
        assertThat(h.totalFailures()).as("a counter, not reset").isEqualTo(42);
        h.failure("again");
        assertThat(h.backoff()).as("a new outage starts a new grace period").isEqualTo(Backoff.GRACE_PACE);
    }

    @Test
    void aFailedApplyWaitsBeforeTheNextAttempt() {
        AppliedBackends applied = new AppliedBackends();
        assertThat(applied.applyDue()).isTrue();
        applied.applyFailed();
        assertThat(applied.applyDue()).isFalse();
        applied.markApplied(io.ep2camel.model.BackendSet.EMPTY);
        assertThat(applied.applyDue()).isTrue();
    }
}
