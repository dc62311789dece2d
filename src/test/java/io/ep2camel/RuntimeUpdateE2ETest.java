package io.ep2camel;

import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.RequestLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * update_by_runtime end to end: slots changed over the stats socket of a real HAProxy, no reloads.
 * {@link RuntimeUpdateOverTcpE2ETest} runs every test again over a TCP stats socket.
 */
class RuntimeUpdateE2ETest {
    protected Ep2Fixture fx;
    protected HttpBackends servers;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        fx.set("update_type", "update_by_runtime").set("node_slots", "3").set("check_interval", "100")
                .set("drain_timeout", "2");
        servers = HttpBackends.start(5);
    }

    @AfterEach
    void tearDown() {
        servers.close();
        fx.close();
    }

    private void startController() throws Exception {
        fx.startController();
    }

    private void serve(int... indexes) {
        List<Integer> ports = new ArrayList<>();
        for (int i : indexes) {
            ports.add(servers.port(i));
        }
        fx.backends(ports);
    }

    private void awaitServed(Set<String> names) {
        fx.awaitServed(names.toArray(String[]::new));
    }

    private List<String> socket(String... commands) {
        return new HaproxySocketClient(Duration.ofSeconds(5)).execute(fx.socket, List.of(commands));
    }

    private long slotLines() throws Exception {
        return fx.config().lines().filter(l -> l.strip().startsWith("server slot")).count();
    }

    @Test
    void aNewServerReEntersAFreeSlotAsAServerAddedAgainNotTheOldOneReaddressed() throws Exception {
        serve(0);
        startController();
        awaitServed(Set.of("b1"));

        serve(0, 1);
        awaitServed(Set.of("b1", "b2"));
        assertThat(fx.log()).contains("be_app/slot2 deleted and added again for its new server")
                .doesNotContain("HAProxy keeps be_app/slot2");
        assertThat(socket("show servers state be_app").get(0)).contains(" slot2 127.0.0.1 ");
    }

    @Test
    void twentyScaleEventsReuseTheSlotsWithoutAnyReload() throws Exception {
        // up to 3 wanted + up to 3 still serving until their replacements are healthy
        fx.set("node_slots", "6");
        serve(0);
        startController();
        awaitServed(Set.of("b1"));
        List<Long> master = fx.haproxy().processes();
        List<Long> workers = fx.haproxy().workerPids();

        Random random = new Random(42);
        for (int event = 0; event < 20; event++) {
            List<Integer> pick = new ArrayList<>(List.of(0, 1, 2, 3, 4));
            java.util.Collections.shuffle(pick, random);
            List<Integer> chosen = pick.subList(0, 1 + random.nextInt(3));
            serve(chosen.stream().mapToInt(Integer::intValue).toArray());
            Set<String> names = new HashSet<>();
            chosen.forEach(i -> names.add(servers.name(i)));
            awaitServed(names);
        }

        assertThat(fx.haproxy().processes()).isEqualTo(master);
        assertThat(fx.haproxy().workerPids()).isEqualTo(workers);
        assertThat(slotLines()).as("never more than node_slots servers: slots were reused").isEqualTo(6);
    }

    @Test
    void onDiskConfigFollowsTheRuntimeStateSoARestartKeepsIt() throws Exception {
        serve(0, 1);
        startController();
        awaitServed(Set.of("b1", "b2"));
        serve(1, 2);
        awaitServed(Set.of("b2", "b3"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.config().contains("127.0.0.1:" + servers.port(2))
                && !fx.config().contains("127.0.0.1:" + servers.port(0) + " check"));

        // someone restarts HAProxy from the file on disk: the controller sees it running with the same slots
        fx.stopController();
        fx.haproxy().stop();
        io.ep2camel.testsupport.HaproxyProcess.start(fx.haproxyCfg, fx.pidFile);
        awaitServed(Set.of("b2", "b3"));
    }

    @Test
    void moreBackendsThanNodeSlotsAreAllServedWithoutReload() throws Exception {
        fx.set("node_slots", "2");
        serve(0);
        startController();
        awaitServed(Set.of("b1"));
        List<Long> master = fx.haproxy().processes();

        serve(0, 1, 2, 3);
        awaitServed(Set.of("b1", "b2", "b3", "b4"));
        assertThat(fx.haproxy().processes()).isEqualTo(master);
        await().atMost(Duration.ofSeconds(5)).until(() -> slotLines() == 4);
        assertThat(fx.config()).contains("server slot4 ");
    }

    @Test
    void slotsAddedPastNodeSlotsAreDeletedOnceFreeSoTheBackendShrinksBack() throws Exception {
        fx.set("node_slots", "2");
        serve(0);
        startController();
        awaitServed(Set.of("b1"));
        List<Long> master = fx.haproxy().processes();
        serve(0, 1, 2, 3);
        awaitServed(Set.of("b1", "b2", "b3", "b4"));

        serve(0);
        awaitServed(Set.of("b1"));
        // drained, then maintenance, then deleted by a later round: HAProxy itself holds 2 servers again
        await().atMost(Duration.ofSeconds(20)).until(() -> socket("show servers state be_app").get(0).lines()
                .filter(l -> l.matches("\\d+ be_app .*")).count() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> slotLines() == 2);
        assertThat(fx.haproxy().processes()).as("no reload").isEqualTo(master);
        assertThat(fx.log()).contains("be_app/slot4 deleted", "be_app/slot3 deleted");

        // and it grows again when asked
        serve(1, 2, 3);
        awaitServed(Set.of("b2", "b3", "b4"));
        assertThat(fx.haproxy().processes()).isEqualTo(master);
    }

    /**
     * A backend whose balance algorithm dynamic servers do not support (static-rr): HAProxy refuses
     * {@code add server} — here first when the new b2 re-enters the free slot2 (deleted, not added
     * again) — and from its answer on, slots grow by one config rewrite + reload.
     */
    @Test
    void addServerRefusedByHaproxyFallsBackToGrowingTheSlotsByReload() throws Exception {
        fx.write(fx.template, fx.templateText("    {{nodes}}").replace("balance roundrobin", "balance static-rr"));
        fx.set("node_slots", "2");
        serve(0);
        startController();
        awaitServed(Set.of("b1"));

        serve(0, 1, 2, 3);
        awaitServed(Set.of("b1", "b2", "b3", "b4"));
        assertThat(fx.log()).contains("HAProxy deleted be_app/slot2 but refused 'add server be_app/slot2",
                "servers are no longer added at runtime, and this round writes the slots with one reload");
        assertThat(slotLines()).isEqualTo(4);

        // from then on a free slot is taken in place: no more del + add attempts
        serve(0, 1, 2);
        awaitServed(Set.of("b1", "b2", "b3"));
        serve(0, 1, 2, 4);
        awaitServed(Set.of("b1", "b2", "b3", "b5"));
        assertThat(fx.log()).containsOnlyOnce("but refused 'add server");
    }

    @Test
    void driftIsRepaired() throws Exception {
        serve(0, 1);
        startController();
        awaitServed(Set.of("b1", "b2"));

        // a live server put in maintenance by hand comes back
        socket("set server be_app/slot1 state maint", "set server be_app/slot2 state maint");
        awaitServed(Set.of("b1", "b2"));

        // HAProxy killed: started again with the same backends
        fx.haproxy().stop();
        awaitServed(Set.of("b1", "b2"));
    }

    /**
     * HAProxy already runs, from a config without the pool's backend (someone else's, or from
     * before the controller): HAProxy's answer that it lacks the backend — not a socket failure —
     * makes the controller write its config and reload once.
     */
    @Test
    void aRunningHaproxyWithoutTheBackendGetsItByOneReload() throws Exception {
        java.nio.file.Files.writeString(fx.haproxyCfg, fx.templateText("").replace("listen be_app", "listen somebody_else"));
        io.ep2camel.testsupport.HaproxyProcess.start(fx.haproxyCfg, fx.pidFile);
        serve(0);
        startController();

        awaitServed(Set.of("b1"));
        assertThat(fx.log()).contains("the running HAProxy lacks a pool's backend");
        assertThat(slotLines()).isEqualTo(3);
    }

    @Test
    void noFailedRequestDuringScaleOutAndDrainedScaleIn() throws Exception {
        serve(0);
        startController();
        awaitServed(Set.of("b1"));

        RequestLoop load = RequestLoop.start(fx.frontendPort);
        try (load) {
            for (int round = 0; round < 3; round++) {
                serve(0, 1, 2);                       // scale out: new servers enter only once healthy
                awaitServed(Set.of("b1", "b2", "b3"));
                serve(2);                             // scale in: the others drain, then go to maintenance
                awaitServed(Set.of("b3"));
                serve(0);
                awaitServed(Set.of("b1"));
            }
        }
        assertThat(load.ok()).isGreaterThan(50);
        assertThat(load.failures()).isEmpty();
    }

    @Test
    void aNewServerGetsNoTrafficBeforeItPassesHealthChecks() throws Exception {
        serve(0);
        startController();
        awaitServed(Set.of("b1"));
        int closedPort = io.ep2camel.testsupport.FreePort.find();   // nothing listens here yet
        fx.backends(List.of(servers.port(0), closedPort));
        await().atMost(Duration.ofSeconds(5)).until(() -> socket("show servers state be_app").get(0)
                .contains("127.0.0.1 ") && socket("show servers state be_app").get(0).contains(" " + closedPort + " "));
        // the slot holds the new address, but every request still reaches b1
        for (int i = 0; i < 30; i++) {
            assertThat(Http.tryGet(fx.frontendPort)).isEqualTo("b1");
        }
    }
}
