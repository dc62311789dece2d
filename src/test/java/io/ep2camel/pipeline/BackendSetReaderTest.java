package io.ep2camel.pipeline;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendSetReaderTest {
    private static final String ROUTE = "direct:ep2-fetch-test";
    private final BackendSetReader reader = new BackendSetReader(8080);
    private final BackendSetReader noDefault = new BackendSetReader(0);

    private static Map<String, Object> entry(Object host, Object port, Object weight) {
        Map<String, Object> m = new HashMap<>();
        m.put("host", host);
        if (port != null) {
            m.put("port", port);
        }
        if (weight != null) {
            m.put("weight", weight);
        }
        return m;
    }

    @Test
    void a_backend_set_is_taken_as_is() {
        BackendSet set = BackendSet.of(new Backend("10.0.0.1", 80));
        assertThat(reader.read(set, ROUTE)).isSameAs(set);
    }

    @Test
    void a_list_of_backends() {
        assertThat(reader.read(List.of(new Backend("10.0.0.2", 80), new Backend("10.0.0.1", 80, 3)), ROUTE))
                .isEqualTo(BackendSet.of(new Backend("10.0.0.1", 80, 3), new Backend("10.0.0.2", 80)));
    }

    @Test
    void a_list_of_maps_with_host_port_weight() {
        BackendSet set = reader.read(List.of(entry("10.0.0.1", 80, 5), entry("10.0.0.2", 81, null)), ROUTE);
        assertThat(set.backends()).containsExactly(new Backend("10.0.0.1", 80, 5), new Backend("10.0.0.2", 81));
    }

    @Test
    void maps_may_carry_numbers_as_strings_or_other_number_types() {
        BackendSet set = reader.read(List.of(entry("10.0.0.1", "80", "5"), entry("10.0.0.2", 81L, 2.0),
                entry("10.0.0.3", 82.0, "")), ROUTE);
        assertThat(set.backends()).containsExactly(new Backend("10.0.0.1", 80, 5), new Backend("10.0.0.2", 81, 2),
                new Backend("10.0.0.3", 82));
    }

    @Test
    void a_map_without_port_takes_the_default_port() {
        assertThat(reader.read(List.of(entry("10.0.0.1", null, null), entry("10.0.0.2", " ", null)), ROUTE).backends())
                .containsExactly(new Backend("10.0.0.1", 8080), new Backend("10.0.0.2", 8080));
    }

    @Test
    void a_list_of_strings() {
        assertThat(reader.read(List.of("10.0.0.1:80", " 10.0.0.2 ", "[::1]:90"), ROUTE).backends())
                .containsExactly(new Backend("10.0.0.1", 80), new Backend("10.0.0.2", 8080), new Backend("::1", 90));
    }

    @Test
    void any_collection_and_mixed_entries() {
        LinkedHashSet<Object> body = new LinkedHashSet<>(List.of(new Backend("10.0.0.1", 80), "10.0.0.2:80",
                entry("10.0.0.3", 80, null)));
        assertThat(reader.read(body, ROUTE).size()).isEqualTo(3);
    }

    @Test
    void invalid_entries_are_skipped_and_valid_ones_kept() {
        List<Object> body = new ArrayList<>(Arrays.asList(
                entry("10.0.0.1", 80, null),
                entry("a b", 80, null),            // bad host
                entry(42, 80, null),               // host not a string
                entry(null, 80, null),             // host missing
                entry("10.0.0.2", "http", null),   // port not a number
                entry("10.0.0.3", 80.5, null),     // port not whole
                entry("10.0.0.4", 70000, null),    // port out of range
                entry("10.0.0.5", "99999999", null),
                entry("10.0.0.6", 80, 999),        // weight out of range
                entry("10.0.0.7", 80, true),       // weight not a number
                "10.0.0.8:abc",
                "x;y:80",
                null,
                12345,
                List.of("10.0.0.9", 80),
                "10.0.0.10:80"));
        assertThat(reader.read(body, ROUTE).backends())
                .containsExactly(new Backend("10.0.0.1", 80), new Backend("10.0.0.10", 80));
    }

    @Test
    void without_default_port_an_entry_without_port_is_invalid() {
        assertThat(noDefault.read(List.of(entry("10.0.0.1", null, null), "10.0.0.2", "10.0.0.3:80"), ROUTE).backends())
                .containsExactly(new Backend("10.0.0.3", 80));
    }

    @Test
    void a_non_empty_list_with_only_invalid_entries_throws_naming_the_route() {
        assertThatThrownBy(() -> reader.read(List.of("bad host", entry("x y", 80, null)), ROUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ROUTE)
                .hasMessageContaining("all 2 entries were invalid");
    }

    @Test
    void an_empty_list_is_an_empty_set() {
        assertThat(reader.read(List.of(), ROUTE)).isEqualTo(BackendSet.EMPTY);
        assertThat(reader.read(List.of(), ROUTE).isEmpty()).isTrue();
    }

    @Test
    void a_body_that_holds_no_entries_throws_naming_the_route_and_its_type_as_a_user_writes_it() {
        assertThatThrownBy(() -> reader.read(42, ROUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ROUTE).hasMessageContaining("handed over a Integer");
        assertThatThrownBy(() -> reader.read(new java.util.Date(), ROUTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a Date;");
        assertThatThrownBy(() -> reader.read(Map.of("host", "10.0.0.1", "port", 80), ROUTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ROUTE);
    }

    /** What YAML routes naturally produce: ${body.split(',')}, a JSON text, a plain list in a property. */
    @Test
    void arrays_iterables_and_texts_are_entries_too() {
        BackendSet expected = BackendSet.of(new Backend("10.0.0.1", 80), new Backend("10.0.0.2", 8080));
        assertThat(reader.read(new String[]{"10.0.0.1:80", " 10.0.0.2"}, ROUTE)).isEqualTo(expected);
        assertThat(reader.read(new Backend[]{new Backend("10.0.0.1", 80), new Backend("10.0.0.2", 8080)}, ROUTE))
                .isEqualTo(expected);
        Iterable<String> iterable = () -> List.of("10.0.0.1:80", "10.0.0.2").iterator();
        assertThat(reader.read(iterable, ROUTE)).isEqualTo(expected);
        assertThat(reader.read("10.0.0.1:80, 10.0.0.2", ROUTE)).isEqualTo(expected);
        assertThat(reader.read("10.0.0.1:80\n10.0.0.2\r\n\n", ROUTE)).isEqualTo(expected);
        assertThat(reader.read("[\"10.0.0.1:80\", {\"host\": \"10.0.0.2\"}]", ROUTE)).isEqualTo(expected);
        assertThat(reader.read("  ", ROUTE)).isEqualTo(BackendSet.EMPTY);
    }

    @Test
    void texts_are_checked_like_any_other_entries() {
        assertThatThrownBy(() -> reader.read("[1, 2", ROUTE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON array");
        assertThatThrownBy(() -> reader.read(new String[]{"not a host", "bad:port"}, ROUTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all 2 entries were invalid");
        assertThatThrownBy(() -> reader.read(new Object[]{new int[]{1}}, ROUTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all 1 entries were invalid");
        assertThat(reader.rejected()).isEqualTo(3);
    }

    @Test
    void a_runaway_iterable_is_refused() {
        Iterable<String> endless = () -> java.util.stream.Stream.generate(() -> "10.0.0.1:80").iterator();
        assertThatThrownBy(() -> reader.read(endless, ROUTE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than " + BackendSetReader.MAX_ENTRIES + " entries");
    }

    @Test
    void no_body_throws_naming_the_route() {
        assertThatThrownBy(() -> reader.read(null, ROUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ROUTE).hasMessageContaining("no body");
    }

    @Test
    void duplicates_are_folded() {
        assertThat(reader.read(List.of("10.0.0.1:80", "10.0.0.1:80", entry("10.0.0.1", "80", null)), ROUTE).size())
                .isEqualTo(1);
    }
}
