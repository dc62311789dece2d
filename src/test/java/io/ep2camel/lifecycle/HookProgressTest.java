package io.ep2camel.lifecycle;

import io.ep2camel.config.StartBy;
import io.ep2camel.reload.ExecCommandRunner;
import io.ep2camel.reload.HaproxyCommands;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.socket.HaproxySocketClient;
import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.MovableClock;
import io.ep2camel.testsupport.TestDirs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.ep2camel.lifecycle.HaproxyReplies.STATE_AT_START;
import static io.ep2camel.lifecycle.HaproxyReplies.STATE_LATER;
import static io.ep2camel.lifecycle.HaproxyReplies.STAT_AT_START;
import static io.ep2camel.lifecycle.HaproxyReplies.STAT_LATER;
import static io.ep2camel.testsupport.AwsQueryDouble.LAUNCHING;
import static io.ep2camel.testsupport.AwsQueryDouble.TERMINATING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * When a held lifecycle action is over, decided from what a real HAProxy 2.6 answered
 * ({@link HaproxyReplies}), with a clock the test moves: drain_timeout 60 s, lifecycle_launch_timeout 300 s.
 */
class HookProgressTest {
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final Duration LAUNCH = Duration.ofSeconds(300);
    private static final List<String> AT_START = List.of(STATE_AT_START, STAT_AT_START);
    private static final List<String> LATER = List.of(STATE_LATER, STAT_LATER);

    private final MovableClock clock = new MovableClock();
    private final LifecycleHooks hooks = new LifecycleHooks("web", "web-asg", clock, new SimpleMeterRegistry());
    /** Binary start_by, nothing reloaded yet (its pid file does not even exist): no previous worker runs. */
    private final HaproxyControl binary = control(StartBy.BINARY);
    /** systemd reloads: whether previous workers still run cannot be known. */
    private final HaproxyControl systemd = control(StartBy.SYSTEMD);

    private static HaproxyControl control(StartBy startBy) {
        Path dir = Path.of("/tmp", "ep2-hook-progress-" + UUID.randomUUID());
        return new HaproxyControl(new ExecCommandRunner(() -> {
            throw new AssertionError("no command is run to decide");
        }, Duration.ofSeconds(5)), new HaproxyCommands(Path.of("/usr/sbin/haproxy"), "systemctl"), startBy,
                dir.resolve("haproxy.cfg"), dir.resolve("haproxy.pid"), Optional.empty(), "haproxy");
    }

    private HookProgress progress(HaproxyControl control) {
        return new HookProgress(hooks, control, DRAIN, LAUNCH, clock);
    }

    /** A held action of this instance, its server address found (null: EC2 has not told it yet). */
    private PendingHook hold(String transition, String instanceId, String address) {
        String token = UUID.randomUUID().toString();
        String body = AwsQueryDouble.lifecycleNotification(transition, "web-asg", LAUNCHING.equals(transition) ? "web-launch"
                : "web-terminate", instanceId, token, null, UUID.randomUUID().toString(), clock.instant());
        assertThat(hooks.receive(body, "receipt-" + token).outcome()).isEqualTo(LifecycleHooks.Outcome.NEW);
        PendingHook h = hooks.pending().stream().filter(p -> p.notice().token().equals(token)).findFirst().orElseThrow();
        if (address != null) {
            h.located(address);
        }
        return h;
    }

    private static HookStep only(List<HookStep> steps) {
        assertThat(steps).hasSize(1);
        return steps.get(0);
    }

    // ------------------------------------------------------------------ launching

    @Test
    void theReadsAreTheBackendsServersAndTheirSessions() {
        assertThat(progress(binary).reads()).containsExactly("show servers state web", "show stat web 4 -1");
    }

