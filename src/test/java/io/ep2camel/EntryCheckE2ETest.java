package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;
import io.ep2camel.testsupport.WarmingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health-gated entry, update_by_runtime, real HAProxy: a new instance that needs time to get ready
 * gets no client request before it passed a check, is re-checked every down_check_interval while it
 * is not ready (not every inter: it is served as soon as it is ready), and once UP is checked at the
 * template's own inter again. inter is 3 s here so that the two cadences cannot be confused.
 */
class EntryCheckE2ETest {
    private Ep2Fixture fx;
    private HttpBackends base;
    private WarmingBackend late;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        fx.set("update_type", "update_by_runtime").set("node_slots", "2").set("check_interval", "3s")
                .set("down_check_interval", "100ms");
        fx.writeTemplateCheckingAt(WarmingBackend.HEALTH_PATH);
        base = HttpBackends.start(2);
        late = new WarmingBackend("late");
    }

    @AfterEach
    void tearDown() {
        late.close();
        base.close();
        fx.close();
    }

    @Test
    void aNewServerTakesNoRequestBeforeItsFirstPassedCheckIsRecheckedOftenWhileDownAndKeepsInterOnceUp()
            throws Exception {
        fx.backends(List.of(base.port(0)));
        fx.startController();
        fx.awaitServed("b1");
        try (RequestLoop load = RequestLoop.start(fx.frontendPort)) {
            fx.backends(List.of(base.port(0), late.port()));
            // not ready: failing checks come every down_check_interval — several within one inter
            late.awaitChecksWithoutRequests(5, Duration.ofSeconds(10));
            late.readyAndAwaitRequests();

            int checksWhenUp = late.checks();
            Thread.sleep(2000);   // a window shorter than inter: an UP server is checked at most once in it
            assertThat(late.checks() - checksWhenUp).as("checks of the UP server in 2 s, inter 3 s").isLessThanOrEqualTo(1);
            load.close();
            assertThat(load.failures()).as("failed client requests").isEmpty();
        }
    }

    @Test
    void aServerAddedPastNodeSlotsIsCheckedEveryDownCheckIntervalAndTakesNoRequestBeforeItPassed() throws Exception {
        fx.backends(List.of(base.port(0), base.port(1)));   // node_slots 2: both slots taken
        fx.startController();
        fx.awaitServed("b1", "b2");
        try (RequestLoop load = RequestLoop.start(fx.frontendPort)) {
            fx.backends(List.of(base.port(0), base.port(1), late.port()));   // slot3, with add server
            // a dynamic server's check task starts with the add: its first checks come every
            // down_check_interval, well before one inter (3 s)
            late.awaitChecksWithoutRequests(3, Duration.ofMillis(2500));
            late.readyAndAwaitRequests();
            assertThat(java.nio.file.Files.readString(fx.haproxyCfg)).as("the config keeps the added slot").contains("server slot3 ");
            load.close();
            assertThat(load.failures()).as("failed client requests").isEmpty();
        }
    }
}
