package io.ep2camel.pipeline;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.testsupport.MovableClock;
import io.ep2camel.testsupport.TestPools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeavingServersTest {
    private static final Backend OLD_UP = new Backend("127.0.0.2", 8001);
    private static final Backend OLD_DOWN = new Backend("127.0.0.3", 8002);
    private static final Backend KEPT = new Backend("127.0.0.4", 8003);
    private static final Backend NEW = new Backend("127.0.0.5", 8004);
    private static final String HEADER = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state "
            + "srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health "
            + "srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
            + "srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    private final MovableClock clock = new MovableClock();
    private Pools pools;
    private Pool web;
    private PendingChanges pending;
    private LeavingServers leaving;
    private boolean haproxyRuns = true;

    @BeforeEach
    void setUp() throws Exception {
        pools = TestPools.of();
        web = pools.first();
        web.applied().markApplied(BackendSet.of(OLD_UP, OLD_DOWN, KEPT));
        pending = new PendingChanges(pools, ApplyWindow.AT_ONCE, true, clock);
        leaving = new LeavingServers(pending, () -> haproxyRuns);
    }

    /** A {@code show servers state be_app} row as HAProxy 2.6 writes it: op state 2 UP, 0 DOWN; admin 0x01 maint, 0x08 drain. */
    private static String row(Backend b, int opState, int adminState) {
        return "3 be_app 1 " + b.serverName() + " " + b.host() + " " + opState + " " + adminState
                + " 1 1 12 6 3 4 6 0 0 0 - " + b.port() + " - 0 0 - - 0\n";
    }

    private Round replacing(BackendSet wanted) {
        pending.offer(web, wanted, 1);
        return pending.take();
    }

    /** The route's steps for one round: what is asked, then what HAProxy answered. */
    private Round keepServing(String state, Round round) {
        return leaving.keepServing(List.of(state), round, leaving.asked(round));
    }

    @Test
    void whileNoneOfTheServersThePoolKeepsIsUpItsLeavingServersThatAreUpStay() {
        Round round = replacing(BackendSet.of(KEPT, NEW));
        var asked = leaving.asked(round);
        assertThat(leaving.asksAny(asked)).isTrue();
        assertThat(leaving.stateQueries(asked)).containsExactly("show servers state be_app");

        String state = HEADER + row(OLD_UP, 2, 0) + row(OLD_DOWN, 0, 0) + row(KEPT, 0, 0);
        Round kept = keepServing(state, round);

        assertThat(kept.keepsAny()).isTrue();
        assertThat(kept.target(web)).as("the DOWN leaving server goes, the UP one stays").isEqualTo(BackendSet.of(OLD_UP, KEPT, NEW));
        assertThat(kept.configLines().get(0).serverLines()).anyMatch(l -> l.contains(OLD_UP.serverName()))
                .noneMatch(l -> l.contains(OLD_DOWN.serverName()));
        kept.markApplied();
        assertThat(web.applied().current()).contains(BackendSet.of(OLD_UP, KEPT, NEW));
    }

    @Test
    void onceAnotherServerIsUpTheLeavingOnesGo() {
        Round round = replacing(BackendSet.of(KEPT, NEW));
        String state = HEADER + row(OLD_UP, 2, 0) + row(OLD_DOWN, 0, 0) + row(KEPT, 2, 0);
        Round kept = keepServing(state, round);
        assertThat(kept.keepsAny()).isFalse();
        assertThat(kept.target(web)).isEqualTo(BackendSet.of(KEPT, NEW));
    }

    @Test
    void aServerOfTheTemplatesOwnThatIsUpServesTooSoNothingIsKept() {
        Round round = replacing(BackendSet.of(NEW));
        String state = HEADER + row(OLD_UP, 2, 0) + row(new Backend("127.0.0.9", 9000), 2, 0);
        assertThat(keepServing(state, round).keepsAny()).isFalse();
    }

    @Test
    void aLeavingServerInDrainOrMaintenanceIsNotKept() {
        Round round = replacing(BackendSet.of(NEW));
        String state = HEADER + row(OLD_UP, 2, 0x08) + row(OLD_DOWN, 2, 0x01) + row(KEPT, 0, 0);
        assertThat(keepServing(state, round).keepsAny()).isFalse();
    }

    @Test
    void anEmptyAnswerOrAnAnswerRemovingNothingReadsNoState() {
        assertThat(leaving.asked(replacing(BackendSet.EMPTY))).as("the empty-answer guard confirmed it").isEmpty();
        assertThat(leaving.asked(replacing(BackendSet.of(OLD_UP, OLD_DOWN, KEPT, NEW)))).isEmpty();
    }

    @Test
    void aFirstRoundWhileHaproxyRunsKeepsTheServersOfOursThatServeWhileNoneOfTheAnswersIs() {
        web.applied().forget();                     // a restarted controller: nothing applied yet
        Round round = replacing(BackendSet.of(NEW));
        var asked = leaving.asked(round);
        assertThat(leaving.stateQueries(asked)).containsExactly("show servers state be_app");

        String state = HEADER + row(OLD_UP, 2, 0) + row(OLD_DOWN, 0, 0);
        Round kept = leaving.keepServing(List.of(state), round, asked);
        assertThat(kept.keepsAny()).isTrue();
        assertThat(kept.target(web)).as("the UP server of ours stays, the DOWN one goes").isEqualTo(BackendSet.of(OLD_UP, NEW));

        Backend template = new Backend("127.0.0.9", 9000);
        String templatesUp = HEADER + row(OLD_UP, 2, 0) + row(template, 2, 0).replace(template.serverName(), "static1");
        assertThat(keepServing(templatesUp, replacing(BackendSet.of(NEW))).keepsAny())
                .as("a server of the template's own is not one of ours, and being UP it serves: nothing kept").isFalse();
        String newUp = HEADER + row(OLD_UP, 2, 0) + row(NEW, 2, 0);
        assertThat(keepServing(newUp, replacing(BackendSet.of(NEW))).keepsAny()).as("the answer's own is UP").isFalse();
    }

    @Test
    void aFirstRoundWithoutARunningHaproxyAsksNothing() {
        web.applied().forget();
        haproxyRuns = false;
        assertThat(leaving.asked(replacing(BackendSet.of(NEW)))).isEmpty();
    }

    @Test
    void aRoundThatKeptServersOffersTheAnswerAgainAfterADoublingPauseUnlessANewerAnswerWaits() {
        BackendSet answer = BackendSet.of(KEPT, NEW);
        Round kept = keepServing(HEADER + row(OLD_UP, 2, 0), replacing(answer));
        kept.markApplied();
        leaving.recheckLater(kept);
        assertThat(pending.millisUntilDue()).isEqualTo(250);
        clock.move(Duration.ofMillis(249));
        assertThat(pending.take().isEmpty()).isTrue();
        clock.move(Duration.ofMillis(1));
        Round again = pending.take();
        assertThat(again.target(web)).as("the answer itself, not what was applied").isEqualTo(answer);

        leaving.recheckLater(keepServing(HEADER + row(OLD_UP, 2, 0), again));
        assertThat(pending.millisUntilDue()).as("the second pause in a row").isEqualTo(500);
        BackendSet newer = BackendSet.of(NEW);
        pending.offer(web, newer, 2);
        assertThat(pending.millisUntilDue()).as("a change goes out with the window, not the pause").isZero();
        assertThat(pending.take().target(web)).isEqualTo(newer);

        assertThat(LeavingServers.recheckPause(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(LeavingServers.recheckPause(40)).isEqualTo(LeavingServers.MAX_RECHECK);
    }
}
