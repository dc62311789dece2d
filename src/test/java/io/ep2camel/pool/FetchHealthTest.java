package io.ep2camel.pool;

import io.ep2camel.testsupport.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FetchHealthTest {
    private final MovableClock clock = new MovableClock();

    @Test
    void backsOffExponentiallyUpToAMinuteAndRecoversOnSuccess() {
        FetchHealth h = new FetchHealth(clock);
        assertThat(h.reachable()).as("not before a first answer").isFalse();
        h.success();
        assertThat(h.reachable()).isTrue();
        assertThat(h.due()).isTrue();

        h.failure("boom");
        assertThat(h.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(h.due()).isFalse();
        clock.move(Duration.ofSeconds(1));
        assertThat(h.due()).isTrue();
        for (int i = 0; i < 10; i++) {
            h.failure("boom");
        }
        assertThat(h.backoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(h.consecutiveFailures()).isEqualTo(11);
        assertThat(h.totalFailures()).isEqualTo(11);
        assertThat(h.lastError()).contains("boom");
        assertThat(h.reachable()).isFalse();

        h.success();
        assertThat(h.due()).isTrue();
        assertThat(h.backoff()).isZero();
        assertThat(h.totalFailures()).as("a counter, not reset").isEqualTo(11);
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
