package io.ep2camel.runtime;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.Slot;
import io.ep2camel.render.ServerLineFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner's slot growth past node_slots and its shrinking back, from HAProxy's reported state. */
class SlotPlannerTest {
    private static final int MAINT = 0x01;
    private static final int STOPPED = 0;

    private final SlotPlanner planner = new SlotPlanner("be_app",
            new ServerLineFormat(Optional.empty(), Optional.empty()), 2, Duration.ofSeconds(30));

    private static ServerState up(String name, int port) {
        return new ServerState(name, "127.0.0.1", port, 0, SlotPlanner.RUNNING, 1);
    }

    private static ServerState maint(String name, int port) {
        return new ServerState(name, "127.0.0.1", port, MAINT, STOPPED, 1);
    }

    private SlotPlan plan(List<ServerState> servers, Map<String, Integer> sessions, Backend... wanted) {
        return planner.plan(servers, sessions, BackendSet.of(wanted), new HashMap<>(), Instant.now(), true);
    }

    @Test
    void addingPastNodeSlotsTurnsExperimentalModeOnFirst() {
        SlotPlan plan = plan(List.of(up("slot1", 1001), up("slot2", 1002)), Map.of(),
                new Backend("127.0.0.1", 1001), new Backend("127.0.0.1", 1002), new Backend("127.0.0.1", 1003));

        assertThat(plan.commands()).first().isEqualTo("experimental-mode on");
        assertThat(plan.commands()).contains("add server be_app/slot3 127.0.0.1:1003 check weight 0");
        assertThat(plan.commands()).filteredOn(c -> c.equals("experimental-mode on")).hasSize(1);
        assertThat(plan.deletions()).isEmpty();
    }

    @Test
    void aFreeSlotPastNodeSlotsWithoutSessionsIsDeleted() {
        SlotPlan plan = plan(List.of(up("slot1", 1001), maint("slot2", 1002), maint("slot3", 1003), maint("slot4", 1004)),
                Map.of("slot3", 0), new Backend("127.0.0.1", 1001));

        assertThat(plan.deletions()).containsExactly("experimental-mode on", "del server be_app/slot3", "del server be_app/slot4");
        assertThat(plan.layout()).extracting(Slot::name).containsExactly("slot1", "slot2");
        assertThat(plan.layout().get(1).isFree()).isTrue();
        assertThat(plan.commands()).isEmpty();
    }

    @Test
    void aSlotPastNodeSlotsWithSessionsOrJustPutInMaintenanceIsKeptForALaterRound() {
        // slot3 is in maintenance but still has a session; slot4 drained and goes to maintenance in this round
        SlotPlan plan = plan(List.of(up("slot1", 1001), maint("slot2", 1002), maint("slot3", 1003),
                        new ServerState("slot4", "127.0.0.1", 1004, 0x08, SlotPlanner.RUNNING, 0)),
                Map.of("slot3", 1, "slot4", 0), new Backend("127.0.0.1", 1001));

        assertThat(plan.deletions()).isEmpty();
        assertThat(plan.commands()).containsExactly("set server be_app/slot4 state maint");
        assertThat(plan.layout()).extracting(Slot::name).containsExactly("slot1", "slot2", "slot3", "slot4");
    }

    @Test
    void aFreeSlotPastNodeSlotsIsReusedBeforeItIsDeleted() {
        SlotPlan plan = plan(List.of(up("slot1", 1001), maint("slot2", 1002), maint("slot3", 1003)), Map.of(),
                new Backend("127.0.0.1", 1001), new Backend("127.0.0.1", 1002), new Backend("127.0.0.1", 1003));

        assertThat(plan.deletions()).isEmpty();
        assertThat(plan.layout()).extracting(Slot::name).containsExactly("slot1", "slot2", "slot3");
        assertThat(plan.layout()).noneMatch(Slot::isFree);
    }

