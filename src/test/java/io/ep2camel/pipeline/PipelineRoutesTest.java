package io.ep2camel.pipeline;

import io.ep2camel.config.StartBy;
import io.ep2camel.config.UpdateType;
import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.reload.ConfigFileWriter;
import io.ep2camel.reload.ConfigFiles;
import io.ep2camel.reload.ExecCommandRunner;
import io.ep2camel.reload.HaproxyCheck;
import io.ep2camel.reload.HaproxyCommands;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.render.TemplateRenderer;
import io.ep2camel.runtime.RuntimeUpdate;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.TestDirs;
import io.ep2camel.testsupport.TestPools;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline's routes on Camel's test kit, update_by_config: real template rendering, the real
 * {@code haproxy -c} through the exec endpoint, real file writes; only the reload step is advised
 * into a mock (starting HAProxy is the E2E tests' part). "HAProxy is running" is this JVM's own
 * pid in the pid file, so the diff does not re-apply an unchanged set as a restart would.
 */
class PipelineRoutesTest extends CamelTestSupport {
    private static final String TEMPLATE = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            listen be_app
                bind 127.0.0.1:18080
                {{nodes}}
            """;

    private Path dir;
    private Path templateFile;
    private Path config;
    private Pools pools;
    private final List<String> steps = new CopyOnWriteArrayList<>();
    private final AtomicInteger reloadFailures = new AtomicInteger();
    /** The one test that runs with a reload rate limit (1 s); every other applies at once. */
    private static final String RATE_LIMITED = "aChangeHeldByTheReloadRateLimitGoesOutOnItsOwnWhenTheWindowOpens";
    /** A second one: a wake-up waiting for the window when the controller stops. */
    private static final String RATE_LIMITED_STOP = "aStopWhileAWakeUpWaitsForTheWindowIsNotHeldUpByIt";
    /** {@code show servers state}'s first two lines, HAProxy 2.6. */
    private static final String SERVERS_STATE_HEADER = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state "
            + "srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result "
            + "srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord "
            + "srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties p = new Properties();
        p.setProperty("ep2.poll_period_ms", "1000");
        p.setProperty("ep2.poll.enabled", "false");     // answers are pushed by the tests
        configuration.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() throws Exception {
        dir = TestDirs.shortTemp();
        templateFile = dir.resolve("t.template");
        config = dir.resolve("haproxy.cfg");
        Files.writeString(templateFile, TEMPLATE);
        Path pidFile = dir.resolve("haproxy.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        pools = TestPools.of();
        ExecCommandRunner runner = new ExecCommandRunner(() -> context, Duration.ofSeconds(10));
        HaproxyCommands commands = new HaproxyCommands(Path.of(HaproxyProcess.BINARY), "systemctl");
        HaproxyControl control = new HaproxyControl(runner, commands, StartBy.BINARY, config, pidFile,
                Optional.empty(), null);
        Stages stages = new Stages(new HaproxyConfigRenderer(new TemplateRenderer(templateFile)),
                new HaproxyCheck(commands, runner), new ConfigFiles(new ConfigFileWriter(config), control), control,
                new RuntimeUpdate(control, "haproxy-socket:" + dir.resolve("none.sock"), () -> context));
        ApplyWindow window = getCurrentTestName().contains(RATE_LIMITED) || getCurrentTestName().contains(RATE_LIMITED_STOP)
                ? new ApplyWindow(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)) : ApplyWindow.AT_ONCE;
        PendingChanges pending = new PendingChanges(pools, window, true, Clock.systemUTC());
        return new PipelineRoutes(pools, pending, UpdateType.UPDATE_BY_CONFIG, stages);
    }

    /** Each step of the config branch reports itself; the reload is a mock that can be told to fail. */
    private void adviseConfigSteps() throws Exception {
        AdviceWith.adviceWith(context, "ep2-install-config", a -> {
            a.weaveById("ep2-render").after().process(e -> steps.add("render"));
            a.weaveById("ep2-write").before().process(e -> steps.add("write"));
            a.weaveById("ep2-reload").replace().process(e -> {
                steps.add("reload");
                if (reloadFailures.getAndDecrement() > 0) {
                    throw new IllegalStateException("haproxy reload failed (exit 1): cannot bind socket");
                }
            }).to("mock:reload");
        });
        AdviceWith.adviceWith(context, "ep2-validate-config",
                a -> a.weaveById("ep2-check-verdict").after().process(e -> steps.add("validate")));
        context.start();
    }

    @AfterEach
    void removeDir() {
        TestDirs.deleteQuietly(dir);
    }

    private void push(String answer) {
        template().send(PipelineRoutes.ENTRY, e -> e.getMessage().setBody(answer));
    }

    private BackendSet applied() {
        return pools.first().applied().current().orElse(null);
    }

    @Test
    void theConfigBranchRendersValidatesWritesAndReloadsInThatOrder() throws Exception {
        adviseConfigSteps();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("ep2-apply").whenDone(1).create();

        push("127.0.0.1:8001,127.0.0.1:8002");

        assertThat(done.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(steps).containsExactly("render", "validate", "write", "reload");
        assertThat(Files.readString(config)).contains("server srv_127.0.0.1_8001 127.0.0.1:8001")
                .contains("server srv_127.0.0.1_8002 127.0.0.1:8002");
        assertThat(applied().size()).isEqualTo(2);
    }

    @Test
    void aChangeHeldByTheReloadRateLimitGoesOutOnItsOwnWhenTheWindowOpens() throws Exception {
        MockEndpoint reload = getMockEndpoint("mock:reload");
        reload.expectedMessageCount(2);
        adviseConfigSteps();
        push("127.0.0.1:8001");
        push("127.0.0.1:8002");        // within reload_min_interval of the first reload: held
        assertThat(Files.readString(config)).as("held by the rate limit").doesNotContain("127.0.0.1:8002");

        // no other answer arrives (a quiet watch): the held change needs the apply window's wake-up
        reload.assertIsSatisfied(5000);
        assertThat(Files.readString(config)).contains("127.0.0.1:8002");
    }

    @Test
    void theDiffIsKeyedOnTheAppliedSetSoAToBToAReappliesA() throws Exception {
        adviseConfigSteps();
        MockEndpoint reload = getMockEndpoint("mock:reload");
        reload.expectedMessageCount(3);

        push("127.0.0.1:8001");
        push("127.0.0.1:8002");
        push("127.0.0.1:8001");

        reload.assertIsSatisfied();
        assertThat(Files.readString(config)).contains("127.0.0.1:8001").doesNotContain("127.0.0.1:8002");
        assertThat(applied().backends()).singleElement().satisfies(b -> assertThat(b.port()).isEqualTo(8001));
    }

    @Test
    void anAnswerEqualToTheAppliedSetIsNotAppliedAgain() throws Exception {
        adviseConfigSteps();
        MockEndpoint reload = getMockEndpoint("mock:reload");
        reload.expectedMessageCount(1);

        push("127.0.0.1:8001");
        push("127.0.0.1:8001");
        push("127.0.0.1:8001");

        reload.assertIsSatisfied();
        assertThat(steps).containsExactly("render", "validate", "write", "reload");
    }

    @Test
    void anUnchangedAnswerDoesNotWakeTheApplyRoute() throws Exception {
        adviseConfigSteps();
        push("127.0.0.1:8001");
        assertThat(applied()).isNotNull();
        NotifyBuilder applyRuns = new NotifyBuilder(context).fromRoute("ep2-apply").whenReceived(1).create();

        push("127.0.0.1:8001");
        push("127.0.0.1:8001");
        // the push waits for ep2-apply to finish (waitForTaskToComplete=Always): had it gone there, it has been
        assertThat(applyRuns.matches()).as("ep2-apply ran for an unchanged answer").isFalse();

        push("127.0.0.1:8002");
        assertThat(applyRuns.matches(10, TimeUnit.SECONDS)).as("a changed answer is applied").isTrue();
        assertThat(Files.readString(config)).contains("127.0.0.1:8002");
    }

    @Test
    void aConfigHaproxyRefusesIsNeitherWrittenNorReloaded() throws Exception {
        adviseConfigSteps();
        push("127.0.0.1:8001");
        String before = Files.readString(config);
        Files.writeString(templateFile, TEMPLATE.replace("{{nodes}}", "no_such_keyword 42\n    {{nodes}}"));
        steps.clear();

        push("127.0.0.1:8002");

        assertThat(steps).containsExactly("render");    // refused at validate: no write, no reload
        assertThat(Files.readString(config)).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("haproxy.cfg.ep2-new"))).as("candidate discarded").isFalse();
        assertThat(applied().backends()).singleElement().satisfies(b -> assertThat(b.port()).isEqualTo(8001));
        assertThat(pools.first().applied().retryPending()).isTrue();
    }

    @Test
    void aFailedReloadPutsThePreviousConfigBack() throws Exception {
        adviseConfigSteps();
        push("127.0.0.1:8001");
        String before = Files.readString(config);
        reloadFailures.set(1);

        push("127.0.0.1:8002");

        assertThat(steps).containsExactly("render", "validate", "write", "reload", "render", "validate", "write", "reload");
        assertThat(Files.readString(config)).as("restored from .bak by the branch's onException").isEqualTo(before);
        assertThat(applied().backends()).singleElement().satisfies(b -> assertThat(b.port()).isEqualTo(8001));
    }

    @Test
    void newServersEnterOverTheSocketBeforeTheRenderAndGoAgainWhenTheReloadFails() throws Exception {
        List<List<String>> sent = new CopyOnWriteArrayList<>();
        AdviceWith.adviceWith(context, "ep2-enter-new-servers", a -> {
            a.weaveById("ep2-read-new-servers").replace().process(e -> {
                steps.add("read servers");
                sent.add(List.copyOf(e.getMessage().getBody(List.class)));
                e.getMessage().setBody(List.of(SERVERS_STATE_HEADER   // HAProxy has 8001 (and 8003, by hand)
                        + "3 be_app 1 srv_127.0.0.1_8001 127.0.0.1 2 0 1 1 9 6 3 4 6 0 0 0 - 8001 - 0 0 - - 0\n"
                        + "3 be_app 2 srv_127.0.0.1_8003 127.0.0.1 0 1 1 1 9 6 3 4 6 0 0 0 - 8003 - 0 0 - - 0\n"));
            });
            a.weaveById("ep2-add-new-servers").replace().process(e -> {
                steps.add("add servers");
                List<String> commands = List.copyOf(e.getMessage().getBody(List.class));
                sent.add(commands);
                // HAProxy adds 8002 and refuses 8004 (2.6's words for a static balance algorithm)
                e.getMessage().setBody(commands.stream().map(c -> c.startsWith("add server be_app/srv_127.0.0.1_8002 ")
                        ? "New server registered." : c.startsWith("add server ")
                        ? "Backend must use a dynamic load balancing to support dynamic servers." : "").toList());
            });
        });
        AdviceWith.adviceWith(context, "ep2-withdraw-new-servers", a -> a.weaveById("ep2-withdraw").replace().process(e -> {
            steps.add("withdraw");
            sent.add(List.copyOf(e.getMessage().getBody(List.class)));
        }));
        adviseConfigSteps();
        push("127.0.0.1:8001");
        assertThat(steps).as("a first round: no applied set, nothing to enter").containsExactly("render", "validate",
                "write", "reload");
        steps.clear();
        reloadFailures.set(1);
        String answer = "127.0.0.1:8001,127.0.0.1:8002,127.0.0.1:8003,127.0.0.1:8004";

        push(answer);

        assertThat(steps.subList(0, 7)).containsExactly("read servers", "add servers", "render", "validate", "write",
                "reload", "withdraw");
        assertThat(sent.get(0)).containsExactly("show servers state be_app");
        assertThat(sent.get(1)).as("8003 is HAProxy's already: left to the reload").containsExactly(
                "experimental-mode on",
                "add server be_app/srv_127.0.0.1_8002 127.0.0.1:8002 check weight 0",
                "enable health be_app/srv_127.0.0.1_8002",
                "set server be_app/srv_127.0.0.1_8002 state ready",
                "set server be_app/srv_127.0.0.1_8002 health down",
                "set server be_app/srv_127.0.0.1_8002 weight 1",
                "add server be_app/srv_127.0.0.1_8004 127.0.0.1:8004 check weight 0",
                "enable health be_app/srv_127.0.0.1_8004",
                "set server be_app/srv_127.0.0.1_8004 state ready",
                "set server be_app/srv_127.0.0.1_8004 health down",
                "set server be_app/srv_127.0.0.1_8004 weight 1");
        assertThat(sent.get(2)).as("only what HAProxy added goes again").containsExactly("experimental-mode on",
                "set server be_app/srv_127.0.0.1_8002 state maint", "shutdown sessions server be_app/srv_127.0.0.1_8002",
                "del server be_app/srv_127.0.0.1_8002");
        // the answer again, once the failed round's back-off is over: entered again and, its reload
        // through, kept — nothing withdrawn
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            push(answer);
            assertThat(applied().size()).isEqualTo(4);
        });
        assertThat(steps.subList(7, steps.size())).containsExactly("read servers", "add servers", "render", "validate",
                "write", "reload");
    }

    @Test
    void aServerLeavingWhileNoneOfTheOthersIsUpKeepsServingUntilOneIsThenGoesWithoutANewAnswer() throws Exception {
        List<String> reads = new CopyOnWriteArrayList<>();
        AdviceWith.adviceWith(context, "ep2-keep-serving", a -> a.weaveById("ep2-read-serving").replace().process(e -> {
            // HAProxy's answer: 8001 UP; 8002 DOWN at the first two reads (the bootstrap's: HAProxy
            // runs, so a first round reads what it serves; then the round 8001 leaves in), UP from the third
            reads.add(e.getMessage().getBody(List.class).toString());
            String state8002 = reads.size() <= 2 ? " 0 0 " : " 2 0 ";
            e.getMessage().setBody(List.of(SERVERS_STATE_HEADER
                    + "3 be_app 1 srv_127.0.0.1_8001 127.0.0.1 2 0 1 1 9 6 3 4 6 0 0 0 - 8001 - 0 0 - - 0\n"
                    + "3 be_app 2 srv_127.0.0.1_8002 127.0.0.1" + state8002 + "1 1 0 6 2 0 6 0 0 0 - 8002 - 0 0 - - 0\n"));
        }));
        MockEndpoint reload = getMockEndpoint("mock:reload");
        reload.expectedMessageCount(3);
        adviseConfigSteps();
        push("127.0.0.1:8001");
        push("127.0.0.1:8001,127.0.0.1:8002");

        push("127.0.0.1:8002");                  // 8001 leaves while 8002 is not UP yet
        assertThat(Files.readString(config)).as("8001 kept").contains("127.0.0.1:8001").contains("127.0.0.1:8002");

        // no other answer comes: the recheck (250 ms later) finds 8002 UP, and 8001 goes
        reload.assertIsSatisfied(5000);
        assertThat(reads).containsExactly("[show servers state be_app]", "[show servers state be_app]",
                "[show servers state be_app]");
        assertThat(Files.readString(config)).doesNotContain("127.0.0.1:8001").contains("127.0.0.1:8002");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(applied())
                .as("marked applied after the reload").isEqualTo(BackendSet.of(new Backend("127.0.0.1", 8002))));
    }

    @Test
    void aStopWhileLeavingServersAreKeptDoesNotWaitOutTheShutdownTimeout() throws Exception {
        AdviceWith.adviceWith(context, "ep2-keep-serving", a -> a.weaveById("ep2-read-serving").replace().process(e ->
                e.getMessage().setBody(List.of(SERVERS_STATE_HEADER         // 8001 UP, 8002 never UP
                        + "3 be_app 1 srv_127.0.0.1_8001 127.0.0.1 2 0 1 1 9 6 3 4 6 0 0 0 - 8001 - 0 0 - - 0\n"
                        + "3 be_app 2 srv_127.0.0.1_8002 127.0.0.1 0 0 1 1 0 6 2 0 6 0 0 0 - 8002 - 0 0 - - 0\n"))));
        adviseConfigSteps();
        context.getShutdownStrategy().setTimeout(30);
        push("127.0.0.1:8001");
        push("127.0.0.1:8002");                  // 8001 kept, rechecked after 250 ms, 500 ms, ...
        await().atMost(Duration.ofSeconds(5)).until(() -> steps.stream().filter("render"::equals).count() >= 4);

        Thread stop = new Thread(context::stop, "test-stop");
        stop.start();
        stop.join(Duration.ofSeconds(10).toMillis());
        boolean stillStopping = stop.isAlive();
        stop.join();
        assertThat(stillStopping).as("the stop waited for the rechecks it kept asking for").isFalse();
    }

    @Test
    void aStopWhileAWakeUpWaitsForTheWindowIsNotHeldUpByIt() throws Exception {
        adviseConfigSteps();
        context.getShutdownStrategy().setTimeout(20);
        push("127.0.0.1:8001");
        push("127.0.0.1:8002");        // held by the rate limit: a wake-up waits in ep2-apply-due
        Thread stop = new Thread(context::stop, "test-stop");
        stop.start();
        stop.join(5000);
        StringBuilder threads = new StringBuilder();
        if (stop.isAlive()) {          // what the stop waits for, for the failure message
            Thread.getAllStackTraces().forEach((t, st) -> {
                threads.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
                for (StackTraceElement el : st) {
                    threads.append("    at ").append(el).append('\n');
                }
            });
        }
        stop.join();
        assertThat(threads.toString()).as("threads while the stop took over 5 s").isEmpty();
    }
}
