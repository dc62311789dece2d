package io.ep2camel.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DiffTest {
    private static final Backend A = new Backend("10.0.0.1", 80);
    private static final Backend B = new Backend("10.0.0.2", 80);
    private static final Backend C = new Backend("10.0.0.3", 80);

    @Test
    void from_empty_everything_is_added() {
        Diff d = Diff.between(BackendSet.EMPTY, BackendSet.of(B, A));
        assertThat(d.added()).containsExactly(A, B);
        assertThat(d.removed()).isEmpty();
        assertThat(d.kept()).isEmpty();
        assertThat(d.reweighted()).isEmpty();
        assertThat(d.isEmpty()).isFalse();
    }

    @Test
    void added_removed_and_kept() {
        Diff d = Diff.between(BackendSet.of(A, B), BackendSet.of(B, C));
        assertThat(d.added()).containsExactly(C);
        assertThat(d.removed()).containsExactly(A);
        assertThat(d.kept()).containsExactly(B);
        assertThat(d.reweighted()).isEmpty();
        assertThat(d.isEmpty()).isFalse();
    }

    @Test
    void to_empty_everything_is_removed() {
        Diff d = Diff.between(BackendSet.of(A, B), BackendSet.EMPTY);
        assertThat(d.removed()).containsExactly(A, B);
        assertThat(d.added()).isEmpty();
        assertThat(d.kept()).isEmpty();
    }

    @Test
    void same_set_is_an_empty_diff() {
        Diff d = Diff.between(BackendSet.of(A, B), BackendSet.of(B, A));
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.kept()).containsExactly(A, B);
    }

    @Test
    void weight_change_is_kept_and_reweighted_not_added_or_removed() {
        Backend a5 = new Backend("10.0.0.1", 80, 5);
        Diff d = Diff.between(BackendSet.of(A, B), BackendSet.of(a5, B));
        assertThat(d.added()).isEmpty();
        assertThat(d.removed()).isEmpty();
        assertThat(d.kept()).containsExactly(a5, B);
        assertThat(d.reweighted()).containsExactly(a5);
        assertThat(d.isEmpty()).isFalse();
        assertThat(d.toString()).contains("~");
    }

    @Test
    void a_to_b_to_a_reapplies_a() {
        BackendSet a = BackendSet.of(A);
        BackendSet b = BackendSet.of(B);
        Diff ab = Diff.between(a, b);
        Diff ba = Diff.between(b, a);
        assertThat(ab.added()).containsExactly(B);
        assertThat(ab.removed()).containsExactly(A);
        assertThat(ba.added()).containsExactly(A);
        assertThat(ba.removed()).containsExactly(B);
        assertThat(ba.isEmpty()).isFalse();
    }

    @Test
    void lists_are_immutable() {
        Diff d = Diff.between(BackendSet.of(A), BackendSet.of(B));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.added().add(C))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.removed().add(C))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toString_shows_plus_and_minus() {
        assertThat(Diff.between(BackendSet.of(A), BackendSet.of(B))).hasToString("+[10.0.0.2:80] -[10.0.0.1:80]");
    }
}
