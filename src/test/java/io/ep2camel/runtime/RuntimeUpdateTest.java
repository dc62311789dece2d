package io.ep2camel.runtime;

import io.ep2camel.socket.HaproxySocketException;
import io.ep2camel.socket.HaproxySocketException.FailedCommand;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When update_by_runtime stops adding servers at runtime: decided from which commands HAProxy
 * rejected (the structure of its answer), never from an exception's message text.
 */
class RuntimeUpdateTest {
    private final RuntimeUpdate runtime = new RuntimeUpdate(null, "haproxy-socket:/tmp/x.sock", () -> null);

    private static HaproxySocketException rejected(String command, String reply) {
        return new HaproxySocketException("/tmp/x.sock", List.of(new FailedCommand(command, reply)));
    }

    @Test
    void anAddServerRejectedByHaproxySwitchesToGrowthByReload() {
        runtime.failed(new CamelExecutionException("round failed", null, rejected(
                "add server be_app/slot3 127.0.0.1:1003 check weight 0",
                "Backend must use a dynamic load balancing to support dynamic servers.")));
        assertThat(runtime.dynamicServers()).isFalse();
    }

    @Test
    void anHaproxyOlderThanExperimentalModeSwitchesToGrowthByReload() {
        runtime.failed(rejected("experimental-mode on", "Unknown command. Please enter one of the following commands only:"));
        assertThat(runtime.dynamicServers()).isFalse();
    }

    @Test
    void otherRejectionsOrFailuresThatMerelyMentionAddServerDoNotSwitch() {
        runtime.failed(rejected("set server be_app/slot3 state ready", "No such server."));
        runtime.failed(new IllegalStateException("cannot run add server: socket gone"));
        runtime.failed(new HaproxySocketException("/tmp/x.sock", "add server batch: no answer from HAProxy within 5000 ms", null));
        runtime.failed(null);
        assertThat(runtime.dynamicServers()).isTrue();
    }
}
