package io.ep2camel.runtime;

import io.ep2camel.socket.HaproxySocketException;
import io.ep2camel.socket.HaproxySocketException.FailedCommand;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static SlotReentry reentry(String slot, int port) {
        return new SlotReentry("be_app", slot, "add server be_app/" + slot + " 127.0.0.1:" + port + " check weight 0",
                List.of("set server be_app/" + slot + " addr 127.0.0.1 port " + port, "enable health be_app/" + slot,
                        "set server be_app/" + slot + " weight 1"));
    }

    @Test
    void aReEnteredSlotTakesItsServerInTheSameBatchWhetherHaproxyAddedItAgainOrKeptIt() {
        RuntimePlan plan = new RuntimePlan(RuntimePlan.Outcome.RUNTIME, List.of("set server be_app/slot1 state drain"),
                List.of(), List.of(reentry("slot2", 1005), reentry("slot3", 1006)));
        assertThat(plan.reentryBatch()).containsExactly("experimental-mode on",
                "del server be_app/slot2", "add server be_app/slot2 127.0.0.1:1005 check weight 0",
                "set server be_app/slot2 addr 127.0.0.1 port 1005", "enable health be_app/slot2", "set server be_app/slot2 weight 1",
                "del server be_app/slot3", "add server be_app/slot3 127.0.0.1:1006 check weight 0",
                "set server be_app/slot3 addr 127.0.0.1 port 1006", "enable health be_app/slot3", "set server be_app/slot3 weight 1");

        RuntimePlan after = runtime.reentered(plan, List.of("", "Server deleted.", "New server registered.", "", "", "",
                "Server still has connections attached to it, cannot remove it.", "Already exists a server with the same name in backend.",
                "IP changed from '127.0.0.1' to '127.0.0.1', port changed from '1003' to '1006' by 'stats socket command'", "", ""));

        assertThat(after.outcome()).isEqualTo(RuntimePlan.Outcome.RUNTIME);
        assertThat(after.commands()).containsExactly("set server be_app/slot1 state drain");
        assertThat(after.reentries()).isEmpty();
        assertThat(runtime.dynamicServers()).isTrue();
    }

    @Test
    void aFollowUpCommandHaproxyRejectedFailsTheRoundNamingIt() {
        RuntimePlan plan = new RuntimePlan(RuntimePlan.Outcome.RUNTIME, List.of(), List.of(), List.of(reentry("slot2", 1005)));

        assertThatThrownBy(() -> runtime.reentered(plan, List.of("", "Server deleted.", "New server registered.", "",
                "Health check was not configured on this server, cannot enable.", "")))
                .isInstanceOf(HaproxySocketException.class)
                .hasMessageContaining("enable health be_app/slot2")
                .hasMessageContaining("Health check was not configured");
    }

    @Test
    void aSlotDeletedButNotAddedAgainTurnsTheRoundIntoAReloadAndStopsDynamicServers() {
        RuntimePlan plan = new RuntimePlan(RuntimePlan.Outcome.RUNTIME, List.of(), List.of(), List.of(reentry("slot2", 1005)));

        RuntimePlan after = runtime.reentered(plan, List.of("", "Server deleted.",
                "Backend must use a dynamic load balancing to support dynamic servers.", "No such server.", "No such server.",
                "No such server."));

        assertThat(after.outcome()).isEqualTo(RuntimePlan.Outcome.RELOAD);
        assertThat(runtime.dynamicServers()).isFalse();
    }
}