    @Test
    void aNewServerReEntersAFreeSlotByDeleteAndAddThenCommandsThatAlsoTakeItInPlaceShouldHaproxyKeepTheSlot() {
        SlotPlan plan = plan(List.of(up("slot1", 1001), maint("slot2", 1002)), Map.of(),
                new Backend("127.0.0.1", 1001), new Backend("127.0.0.1", 1005));

        assertThat(plan.commands()).isEmpty();
        assertThat(plan.reentries()).singleElement().satisfies(r -> {
            assertThat(r.deletion()).isEqualTo("del server be_app/slot2");
            assertThat(r.added()).isEqualTo("add server be_app/slot2 127.0.0.1:1005 check weight 0");
            assertThat(r.followUp()).containsExactly("set server be_app/slot2 addr 127.0.0.1 port 1005",
                    "set server be_app/slot2 weight 0", "enable health be_app/slot2", "set server be_app/slot2 state ready",
                    "set server be_app/slot2 health down", "set server be_app/slot2 weight 1");
        });
        assertThat(plan.layout().get(1).backend()).isEqualTo(new Backend("127.0.0.1", 1005));
    }

    @Test
    void aSlotJustPutInMaintenanceOrWithSessionsOrWithoutDynamicServersIsTakenInPlace() {
        // slot2 drained to maintenance this round (its connections may linger), slot3 still has a session
        List<ServerState> servers = List.of(up("slot1", 1001),
                new ServerState("slot2", "127.0.0.1", 1002, 0x08, SlotPlanner.RUNNING, 0), maint("slot3", 1003));
        SlotPlan plan = plan(servers, Map.of("slot2", 0, "slot3", 1),
                new Backend("127.0.0.1", 1001), new Backend("127.0.0.1", 1005), new Backend("127.0.0.1", 1006));
        assertThat(plan.reentries()).isEmpty();
        assertThat(plan.commands()).contains("set server be_app/slot2 state maint",
                "set server be_app/slot2 addr 127.0.0.1 port 1005", "set server be_app/slot3 addr 127.0.0.1 port 1006");

        SlotPlan noDynamic = planner.plan(List.of(up("slot1", 1001), maint("slot2", 1002)), Map.of(),
                BackendSet.of(new Backend("127.0.0.1", 1001), new Backend("127.0.0.1", 1005)), new HashMap<>(), Instant.now(), false);
        assertThat(noDynamic.reentries()).isEmpty();
        assertThat(noDynamic.commands()).contains("set server be_app/slot2 addr 127.0.0.1 port 1005");
    }
    @Test
    void aSlotItCanReEnterIsTakenBeforeOneTakenInPlaceWhateverTheirOrderOrAddress() {
        // a rolling step: slot2's server leaves and drains to maintenance in this round; slot3 has
        // been free since the read. The new server re-enters slot3 (its first check within
        // downinter) rather than taking slot2 in place (first check at slot2's old phase, up to inter)
        List<ServerState> servers = List.of(up("slot1", 1001),
                new ServerState("slot2", "127.0.0.1", 1002, 0x08, SlotPlanner.RUNNING, 0), maint("slot3", 1003));
        SlotPlan plan = plan(servers, Map.of("slot2", 0), new Backend("127.0.0.1", 1001), new Backend("127.0.0.1", 1005));
        assertThat(plan.reentries()).singleElement().satisfies(r -> assertThat(r.slot()).isEqualTo("slot3"));
        assertThat(plan.commands()).containsExactly("set server be_app/slot2 state maint");

        // the slot that last held the address still has a session: another one is re-entered
        SlotPlan back = plan(List.of(up("slot1", 1001), maint("slot2", 1005), maint("slot3", 1003)), Map.of("slot2", 1),
                new Backend("127.0.0.1", 1001), new Backend("127.0.0.1", 1005));
        assertThat(back.reentries()).singleElement().satisfies(r -> assertThat(r.slot()).isEqualTo("slot3"));
        // without that session it is the one re-entered, before a lower free slot
        SlotPlan same = plan(List.of(up("slot1", 1001), maint("slot2", 1003), maint("slot3", 1005)), Map.of(),
                new Backend("127.0.0.1", 1001), new Backend("127.0.0.1", 1005));
        assertThat(same.reentries()).singleElement().satisfies(r -> assertThat(r.slot()).isEqualTo("slot3"));
    }
}