    @Test
    void aLaunchingInstanceContinuesOnceItsServerIsUpAfterAPassedCheck() {
        PendingHook h = hold(LAUNCHING, "i-0a1b2c3d4e5f60718", "127.0.0.2:18090");
        clock.move(Duration.ofMillis(1500));

        HookStep step = only(progress(binary).decide(AT_START));

        assertThat(step.hook()).isSameAs(h);
        assertThat(step.kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(step.finished()).isTrue();
        assertThat(step.result()).isEqualTo("CONTINUE");
        assertThat(step.receiptHandle()).isEqualTo(h.receiptHandle());
        assertThat(step.why()).isEqualTo("HAProxy has up (127.0.0.2:18090) UP after its health check, 1500 ms after the notification was read");
    }

    @Test
    void aServerUpBeforeItsFirstCheckIsNotLaunchedYet() {
        // 'drained' right after the start: srv_op_state 2 (UP) but check status INI, result 0
        hold(LAUNCHING, "i-0a1b2c3d4e5f60718", "127.0.0.5:18090");
        HookStep step = only(progress(binary).decide(AT_START));
        assertThat(step.kind()).isEqualTo(HookStep.Kind.WAIT);
        assertThat(step.waiting()).isTrue();
        assertThat(step.finished()).isFalse();
        assertThat(step.why()).isEqualTo("not UP yet");
    }

    @Test
    void aServerWithoutAHealthCheckIsLaunchedWhenUp() {
        hold(LAUNCHING, "i-0a1b2c3d4e5f60718", "127.0.0.4:18090");
        assertThat(only(progress(binary).decide(AT_START)).kind()).isEqualTo(HookStep.Kind.CONTINUE);
    }

    @Test
    void aServerThatFailsItsCheckWaitsAndIsAbandonedAfterTheLaunchTimeout() {
        hold(LAUNCHING, "i-0a1b2c3d4e5f60718", "127.0.0.9:18090");
        HookProgress progress = progress(binary);
        assertThat(only(progress.decide(AT_START)).kind()).isEqualTo(HookStep.Kind.WAIT);
        clock.move(LAUNCH.minusMillis(1));
        assertThat(only(progress.decide(LATER)).kind()).isEqualTo(HookStep.Kind.WAIT);
        clock.move(Duration.ofMillis(1));

        HookStep step = only(progress.decide(LATER));

        assertThat(step.kind()).isEqualTo(HookStep.Kind.ABANDON);
        assertThat(step.finished()).isTrue();
        assertThat(step.result()).isEqualTo("ABANDON");
        assertThat(step.why()).isEqualTo("lifecycle_launch_timeout (300 s) passed, down (127.0.0.9:18090) not UP");
    }

    @Test
    void aServerInDrainOrMaintenanceIsNotTakenForLaunchedThoughItPassedItsCheck() {
        hold(LAUNCHING, "i-0a1b2c3d4e5f60718", "127.0.0.5:18090");   // drain, check passed
        hold(LAUNCHING, "i-0a1b2c3d4e5f60719", "127.0.0.6:18090");   // maintenance
        assertThat(progress(binary).decide(LATER)).extracting(HookStep::kind)
                .containsExactly(HookStep.Kind.WAIT, HookStep.Kind.WAIT);
    }

    @Test
    void anInstanceWhoseAddressIsUnknownOrNotInTheBackendIsAbandonedSayingWhy() {
        PendingHook unknown = hold(LAUNCHING, "i-0a1b2c3d4e5f60718", null);
        PendingHook absent = hold(LAUNCHING, "i-0a1b2c3d4e5f60719", "127.0.0.10:18090");
        HookProgress progress = progress(binary);
        assertThat(progress.decide(AT_START)).extracting(HookStep::kind).containsOnly(HookStep.Kind.WAIT);

        clock.move(LAUNCH);
        Map<PendingHook, HookStep> steps = byHook(progress.decide(AT_START));

        assertThat(steps.get(unknown).kind()).isEqualTo(HookStep.Kind.ABANDON);
        assertThat(steps.get(unknown).why()).isEqualTo("lifecycle_launch_timeout (300 s) passed, its address unknown (EC2)");
        assertThat(steps.get(absent).kind()).isEqualTo(HookStep.Kind.ABANDON);
        assertThat(steps.get(absent).why()).isEqualTo("lifecycle_launch_timeout (300 s) passed, no server 127.0.0.10:18090 in web");
    }

    @Test
    void theLaunchTimeoutCountsFromWhenTheNotificationWasReceived() {
        hold(LAUNCHING, "i-0a1b2c3d4e5f60718", "127.0.0.9:18090");
        clock.move(Duration.ofSeconds(200));
        PendingHook later = hold(LAUNCHING, "i-0a1b2c3d4e5f60719", "127.0.0.9:18090");
        clock.move(Duration.ofSeconds(100));

        Map<PendingHook, HookStep> steps = byHook(progress(binary).decide(AT_START));

        assertThat(steps.get(later).kind()).isEqualTo(HookStep.Kind.WAIT);
        assertThat(steps.values()).extracting(HookStep::kind)
                .containsExactlyInAnyOrder(HookStep.Kind.ABANDON, HookStep.Kind.WAIT);
    }

    // ------------------------------------------------------------------ terminating

    @Test
    void aTerminatingServerInMaintenanceWithoutSessionsIsDrained() {
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", "127.0.0.6:18090");
        HookStep step = only(progress(binary).decide(LATER));
        assertThat(step.kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(step.why()).isEqualTo("maint (127.0.0.6:18090) drained: in maintenance, no sessions left");
    }

    @Test
    void aTerminatingServerInMaintenanceWithASessionWaitsUntilDrainTimeout() {
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", "127.0.0.8:18090");
        HookProgress progress = progress(binary);
        HookStep waiting = only(progress.decide(LATER));
        assertThat(waiting.kind()).isEqualTo(HookStep.Kind.WAIT);
        assertThat(waiting.why()).isEqualTo("busy in maintenance with 1 session(s)");
        clock.move(DRAIN.minusMillis(1));
        assertThat(only(progress.decide(LATER)).kind()).isEqualTo(HookStep.Kind.WAIT);
        clock.move(Duration.ofMillis(1));

        HookStep step = only(progress.decide(LATER));

        assertThat(step.kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(step.why()).isEqualTo("drain_timeout (60 s) passed: busy in maintenance with 1 session(s)");
    }

    @Test
    void aTerminatingServerStillInServiceWaits() {
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", "127.0.0.2:18090");
        hold(TERMINATING, "i-0a1b2c3d4e5f60719", "127.0.0.7:18090");     // draining, one session left
        HookProgress progress = progress(binary);
        List<HookStep> steps = progress.decide(LATER);
        assertThat(steps).extracting(HookStep::kind).containsOnly(HookStep.Kind.WAIT);
        assertThat(steps).extracting(HookStep::why).containsExactlyInAnyOrder("up still takes requests",
                "draining still takes requests");
        assertThat(progress.roundDue()).as("a server with sessions left needs no round").isFalse();
    }

    @Test
    void aDrainingServerWithoutSessionsWantsARoundAtMostOncePerSecond() {
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", "127.0.0.5:18090");   // drain, 0 sessions
        HookProgress progress = progress(binary);
        assertThat(progress.roundDue()).as("nothing seen yet").isFalse();

        assertThat(only(progress.decide(LATER)).kind()).isEqualTo(HookStep.Kind.WAIT);
        assertThat(progress.roundDue()).isTrue();
        assertThat(progress.roundDue()).as("once per sighting").isFalse();

        clock.move(Duration.ofMillis(999));
        progress.decide(LATER);
        assertThat(progress.roundDue()).as("within a second of the last round").isFalse();
        clock.move(Duration.ofMillis(1));
        assertThat(progress.roundDue()).as("still wanted, a second on").isTrue();
        assertThat(progress.roundDue()).isFalse();

        // no longer seen draining: no round wanted, however long after
        clock.move(Duration.ofSeconds(5));
        assertThat(only(progress.decide(AT_START)).kind()).isEqualTo(HookStep.Kind.WAIT);
        assertThat(progress.roundDue()).isFalse();
    }

    @Test
    void anUnreadableHaproxyIsSaidAtOnceThenEveryThirtySecondsAndAgainAtOnceAfterAReading() {
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", "127.0.0.5:18090");
        HookProgress progress = progress(binary);
        assertThat(progress.unreadWarnDue()).as("the first failure").isTrue();
        clock.move(Duration.ofMillis(250));
        assertThat(progress.unreadWarnDue()).as("the next try, 250 ms on").isFalse();
        clock.move(HookProgress.UNREAD_WARN_EVERY.minusMillis(250));
        assertThat(progress.unreadWarnDue()).as("30 s after the first").isTrue();
        clock.move(Duration.ofSeconds(1));
        assertThat(progress.unreadWarnDue()).isFalse();

        progress.decide(LATER);                        // HAProxy read again
        clock.move(Duration.ofMillis(250));
        assertThat(progress.unreadWarnDue()).as("a new failure after a reading").isTrue();
        assertThatThrownBy(() -> progress.decide(List.of("only one reply"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(progress.unreadWarnDue()).as("a reply that is not a reading does not count").isFalse();
    }

    @Test
    void aServerGoneFromTheBackendIsDrainedWhenNoPreviousWorkerRuns() {
        assertThat(binary.softStoppedRunning()).contains(false);
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", "127.0.0.10:18090");
        HookStep step = only(progress(binary).decide(LATER));
        assertThat(step.kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(step.why()).isEqualTo("127.0.0.10:18090 no longer in web and no previous worker still runs");
    }

    @Test
    void underSystemdAServerGoneFromTheBackendWaitsForDrainTimeout() {
        assertThat(systemd.softStoppedRunning()).isEmpty();
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", "127.0.0.10:18090");
        HookProgress progress = progress(systemd);
        HookStep waiting = only(progress.decide(LATER));
        assertThat(waiting.kind()).isEqualTo(HookStep.Kind.WAIT);
        assertThat(waiting.why()).contains("gone from web", "unknown (systemd reload)", "drain_timeout");
        clock.move(DRAIN);
        HookStep step = only(progress.decide(LATER));
        assertThat(step.kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(step.why()).startsWith("drain_timeout (60 s) passed: gone from web");
    }

    @Test
    void aTerminatingInstanceEc2NoLongerRunsIsOverAtOnce() {
        PendingHook h = hold(TERMINATING, "i-0a1b2c3d4e5f60718", null);
        h.gone();
        HookStep step = only(progress(systemd).decide(LATER));
        assertThat(step.kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(step.why()).isEqualTo("EC2 no longer reports the instance running");
    }

    @Test
    void aTerminatingInstanceWithoutAddressWaitsForDrainTimeout() {
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", null);
        HookProgress progress = progress(binary);
        HookStep waiting = only(progress.decide(LATER));
        assertThat(waiting.kind()).isEqualTo(HookStep.Kind.WAIT);
        assertThat(waiting.why()).isEqualTo("address not known yet");
        clock.move(DRAIN);
        assertThat(only(progress.decide(LATER)).why()).isEqualTo("drain_timeout (60 s) passed: address not known yet");
    }

    /**
     * update_by_config on a real HAProxy: the reload left the terminating instance's server out, but the
     * previous (soft-stopped) worker still forwards a request to it; only once that worker is gone is the
     * action over. Reloaded as ep2-camel does it with start_by = binary (a new master, -sf the old one).
     */
    @Test
    void aServerGoneAfterAReloadWaitsWhileThePreviousWorkerStillFinishesARequest() throws Exception {
        Path dir = TestDirs.shortTemp();
        Path cfg = dir.resolve("haproxy.cfg");
        Path pid = dir.resolve("haproxy.pid");
        Path sock = dir.resolve("h.sock");
        int frontend = FreePort.find();
        List<Socket> held = new CopyOnWriteArrayList<>();
        CamelContext camel = new DefaultCamelContext();
        long firstMaster = -1;
        try (ServerSocket instance = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Socket client = new Socket()) {
            // the terminating instance: takes requests and never answers
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(instance.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            }, "never-answers");
            acceptor.setDaemon(true);
            acceptor.start();
            String address = "127.0.0.1:" + instance.getLocalPort();
            Files.writeString(cfg, config(sock, frontend, "    server old " + address + " check\n"));
            HaproxyProcess.start(cfg, pid);
            firstMaster = new HaproxyProcess(pid).masterPid();
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), frontend), 5000);
            client.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());

            camel.start();
            HaproxyControl control = new HaproxyControl(new ExecCommandRunner(() -> camel, Duration.ofSeconds(30)),
                    new HaproxyCommands(Path.of(HaproxyProcess.BINARY), "systemctl"), StartBy.BINARY, cfg, pid,
                    Optional.empty(), "haproxy");
            assertThat(control.softStoppedRunning()).contains(false);
            Files.writeString(cfg, config(sock, frontend, ""));        // the instance's server left out
            control.reloadOrStart();
            assertThat(new HaproxyProcess(pid).masterPid()).isNotEqualTo(firstMaster);

            hold(TERMINATING, "i-0a1b2c3d4e5f60718", address);
            HookProgress progress = progress(control);
            HaproxySocketClient cli = new HaproxySocketClient(Duration.ofSeconds(5));
            List<String> replies = cli.execute(sock, progress.reads());
            assertThat(replies.get(0)).doesNotContain(address.replace(':', ' '));

            assertThat(control.softStoppedRunning()).contains(true);
            HookStep waiting = only(progress.decide(replies));
            assertThat(waiting.kind()).isEqualTo(HookStep.Kind.WAIT);
            assertThat(waiting.why()).isEqualTo("gone from web; previous workers still finish their connections");

            // the request ends: the previous worker, then its master, exit
            for (Socket s : held) {
                s.close();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> control.softStoppedRunning().equals(Optional.of(false)));
            HookStep step = only(progress.decide(cli.execute(sock, progress.reads())));
            assertThat(step.kind()).isEqualTo(HookStep.Kind.CONTINUE);
            assertThat(step.why()).isEqualTo(address + " no longer in web and no previous worker still runs");
        } finally {
            for (Socket s : held) {
                s.close();
            }
            new HaproxyProcess(pid).stop();
            if (firstMaster > 0) {
                ProcessHandle.of(firstMaster).ifPresent(ProcessHandle::destroyForcibly);
            }
            camel.stop();
            TestDirs.deleteQuietly(dir);
        }
    }

    private static String config(Path sock, int frontend, String servers) {
        return """
                global
                    stats socket %s level admin
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend web
                backend web
                %s
                """.formatted(sock, frontend, servers);
    }

    // ------------------------------------------------------------------ one reading for all

    @Test
    void oneReadingDecidesEveryHeldAction() {
        PendingHook launched = hold(LAUNCHING, "i-0000000000000000a", "127.0.0.3:18090");
        PendingHook booting = hold(LAUNCHING, "i-0000000000000000b", "127.0.0.9:18090");
        PendingHook drained = hold(TERMINATING, "i-0000000000000000c", "127.0.0.6:18090");
        PendingHook busy = hold(TERMINATING, "i-0000000000000000d", "127.0.0.8:18090");

        Map<PendingHook, HookStep> steps = byHook(progress(binary).decide(LATER));

        assertThat(steps).hasSize(4);
        assertThat(steps.get(launched).kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(steps.get(booting).kind()).isEqualTo(HookStep.Kind.WAIT);
        assertThat(steps.get(drained).kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(steps.get(busy).kind()).isEqualTo(HookStep.Kind.WAIT);
    }

    @Test
    void nothingHeldNothingDecided() {
        assertThat(progress(binary).decide(LATER)).isEmpty();
    }

    @Test
    void missingOrForeignRepliesAreErrorsNotDecisions() {
        hold(TERMINATING, "i-0a1b2c3d4e5f60718", "127.0.0.6:18090");
        HookProgress progress = progress(binary);
        assertThatThrownBy(() -> progress.decide(List.of(STATE_LATER))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 of the 2 reads of backend web");
        assertThatThrownBy(() -> progress.decide(null)).isInstanceOf(IllegalArgumentException.class);
        // HAProxy 2.6's answers for a backend it does not have
        assertThatThrownBy(() -> progress.decide(List.of("Can't find backend.\n", STAT_LATER)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> progress.decide(List.of(STATE_LATER, "No such proxy.\n")))
                .isInstanceOf(IllegalArgumentException.class);
        // the two replies the wrong way round
        assertThatThrownBy(() -> progress.decide(List.of(STAT_LATER, STATE_LATER))).isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<PendingHook, HookStep> byHook(List<HookStep> steps) {
        return steps.stream().collect(Collectors.toMap(HookStep::hook, Function.identity()));
    }
}
