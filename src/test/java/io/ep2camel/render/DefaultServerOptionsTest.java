package io.ep2camel.render;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The template's default-server options a server added at runtime must carry (HAProxy does not apply them to it). */
class DefaultServerOptionsTest {
    private static final String TEMPLATE = String.join("\n",
            "global",
            "    stats socket /run/haproxy.sock level admin",
            "defaults",
            "    mode http",
            "    default-server fall 5 init-addr last,libc,none   # start-up only",
            "defaults",
            "    mode http",
            "    default-server rise 3 resolvers dns disabled",
            "backend be_other",
            "    default-server slowstart 10s",
            "    {{nodes}}",
            "backend be_app",
            "    balance roundrobin",
            "    default-server rise 1 inter {{ check }}",
            "    default-server check-ssl verify none",
            "    {{nodes}}",
            "frontend fe",
            "    default_backend be_app",
            "");

    @Test
    void theLastDefaultsSectionBeforeTheBackendThenItsOwnLinesWithoutStartUpOnlyKeywordsOrLinesWithTemplateExpressions() {
        assertThat(DefaultServerOptions.of(TEMPLATE, "be_app"))
                .containsExactly("rise", "3", "check-ssl", "verify", "none");
        assertThat(DefaultServerOptions.of(TEMPLATE, "be_other")).containsExactly("rise", "3", "slowstart", "10s");
        assertThat(DefaultServerOptions.of(TEMPLATE, "be_missing")).isEmpty();
    }

    @Test
    void addedServersCarryThemFirstSoThatTheControllersOwnOptionsWin() {
        ServerLineFormat format = new ServerLineFormat(Optional.empty(), Optional.of("1s"), Optional.of("200ms"),
                DefaultServerOptions.of("backend be\n    default-server rise 1 inter 5s\n", "be"));
        assertThat(format.dynamicOptions(0)).isEqualTo("rise 1 inter 5s check inter 1s downinter 200ms");
        assertThat(format.options(0)).isEqualTo("check inter 1s downinter 200ms");
    }
}
