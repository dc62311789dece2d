package io.ep2camel.model;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendTest {

    @Nested
    class Construction {
        @Test
        void identity_is_host_and_port_and_weight() {
            assertThat(new Backend("10.0.0.1", 80)).isEqualTo(new Backend("10.0.0.1", 80, 0));
            assertThat(new Backend("10.0.0.1", 80)).isNotEqualTo(new Backend("10.0.0.1", 81));
            assertThat(new Backend("10.0.0.1", 80, 5)).isNotEqualTo(new Backend("10.0.0.1", 80, 6));
        }

        @Test
        void port_must_be_within_1_to_65535() {
            assertThat(new Backend("h", 1).port()).isEqualTo(1);
            assertThat(new Backend("h", 65535).port()).isEqualTo(65535);
            assertThatThrownBy(() -> new Backend("h", 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("port out of range");
            assertThatThrownBy(() -> new Backend("h", 65536)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Backend("h", -1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void weight_must_be_within_0_to_256() {
            assertThat(new Backend("h", 80, 256).weight()).isEqualTo(256);
            assertThatThrownBy(() -> new Backend("h", 80, 257)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("weight out of range");
            assertThatThrownBy(() -> new Backend("h", 80, -1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void invalid_host_is_rejected_with_a_sanitized_message() {
            assertThatThrownBy(() -> new Backend("a\nb", 80)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a\\x0ab").hasMessageNotContaining("\n");
            assertThatThrownBy(() -> new Backend(null, 80)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Address {
        @Test
        void ipv4_and_names_are_host_colon_port() {
            assertThat(new Backend("10.0.0.1", 8080).address()).isEqualTo("10.0.0.1:8080");
            assertThat(new Backend("web-1.example.com", 80).address()).isEqualTo("web-1.example.com:80");
        }

        @Test
        void ipv6_is_bracketed() {
            assertThat(new Backend("::1", 8080).address()).isEqualTo("[::1]:8080");
            assertThat(new Backend("2001:db8::7", 443).address()).isEqualTo("[2001:db8::7]:443");
        }

        @Test
        void toString_shows_weight_only_when_set() {
            assertThat(new Backend("h", 80)).hasToString("h:80");
            assertThat(new Backend("h", 80, 7)).hasToString("h:80 weight 7");
        }
    }

    @Nested
    class Parse {
        @Test
        void host_alone_takes_the_default_port() {
            assertThat(Backend.parse("10.0.0.1", 8080)).isEqualTo(new Backend("10.0.0.1", 8080));
            assertThat(Backend.parse("web.example.com", 80)).isEqualTo(new Backend("web.example.com", 80));
        }

        @Test
        void host_colon_port_overrides_the_default() {
            assertThat(Backend.parse("10.0.0.1:9000", 8080)).isEqualTo(new Backend("10.0.0.1", 9000));
            assertThat(Backend.parse("web:9000", 0)).isEqualTo(new Backend("web", 9000));
        }

        @Test
        void bracketed_ipv6_with_port() {
            assertThat(Backend.parse("[2001:db8::1]:9000", 0)).isEqualTo(new Backend("2001:db8::1", 9000));
            assertThat(Backend.parse("[::1]:80", 8080)).isEqualTo(new Backend("::1", 80));
        }

        @Test
        void bracketed_ipv6_without_port_takes_the_default() {
            assertThat(Backend.parse("[::1]", 8080)).isEqualTo(new Backend("::1", 8080));
        }

        @Test
        void bare_ipv6_takes_the_default_port() {
            assertThat(Backend.parse("2001:db8::1", 8080)).isEqualTo(new Backend("2001:db8::1", 8080));
            assertThat(Backend.parse("::1", 81)).isEqualTo(new Backend("::1", 81));
        }

        @Test
        void bare_ipv6_without_default_port_is_rejected() {
            assertThatThrownBy(() -> Backend.parse("2001:db8::1", 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no port");
        }

        @ParameterizedTest
        @ValueSource(strings = {"web:abc", "web:", "web:80x", "[::1]:abc", "[::1]:"})
        void non_numeric_port_is_rejected(String entry) {
            assertThatThrownBy(() -> Backend.parse(entry, 8080))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port is not a number");
        }

        @ParameterizedTest
        @ValueSource(strings = {"web:0", "web:65536", "web:70000", "[::1]:0"})
        void out_of_range_port_is_rejected(String entry) {
            assertThatThrownBy(() -> Backend.parse(entry, 8080))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port out of range");
        }

        @Test
        void no_port_and_no_default_is_rejected() {
            assertThatThrownBy(() -> Backend.parse("10.0.0.1", 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backend_port");
            assertThatThrownBy(() -> Backend.parse("[::1]", 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void unclosed_bracket_or_junk_after_bracket_is_rejected() {
            assertThatThrownBy(() -> Backend.parse("[::1", 80))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed");
            assertThatThrownBy(() -> Backend.parse("[::1]80", 80))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("':port'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b:80", "a;b:80", "-bad:80", "999.1.1.1:80", "x:80\n", "[not v6]:80", ""})
        void invalid_hosts_are_rejected(String entry) {
            assertThatThrownBy(() -> Backend.parse(entry, 8080)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void bad_port_text_in_the_message_is_sanitized() {
            assertThatThrownBy(() -> Backend.parse("web:8\u001b[0m", 80))
                    .hasMessageContaining("\\x1b").hasMessageNotContaining("\u001b");
        }
    }

    @Nested
    class ServerName {
        @Test
        void is_stable_for_the_same_host_and_port() {
            assertThat(new Backend("10.0.0.1", 80).serverName()).isEqualTo(new Backend("10.0.0.1", 80, 9).serverName());
            assertThat(Backend.parse("10.0.0.1:80", 0).serverName()).isEqualTo(new Backend("10.0.0.1", 80).serverName());
            assertThat(new Backend("10.0.0.1", 80).serverName()).isEqualTo("srv_10.0.0.1_80");
        }

        @ParameterizedTest
        @ValueSource(strings = {"10.0.0.1", "::1", "2001:db8::ff", "web-1.example.com", "a"})
        void names_the_backend_it_was_made_of(String host) {
            Backend b = new Backend(host, 8080, 7);
            assertThat(Backend.named(b.serverName())).contains(new Backend(host, 8080));
        }

        @ParameterizedTest
        @ValueSource(strings = {"static1", "srv_", "srv__80", "srv_web_", "srv_web_x", "srv_web_0", "srv_web_70000",
                "srv_bad host_80", "web_10.0.0.1_80", "srv_10.0.0.1_080"})
        void a_name_it_would_not_write_names_no_backend(String name) {
            assertThat(Backend.named(name)).isEmpty();
        }

        @Test
        void differs_between_ports_of_one_host() {
            assertThat(new Backend("10.0.0.1", 80).serverName()).isNotEqualTo(new Backend("10.0.0.1", 81).serverName());
        }

        @ParameterizedTest
        @ValueSource(strings = {"10.0.0.1", "::1", "2001:db8::ff", "web-1.example.com", "WEB.example.", "a"})
        void contains_only_characters_haproxy_accepts_in_a_server_name(String host) {
            assertThat(new Backend(host, 65535).serverName()).matches("[A-Za-z0-9_.:-]+").doesNotContain("/");
        }
        @Test
        void is_unique_for_distinct_backends() {
            List<Backend> distinct = List.of(new Backend("10.0.0.1", 80), new Backend("10-0-0-1", 80),
                    new Backend("a-b.example", 80), new Backend("a.b.example", 80),
                    new Backend("fe80::1", 80), new Backend("fe80--1", 80));
            Set<String> names = distinct.stream().map(Backend::serverName).collect(Collectors.toSet());
            assertThat(names).hasSize(distinct.size());
        }
    }

    @Test
    void natural_order_is_host_then_port() {
        List<Backend> sorted = new java.util.ArrayList<>(List.of(new Backend("b", 1), new Backend("a", 2),
                new Backend("a", 1)));
        java.util.Collections.sort(sorted);
        assertThat(sorted).containsExactly(new Backend("a", 1), new Backend("a", 2), new Backend("b", 1));
    }
}
