package io.ep2camel.render;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ServerStateLinesTest {
    private static final Path STATE = Path.of("/tmp/ep2/haproxy.cfg.state");

    @Test
    void addsTheStateFileToGlobalAndLoadsItInDefaults() {
        String out = ServerStateLines.addTo("global\n    maxconn 100\n\ndefaults\n    mode http\n\nlisten be_app\n    server a 127.0.0.1:1\n", STATE);
        assertThat(out).isEqualTo("global\n    server-state-file /tmp/ep2/haproxy.cfg.state\n    maxconn 100\n\n"
                + "defaults\n    load-server-state-from-file global\n    mode http\n\nlisten be_app\n    server a 127.0.0.1:1\n");
        assertThat(ServerStateLines.stateFile(out)).contains(STATE);
    }

    @Test
    void withoutDefaultsEveryBackendLoadsIt_andWithoutGlobalOneIsAdded() {
        String out = ServerStateLines.addTo("backend a\n    server x 127.0.0.1:1\nlisten b\n    bind :1\n", STATE);
        assertThat(out).startsWith("global\n    server-state-file " + STATE + "\n\n")
                .contains("backend a\n    load-server-state-from-file global\n", "listen b\n    load-server-state-from-file global\n");
    }

    @Test
    void theTemplatesOwnLinesAreLeftAsTheyAre() {
        String own = "global\n    server-state-file /var/lib/haproxy/state\ndefaults\n    load-server-state-from-file local\n";
        assertThat(ServerStateLines.addTo(own, STATE)).isEqualTo(own);
        assertThat(ServerStateLines.stateFile(own)).contains(Path.of("/var/lib/haproxy/state"));
        assertThat(ServerStateLines.stateFile("global\n    server-state-base /var/lib/haproxy\n    server-state-file state\n")).isEmpty();
        assertThat(ServerStateLines.stateFile("global\n    server-state-file state\n")).isEmpty();
    }
}
