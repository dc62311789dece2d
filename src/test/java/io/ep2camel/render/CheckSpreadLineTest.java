package io.ep2camel.render;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CheckSpreadLineTest {
    @Test
    void goesFirstInGlobal() {
        assertThat(CheckSpreadLine.addTo("global  # main\n    maxconn 100\n\ndefaults\n    mode http\n", "20ms"))
                .isEqualTo("global  # main\n    max-spread-checks 20ms\n    maxconn 100\n\ndefaults\n    mode http\n");
    }

    @Test
    void aConfigWithoutGlobalGetsOne() {
        assertThat(CheckSpreadLine.addTo("backend a\n    server x 127.0.0.1:1\n", "50"))
                .isEqualTo("global\n    max-spread-checks 50\n\nbackend a\n    server x 127.0.0.1:1\n");
    }

    @Test
    void theTemplatesOwnSettingWins() {
        String own = "global\n    max-spread-checks 5s\n";
        assertThat(CheckSpreadLine.addTo(own, "20ms")).isEqualTo(own);
    }
}
