package io.ep2camel.runtime;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.render.ServerLineFormat;
import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A re-entry batch (del server, add server and the follow-up, in one batch) on a real HAProxy:
 * a slot HAProxy deletes and adds again serves its new server; one it keeps because a connection
 * is still attached to it (the planner read it without sessions, a request came in between) takes
 * the new server in place by the same commands, and its old address gets no further request.
 */
class SlotReentryHaproxyTest {
    private final Path dir = TestDirs.shortTemp();
    private final Path socket = dir.resolve("s.sock");
    private final int frontend = FreePort.find();
    private final HttpBackends next = HttpBackends.start(1);
    private final HaproxySocketClient client = new HaproxySocketClient(Duration.ofSeconds(5));
    private final SlotPlanner planner = new SlotPlanner("be_app",
            new ServerLineFormat(Optional.empty(), Optional.of("1s")), 1, Duration.ofSeconds(30));
    private ServerSocket hanging;
    private HaproxyProcess haproxy;

    @AfterEach
    void tearDown() throws IOException {
        if (haproxy != null) {
            haproxy.stop();
        }
        if (hanging != null) {
            hanging.close();
        }
        next.close();
        TestDirs.deleteQuietly(dir);
    }

    /** HAProxy with slot1 at {@code oldPort}, checked by TCP connect, rise 1. */
    private void startHaproxy(int oldPort) throws Exception {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                    stats socket %s mode 600 level admin
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                listen be_app
                    bind 127.0.0.1:%d
                    balance roundrobin
                    default-server rise 1
                    server slot1 127.0.0.1:%d check inter 1s
                """.formatted(socket, frontend, oldPort));
        haproxy = HaproxyProcess.start(cfg, dir.resolve("haproxy.pid"));
    }

    /** The planner's re-entry of slot1 (read in maintenance, no sessions) for the new server, sent as the route does. */
    private RuntimePlan reenter() {
        ServerState read = new ServerState("slot1", "127.0.0.1", 1, 0x01, 0, 1);
        SlotPlan slots = planner.plan(List.of(read), Map.of(), BackendSet.of(new Backend("127.0.0.1", next.port(0))),
                new HashMap<>(), Instant.now(), true);
        assertThat(slots.reentries()).hasSize(1);
        return new RuntimePlan(RuntimePlan.Outcome.RUNTIME, slots.commands(), List.of(), slots.reentries());
    }

    /** What the route does with HAProxy's replies to the re-entry batch. */
    private RuntimePlan reentered(RuntimePlan plan, List<String> replies) {
        return new RuntimeUpdate(null, "haproxy-socket:" + socket, () -> null).reentered(plan, replies);
    }

    @Test
    void aSlotDeletedAndAddedAgainServesItsNewServer() throws Exception {
        startHaproxy(FreePort.find());
        client.execute(socket, List.of("set server be_app/slot1 state maint"));

        RuntimePlan plan = reenter();
        RuntimePlan after = reentered(plan, client.execute(socket, plan.reentryBatch()));

        assertThat(after.outcome()).isEqualTo(RuntimePlan.Outcome.RUNTIME);
        await().atMost(Duration.ofSeconds(5)).until(() -> "b1".equals(Http.tryGet(frontend)));
    }

    @Test
    void aSlotHaproxyKeepsForAnAttachedConnectionTakesTheNewServerInPlace() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            List<Socket> held = new java.util.ArrayList<>();
            try {
                while (true) {
                    held.add(hanging.accept());   // accepted, never answered: the request stays attached
                    accepted.incrementAndGet();
                }
            } catch (IOException closed) {
                held.forEach(s -> {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                });
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        startHaproxy(hanging.getLocalPort());
        await().atMost(Duration.ofSeconds(5)).until(() -> client.execute(socket, List.of("show stat"))
                .get(0).lines().anyMatch(l -> l.startsWith("be_app,slot1,") && l.contains(",UP,")));
        try (Socket request = new Socket(InetAddress.getLoopbackAddress(), frontend)) {
            OutputStream out = request.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> client.execute(socket, List.of("show stat")).get(0).lines()
                    .filter(l -> l.startsWith("be_app,slot1,")).anyMatch(l -> !l.split(",")[4].equals("0")));
            client.execute(socket, List.of("set server be_app/slot1 state maint"));
            int before = accepted.get();

            RuntimePlan plan = reenter();
            List<String> replies = client.execute(socket, plan.reentryBatch());
            assertThat(HaproxySocketClient.isErrorReply(replies.get(1))).as("del server of a slot with a connection: " + replies.get(1)).isTrue();
            RuntimePlan after = reentered(plan, replies);

            assertThat(after.outcome()).isEqualTo(RuntimePlan.Outcome.RUNTIME);
            await().atMost(Duration.ofSeconds(5)).until(() -> "b1".equals(Http.tryGet(frontend)));
            for (int i = 0; i < 10; i++) {
                assertThat(Http.tryGet(frontend)).isEqualTo("b1");
            }
            assertThat(accepted.get()).as("connections to the old address after the re-entry").isEqualTo(before);
        }
    }
}
