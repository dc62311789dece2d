package io.ep2camel.lifecycle;

import io.ep2camel.lifecycle.LifecycleHooks.Outcome;
import io.ep2camel.lifecycle.LifecycleHooks.Receipt;
import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.MovableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.ep2camel.testsupport.AwsQueryDouble.LAUNCHING;
import static io.ep2camel.testsupport.AwsQueryDouble.TERMINATING;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-pool registry of held lifecycle actions: what each message is, and what it counts. */
class LifecycleHooksTest {
    private final MovableClock clock = new MovableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LifecycleHooks hooks = new LifecycleHooks("web", "web-asg, web-asg-b", clock, meters);

    static String notification(String transition, String group, String instanceId, String token) {
        return AwsQueryDouble.lifecycleNotification(transition, group, LAUNCHING.equals(transition) ? "web-launch"
                : "web-terminate", instanceId, token, null, UUID.randomUUID().toString(), Instant.parse("2026-01-01T00:00:00Z"));
    }

    private double count(String event, String kind) {
        Counter c = meters.find("ep2_lifecycle_messages").tag("backend", "web").tag("event", event).tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aNewActionIsHeldWithItsReceiptHandleAndStartsARound() {
        String token = UUID.randomUUID().toString();
        assertThat(hooks.waiting()).isFalse();

        Receipt r = hooks.receive(notification(LAUNCHING, "web-asg", "i-0a1b2c3d4e5f60718", token), "handle-1");

        assertThat(r.outcome()).isEqualTo(Outcome.NEW);
        assertThat(r.startsRound()).isTrue();
        assertThat(r.dropped()).isFalse();
        assertThat(r.text()).contains("launching i-0a1b2c3d4e5f60718 (group web-asg, hook web-launch)", token);
        assertThat(hooks.waiting()).isTrue();
        assertThat(hooks.pending()).singleElement().satisfies(h -> {
            assertThat(h.notice().token()).isEqualTo(token);
            assertThat(h.receiptHandle()).isEqualTo("handle-1");
            assertThat(h.receivedAt()).isEqualTo(clock.instant());
            assertThat(h.lastHeartbeat()).isEqualTo(clock.instant());
            assertThat(h.address()).isEmpty();
            assertThat(h.instanceGone()).isFalse();
        });
        assertThat(count("received", "launching")).isEqualTo(1);
    }

    @Test
    void aSecondDeliveryOfAHeldActionKeepsTheNewestReceiptHandle() {
        String token = UUID.randomUUID().toString();
        String body = notification(TERMINATING, "web-asg-b", "i-0123abcd", token);
        hooks.receive(body, "handle-1");
        clock.move(Duration.ofSeconds(30));

        Receipt again = hooks.receive(body, "handle-2");

        assertThat(again.outcome()).isEqualTo(Outcome.HELD);
        assertThat(again.startsRound()).isFalse();
        assertThat(again.dropped()).isFalse();          // its message stays until the action is over
        assertThat(hooks.pending()).singleElement().satisfies(h -> {
            assertThat(h.receiptHandle()).isEqualTo("handle-2");
            assertThat(h.receivedAt()).isEqualTo(clock.instant().minusSeconds(30));   // held since the first
        });
        assertThat(count("received", "terminating")).isEqualTo(1);

        // a redelivery without a handle keeps the one known
        assertThat(hooks.receive(body, null).outcome()).isEqualTo(Outcome.HELD);
        assertThat(hooks.pending().get(0).receiptHandle()).isEqualTo("handle-2");
    }

    @Test
    void aCompletedActionDeliveredAgainIsDroppedAsDoneBefore() {
        String token = UUID.randomUUID().toString();
        String body = notification(LAUNCHING, "web-asg", "i-0a1b2c3d4e5f60718", token);
        hooks.receive(body, "handle-1");
        PendingHook h = hooks.pending().get(0);

        hooks.completed(new HookStep(h, HookStep.Kind.CONTINUE, "UP after its check"));

        assertThat(hooks.waiting()).isFalse();
        assertThat(count("completed", "launching_continue")).isEqualTo(1);
        Receipt late = hooks.receive(body, "handle-3");
        assertThat(late.outcome()).isEqualTo(Outcome.DONE_BEFORE);
        assertThat(late.dropped()).isTrue();
        assertThat(late.startsRound()).isFalse();
        assertThat(late.text()).contains(token, "completed already");
        assertThat(hooks.waiting()).isFalse();
        assertThat(count("dropped", "duplicate")).isEqualTo(1);
        assertThat(count("received", "launching")).isEqualTo(1);
    }

    @Test
    void abandonedAndLostActionsAreLetGoAndCountedByResult() {
        String launch = UUID.randomUUID().toString();
        String term = UUID.randomUUID().toString();
        hooks.receive(notification(LAUNCHING, "web-asg", "i-0a1b2c3d4e5f60718", launch), "h1");
        hooks.receive(notification(TERMINATING, "web-asg", "i-0123abcd", term), "h2");
        assertThat(hooks.pending()).hasSize(2);
        PendingHook l = hooks.pending().stream().filter(p -> p.notice().token().equals(launch)).findFirst().orElseThrow();
        PendingHook t = hooks.pending().stream().filter(p -> p.notice().token().equals(term)).findFirst().orElseThrow();

        hooks.completed(new HookStep(l, HookStep.Kind.ABANDON, "lifecycle_launch_timeout passed"));
        hooks.completed(new HookStep(t, HookStep.Kind.LOST, "Auto Scaling has no such action any more"));

        assertThat(hooks.waiting()).isFalse();
        assertThat(count("completed", "launching_abandon")).isEqualTo(1);
        assertThat(count("completed", "terminating_lost")).isEqualTo(1);
        assertThat(hooks.receive(notification(TERMINATING, "web-asg", "i-0123abcd", term), "h3").outcome())
                .isEqualTo(Outcome.DONE_BEFORE);
    }

    @Test
    void theTestNotificationOfAWatchedGroupIsDropped() {
        Receipt r = hooks.receive(AwsQueryDouble.testNotification("web-asg-b"), "h");
        assertThat(r.outcome()).isEqualTo(Outcome.TEST);
        assertThat(r.dropped()).isTrue();
        assertThat(r.startsRound()).isFalse();
        assertThat(r.text()).contains("web-asg-b", "reaches ep2-camel");
        assertThat(hooks.waiting()).isFalse();
    }

    @Test
    void anotherGroupsMessagesAreForeignAndDropped() {
        Receipt n = hooks.receive(notification(LAUNCHING, "api-asg", "i-0a1b2c3d4e5f60718", UUID.randomUUID().toString()), "h");
        assertThat(n.outcome()).isEqualTo(Outcome.FOREIGN);
        assertThat(n.dropped()).isTrue();
        assertThat(n.text()).contains("'api-asg'", "web watches");
        Receipt t = hooks.receive(AwsQueryDouble.testNotification("api-asg"), "h");
        assertThat(t.outcome()).isEqualTo(Outcome.FOREIGN);
        // group names are matched whole: a prefix of a watched name is another group
        assertThat(hooks.receive(notification(LAUNCHING, "web", "i-0a1b2c3d4e5f60718", UUID.randomUUID().toString()), "h")
                .outcome()).isEqualTo(Outcome.FOREIGN);
        assertThat(hooks.waiting()).isFalse();
        assertThat(count("dropped", "foreign")).isEqualTo(3);
    }

    @Test
    void aForeignGroupNameIsLoggedCapped() {
        String group = "api-" + "x".repeat(200);
        Receipt r = hooks.receive(notification(LAUNCHING, group, "i-0a1b2c3d4e5f60718", UUID.randomUUID().toString()), "h");
        assertThat(r.outcome()).isEqualTo(Outcome.FOREIGN);
        assertThat(r.text()).contains("'api-" + "x".repeat(76) + "...'").doesNotContain("x".repeat(77));
    }

    @Test
    void malformedMessagesAreDroppedWithTheirReason() {
        Receipt r = hooks.receive("{\"AutoScalingGroupName\":\"web-asg\",\"LifecycleTransition\":\"autoscaling:EC2_INSTANCE_LAUNCHING\"}",
                "h");
        assertThat(r.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(r.dropped()).isTrue();
        assertThat(r.text()).contains("for web", "no valid LifecycleHookName (group web-asg)");
        assertThat(hooks.receive("<xml/>", "h").outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(hooks.receive(null, "h").outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(hooks.waiting()).isFalse();
        assertThat(count("dropped", "malformed")).isEqualTo(3);
    }

    @Test
    void twoHooksOfOneInstanceAreTwoActions() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String first = AwsQueryDouble.lifecycleNotification(LAUNCHING, "web-asg", "hook-a", "i-0a1b2c3d4e5f60718", a, null);
        String second = AwsQueryDouble.lifecycleNotification(LAUNCHING, "web-asg", "hook-b", "i-0a1b2c3d4e5f60718", b, null);
        assertThat(hooks.receive(first, "h1").outcome()).isEqualTo(Outcome.NEW);
        assertThat(hooks.receive(second, "h2").outcome()).isEqualTo(Outcome.NEW);
        assertThat(hooks.pending()).hasSize(2);
        hooks.completed(new HookStep(hooks.pending().stream().filter(p -> p.notice().token().equals(a)).findFirst()
                .orElseThrow(), HookStep.Kind.CONTINUE, "UP"));
        assertThat(hooks.pending()).singleElement().satisfies(p -> assertThat(p.notice().hookName()).isEqualTo("hook-b"));
    }

    @Test
    void anSnsWrappedNotificationIsHeldLikeARawOne() throws Exception {
        String token = UUID.randomUUID().toString();
        Receipt r = hooks.receive(LifecycleNoticeTest.snsEnvelope(notification(LAUNCHING, "web-asg", "i-0a1b2c3d4e5f60718",
                token)), "h1");
        assertThat(r.outcome()).isEqualTo(Outcome.NEW);
        assertThat(hooks.receive(notification(LAUNCHING, "web-asg", "i-0a1b2c3d4e5f60718", token), "h2").outcome())
                .isEqualTo(Outcome.HELD);
        assertThat(hooks.pending().get(0).receiptHandle()).isEqualTo("h2");
    }

    @Test
    void theLast1000CompletedTokensAreRemembered() {
        java.util.List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            String token = UUID.randomUUID().toString();
            tokens.add(token);
            hooks.receive(notification(TERMINATING, "web-asg", "i-0123abcd", token), "h");
            hooks.completed(new HookStep(hooks.pending().get(0), HookStep.Kind.CONTINUE, "drained"));
        }
        assertThat(count("completed", "terminating_continue")).isEqualTo(1001);
        // the newest 1000 are known; the oldest is forgotten (AWS itself refuses such a late completion)
        assertThat(hooks.receive(notification(TERMINATING, "web-asg", "i-0123abcd", tokens.get(1)), "h").outcome())
                .isEqualTo(Outcome.DONE_BEFORE);
        assertThat(hooks.receive(notification(TERMINATING, "web-asg", "i-0123abcd", tokens.get(1000)), "h").outcome())
                .isEqualTo(Outcome.DONE_BEFORE);
        assertThat(hooks.receive(notification(TERMINATING, "web-asg", "i-0123abcd", tokens.get(0)), "h").outcome())
                .isEqualTo(Outcome.NEW);
    }
}
