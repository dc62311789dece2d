package io.ep2camel.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendSetTest {
    private static final Backend A = new Backend("10.0.0.1", 80);
    private static final Backend B = new Backend("10.0.0.2", 80);
    private static final Backend C = new Backend("10.0.0.2", 81);
    private static final Backend V6 = new Backend("::1", 80);
    private static final Backend NAME = new Backend("web.example.com", 80);

    @Test
    void keeps_backends_in_canonical_order_whatever_the_input_order() {
        BackendSet one = BackendSet.of(NAME, C, A, V6, B);
        BackendSet two = BackendSet.of(B, V6, A, C, NAME);
        assertThat(one.backends()).containsExactly(A, B, C, V6, NAME);
        assertThat(two.backends()).containsExactlyElementsOf(one.backends());
    }

    @Test
    void hash_is_independent_of_input_order() {
        assertThat(BackendSet.of(A, B, C).hash()).isEqualTo(BackendSet.of(C, A, B).hash());
        assertThat(BackendSet.of(A, B, C).hash()).matches("[0-9a-f]{64}");
    }

    @Test
    void duplicates_are_folded() {
        BackendSet set = BackendSet.of(A, B, A, B, A);
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.backends()).containsExactly(A, B);
        assertThat(set).isEqualTo(BackendSet.of(A, B));
    }

    @Test
    void equality_is_by_content() {
        assertThat(BackendSet.of(A, B)).isEqualTo(BackendSet.of(B, A));
        assertThat(BackendSet.of(A, B)).hasSameHashCodeAs(BackendSet.of(B, A));
        assertThat(BackendSet.of(A, B)).isNotEqualTo(BackendSet.of(A, C));
        assertThat(BackendSet.of(A)).isNotEqualTo(BackendSet.of(A, B));
        assertThat(BackendSet.of(List.of())).isEqualTo(BackendSet.EMPTY);
        assertThat(BackendSet.of(A)).isNotEqualTo("not a set");
    }

    @Test
    void weights_count_in_the_hash_and_equality() {
        BackendSet w1 = BackendSet.of(new Backend("10.0.0.1", 80, 1));
        BackendSet w2 = BackendSet.of(new Backend("10.0.0.1", 80, 2));
        assertThat(w1.hash()).isNotEqualTo(w2.hash());
        assertThat(w1).isNotEqualTo(w2);
        assertThat(w1.hash()).isNotEqualTo(BackendSet.of(new Backend("10.0.0.1", 80)).hash());
    }

    @Test
    void same_host_on_two_ports_is_two_backends() {
        assertThat(BackendSet.of(B, C).size()).isEqualTo(2);
    }

    @Test
    void contains_and_find_match_by_address_regardless_of_weight() {
        Backend weighted = new Backend("10.0.0.1", 80, 50);
        BackendSet set = BackendSet.of(weighted, B);
        assertThat(set.contains(A)).isTrue();
        assertThat(set.find(A)).isEqualTo(weighted);
        assertThat(set.contains(C)).isFalse();
        assertThat(set.find(C)).isNull();
    }

    @Test
    void is_immutable_and_independent_of_the_input_collection() {
        List<Backend> input = new ArrayList<>(List.of(A, B));
        BackendSet set = BackendSet.of(input);
        input.add(C);
        assertThat(set.size()).isEqualTo(2);
        assertThatThrownBy(() -> set.backends().add(C)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void empty_set() {
        assertThat(BackendSet.EMPTY.isEmpty()).isTrue();
        assertThat(BackendSet.EMPTY.size()).isZero();
        assertThat(BackendSet.of().hash()).isEqualTo(BackendSet.EMPTY.hash());
        assertThat(BackendSet.of(A).isEmpty()).isFalse();
    }
    @Test
    void duplicate_with_disagreeing_weights_folds_the_same_way_whatever_the_input_order() {
        Backend w1 = new Backend("10.0.0.1", 80, 1);
        Backend w2 = new Backend("10.0.0.1", 80, 2);
        assertThat(BackendSet.of(w1, w2)).isEqualTo(BackendSet.of(w2, w1));
        assertThat(BackendSet.of(w1, w2).hash()).isEqualTo(BackendSet.of(w2, w1).hash());
    }
}
