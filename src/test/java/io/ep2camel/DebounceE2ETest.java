package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HttpBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Debounce and the reload rate limit, against a real HAProxy and the file orchestrator (polled every 0.2 s). */
class DebounceE2ETest {
    private Ep2Fixture fx;
    private HttpBackends servers;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        servers = HttpBackends.start(5);
    }

    @AfterEach
    void tearDown() {
        fx.close();
        servers.close();
    }

    /** The controller started with the settings the test set, HAProxy serving b1. */
    private void startServingB1() throws Exception {
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        fx.awaitServed("b1");
    }

    private List<String> applies() throws Exception {
        return fx.log().lines().filter(l -> l.contains("applying be_app: ") && !l.contains("bootstrap")).toList();
    }

    @Test
    void aBurstOfChangesInsideTheQuietWindowBecomesOneReload() throws Exception {
        fx.set("debounce_min", "1").set("reload_min_interval", "0");
        startServingB1();
        List<Long> workers = fx.haproxy().workerPids();   // a reload forks new workers (same master)

        for (int i = 1; i < 5; i++) {                 // 4 changes, 300 ms apart: never 1 s quiet
            fx.backends(List.of(servers.port(0), servers.port(i)));
            Thread.sleep(300);
        }
        fx.awaitServed("b1", "b5");
        assertThat(applies()).as("one apply for the whole burst").hasSize(1);
        assertThat(applies().get(0)).contains("-> 2 backends");
        assertThat(fx.haproxy().workerPids()).isNotEqualTo(workers);
    }

    @Test
    void aPolledChangeIsNotHeldForTheCoalescingWindow() throws Exception {
        // a window long enough to see: a watch's event would wait 5 s for the ones that come with it
        fx.set("reload_coalesce", "5").set("reload_min_interval", "0");
        startServingB1();

        long t0 = System.nanoTime();
        fx.backends(List.of(servers.port(0), servers.port(1)));
        fx.awaitServed("b1", "b2");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms from the file's change to HAProxy serving it")
                .isLessThan(4000);
    }

    @Test
    void reloadsAreAtLeastTheMinimumIntervalApart() throws Exception {
        fx.set("reload_min_interval", "2");
        startServingB1();

        for (int i = 1; i < 5; i++) {                 // 4 changes over 2 s
            fx.backends(List.of(servers.port(i)));
            Thread.sleep(500);
        }
        fx.awaitServed("b5");
        List<LocalTime> at = fx.log().lines().filter(l -> l.contains("applying be_app: "))
                .map(l -> LocalTime.parse(l.substring(11, 23).replace(',', '.'))).toList();
        assertThat(at.size()).as("bootstrap + at most 2 reloads for 4 changes in 2 s").isBetween(2, 3);
        for (int i = 1; i < at.size(); i++) {
            assertThat(java.time.Duration.between(at.get(i - 1), at.get(i)).toMillis())
                    .as("reload %d after the one before", i).isGreaterThanOrEqualTo(1950);
        }
    }
}
