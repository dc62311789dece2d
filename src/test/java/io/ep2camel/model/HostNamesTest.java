package io.ep2camel.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class HostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "127.0.0.1", "255.255.255.255", "192.168.1.254"})
    void accepts_ipv4(String host) {
        assertThat(HostNames.isValid(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "::", "2001:db8::1", "fe80::1ff:fe23:4567:890a", "2001:0db8:0000:0000:0000:ff00:0042:8329",
            "1:2:3:4:5:6:7:8", "2001:DB8::A"})
    void accepts_ipv6_literals(String host) {
        assertThat(HostNames.isValid(host)).isTrue();
    }
    @ParameterizedTest
    @ValueSource(strings = {"::ffff:7f00:1", "::ffff:10.0.0.1"})
    void accepts_ipv4_mapped_ipv6_literals(String host) {
        assertThat(HostNames.isValid(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "web-1", "web-1.example.com", "a", "A1", "xn--bcher-kva.example",
            "ip-10-0-0-1.ec2.internal", "example.com.", "1a.example", "123abc"})
    void accepts_rfc1123_names(String host) {
        assertThat(HostNames.isValid(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a;b", "a#b", "'x'", "\"x\"", "999.1.1.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4",
            "-bad", "bad-", "a..b", ".a", "a_b", "a/b", "a\\b", "a$b", "a{b}", "a,b", "a:b", "1.2.3.4:80", "dead:beef",
            "1::2::3", "fe80::1%eth0", "[::1]", "ä.example", "", " a", "a "})
    void rejects_things_that_are_no_host(String host) {
        assertThat(HostNames.isValid(host)).as("'%s'", host).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\tb", "a\u0000b", "a\u007fb", "web\n", "\u001b[31mred"})
    void rejects_control_characters(String host) {
        assertThat(HostNames.isValid(host)).isFalse();
    }

    @Test
    void rejects_null() {
        assertThat(HostNames.isValid(null)).isFalse();
    }

    @Test
    void label_length_is_limited_to_63() {
        assertThat(HostNames.isValid("a".repeat(63) + ".example")).isTrue();
        assertThat(HostNames.isValid("a".repeat(64) + ".example")).isFalse();
    }

    @Test
    void name_length_is_limited_to_253() {
        String label = "a".repeat(63);
        String n253 = label + "." + label + "." + label + "." + "a".repeat(61); // 3 * (63 + 1) + 61 = 253
        assertThat(n253).hasSize(253);
        assertThat(HostNames.isValid(n253)).isTrue();
        assertThat(HostNames.isValid(n253 + "a")).isFalse();
        assertThat(HostNames.isValid("a." + n253)).isFalse();
    }

    @Test
    void never_resolves_names_while_checking_ipv6() {
        // a name with a colon must be refused by the character check, not looked up
        assertThat(HostNames.isValid("localhost:80")).isFalse();
        assertThat(HostNames.isValid("example.com:443")).isFalse();
    }

    @Test
    void sanitize_escapes_control_characters() {
        assertThat(HostNames.sanitize("a\nb")).isEqualTo("a\\x0ab");
        assertThat(HostNames.sanitize("\u0000\u001b\u007f")).isEqualTo("\\x00\\x1b\\x7f");
        assertThat(HostNames.sanitize("tab\there")).isEqualTo("tab\\x09here");
        assertThat(HostNames.sanitize("plain-text ok")).isEqualTo("plain-text ok");
    }

    @Test
    void sanitize_caps_length() {
        String s = HostNames.sanitize("x".repeat(500));
        assertThat(s).isEqualTo("x".repeat(80) + "...");
        assertThat(HostNames.sanitize("x".repeat(80))).isEqualTo("x".repeat(80));
    }

    @Test
    void sanitize_handles_null() {
        assertThat(HostNames.sanitize(null)).isEqualTo("null");
    }
}
