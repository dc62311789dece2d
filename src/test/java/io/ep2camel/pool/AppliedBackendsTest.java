package io.ep2camel.pool;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppliedBackendsTest {
    private static final BackendSet A = BackendSet.of(new Backend("10.0.0.1", 80));
    private static final BackendSet B = BackendSet.of(new Backend("10.0.0.2", 80));
    private final AppliedBackends applied = new AppliedBackends();

    @Test
    void before_bootstrap_everything_needs_applying_even_an_empty_set() {
        assertThat(applied.needsApply(A)).isTrue();
        assertThat(applied.needsApply(BackendSet.EMPTY)).isTrue();
        assertThat(applied.current()).isEmpty();
        assertThat(applied.appliedAt()).isEmpty();
    }

    @Test
    void before_bootstrap_the_diff_adds_everything() {
        assertThat(applied.diff(A).added()).containsExactlyElementsOf(A.backends());
        assertThat(applied.diff(A).removed()).isEmpty();
    }

    @Test
    void after_markApplied_the_same_set_needs_nothing() {
        applied.markApplied(A);
        assertThat(applied.needsApply(A)).isFalse();
        assertThat(applied.needsApply(BackendSet.of(new Backend("10.0.0.1", 80)))).isFalse();
        assertThat(applied.needsApply(B)).isTrue();
        assertThat(applied.current()).contains(A);
        assertThat(applied.appliedAt()).isPresent();
    }

    @Test
    void an_empty_set_after_a_non_empty_one_needs_applying() {
        applied.markApplied(A);
        assertThat(applied.needsApply(BackendSet.EMPTY)).isTrue();
        assertThat(applied.diff(BackendSet.EMPTY).removed()).containsExactlyElementsOf(A.backends());
    }

    @Test
    void a_weight_change_needs_applying() {
        applied.markApplied(A);
        assertThat(applied.needsApply(BackendSet.of(new Backend("10.0.0.1", 80, 10)))).isTrue();
    }

    @Test
    void a_to_b_to_a_reapplies_a() {
        applied.markApplied(A);
        assertThat(applied.needsApply(B)).isTrue();
        applied.markApplied(B);
        assertThat(applied.needsApply(A)).isTrue();
        assertThat(applied.diff(A).added()).containsExactlyElementsOf(A.backends());
        assertThat(applied.diff(A).removed()).containsExactlyElementsOf(B.backends());
    }

    @Test
    void a_failed_apply_does_not_move_the_state() {
        applied.markApplied(A);
        assertThat(applied.needsApply(B)).isTrue();
        // apply of B failed: markApplied not called, so B is still wanted next round
        assertThat(applied.needsApply(B)).isTrue();
        assertThat(applied.current()).contains(A);
    }

    @Test
    void forget_makes_the_next_round_apply_again() {
        applied.markApplied(A);
        applied.forget();
        assertThat(applied.needsApply(A)).isTrue();
        assertThat(applied.current()).isEmpty();
        assertThat(applied.diff(A).added()).containsExactlyElementsOf(A.backends());
    }
}
