package io.ep2camel.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** haproxy_socket_file's addresses, written as HAProxy writes a stats socket's address. */
class HaproxyAddressTest {
    private static final Path BASE = Path.of("/etc/ep2");

    @Test
    void pathsAndUnixPrefixAreUnixSocketsResolvedAgainstTheConfigDirectory() {
        assertThat(HaproxyAddress.parse("/run/haproxy/admin.sock", BASE).path()).isEqualTo(Path.of("/run/haproxy/admin.sock"));
        assertThat(HaproxyAddress.parse("unix@/run/haproxy/admin.sock", BASE).path()).isEqualTo(Path.of("/run/haproxy/admin.sock"));
        assertThat(HaproxyAddress.parse("run/admin.sock", BASE).path()).isEqualTo(Path.of("/etc/ep2/run/admin.sock"));
        assertThat(HaproxyAddress.parse("UNIX@../admin.sock", BASE).toString()).isEqualTo("/etc/admin.sock");
        assertThat(HaproxyAddress.parse(" /a.sock ", null).isUnix()).isTrue();
    }

    @Test
    void ipv4AndIpv6AreTcpAddressesInCanonicalForm() {
        HaproxyAddress v4 = HaproxyAddress.parse("ipv4@127.0.0.1:9999", BASE);
        assertThat(v4.isUnix()).isFalse();
        assertThat(v4.host()).isEqualTo("127.0.0.1");
        assertThat(v4.port()).isEqualTo(9999);
        assertThat(v4).hasToString("ipv4@127.0.0.1:9999");
        assertThat(HaproxyAddress.parse("ipv4@Haproxy.Internal:9999", BASE)).hasToString("ipv4@haproxy.internal:9999");
        assertThat(HaproxyAddress.parse("ipv6@[::1]:9999", BASE)).hasToString("ipv6@[::1]:9999");
        assertThat(HaproxyAddress.parse("ipv6@::1:9999", BASE)).hasToString("ipv6@[::1]:9999");   // HAProxy: the last colon
        assertThat(HaproxyAddress.parse("ipv6@[FD00::5]:9999", BASE).host()).isEqualTo("fd00::5");
    }

    @Test
    void loopbackIsTcpOnThisMachineOnly() {
        assertThat(HaproxyAddress.parse("ipv4@127.0.0.1:1", BASE).isLoopback()).isTrue();
        assertThat(HaproxyAddress.parse("ipv4@127.3.2.1:1", BASE).isLoopback()).isTrue();
        assertThat(HaproxyAddress.parse("ipv4@localhost:1", BASE).isLoopback()).isTrue();
        assertThat(HaproxyAddress.parse("ipv6@[::1]:1", BASE).isLoopback()).isTrue();
        assertThat(HaproxyAddress.parse("/run/a.sock", BASE).isLoopback()).isTrue();
        // documentation ranges (RFC 5737 / 3849): parsed, never connected to
        assertThat(HaproxyAddress.parse("ipv4@192.0.2.10:9999", BASE).isLoopback()).isFalse();
        assertThat(HaproxyAddress.parse("ipv6@[2001:db8::1]:9999", BASE).isLoopback()).isFalse();
        assertThat(HaproxyAddress.parse("ipv4@haproxy.internal:9999", BASE).isLoopback()).isFalse();
    }

    @Test
    void whatIsNotAnAddressIsRefusedWithTheReason() {
        assertThatThrownBy(() -> HaproxyAddress.parse("127.0.0.1:9999", BASE))
                .hasMessageContaining("looks like host:port").hasMessageContaining("ipv4@127.0.0.1:9999");
        assertThatThrownBy(() -> HaproxyAddress.parse("abns@haproxy", BASE)).hasMessageContaining("not abns@");
        assertThatThrownBy(() -> HaproxyAddress.parse("fd@3", BASE)).hasMessageContaining("not fd@");
        assertThatThrownBy(() -> HaproxyAddress.parse("ipv4@127.0.0.1:70000", BASE)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> HaproxyAddress.parse("ipv4@127.0.0.1:0", BASE)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> HaproxyAddress.parse("ipv4@bad host:1", BASE)).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> HaproxyAddress.parse("ipv6@[zz::1]:1", BASE)).hasMessageContaining("is not ipv6@[addr]:port");
        assertThatThrownBy(() -> HaproxyAddress.parse("ipv4@127.0.0.1", BASE)).hasMessageContaining("is not ipv4@host:port");
        assertThatThrownBy(() -> HaproxyAddress.parse("ipv6@[1.2.3.4]:1", BASE)).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> HaproxyAddress.parse("unix@", BASE)).hasMessageContaining("no path");
        assertThatThrownBy(() -> HaproxyAddress.parse(" ", BASE)).hasMessageContaining("empty");
    }

    @Test
    void theKindDecidesWhatCanBeAsked() {
        assertThatThrownBy(() -> HaproxyAddress.parse("ipv4@127.0.0.1:1", BASE).path()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HaproxyAddress.parse("/a.sock", BASE).host()).isInstanceOf(IllegalStateException.class);
        assertThat(HaproxyAddress.parse("unix@/a.sock", BASE)).isEqualTo(HaproxyAddress.parse("/a.sock", null));
    }
}
