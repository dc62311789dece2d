package io.ep2camel.runtime;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.Slot;
import io.ep2camel.runtime.RuntimePlan.PlannedPool;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class RuntimePlanTest {
    private static final Backend A = new Backend("127.0.0.1", 8001);
    private static final Backend B = new Backend("127.0.0.1", 8002);

    @Test
    void leavingServersAreThoseTheAnswerLeftOutThatAPlannedPoolsSlotsStillHold() {
        RuntimeTarget web = new RuntimeTarget("be_web", null, null, BackendSet.of(B), true);
        RuntimeTarget api = new RuntimeTarget("be_api", null, null, BackendSet.of(B), false);
        RuntimeTarget settled = new RuntimeTarget("be_db", null, null, BackendSet.of(B), true);
        RuntimePlan plan = new RuntimePlan(RuntimePlan.Outcome.RUNTIME, List.of(), List.of(
                new PlannedPool(web, List.of(new Slot("slot1", A, true), new Slot("slot2", B, false), Slot.free("slot3")), true),
                new PlannedPool(api, List.of(new Slot("slot1", A, false)), false),      // not planned this round
                new PlannedPool(settled, List.of(new Slot("slot1", B, false), Slot.free("slot2")), true)));

        assertThat(plan.leavingServers()).containsExactly(entry("be_web", List.of(A)));
    }
}
