package io.ep2camel.lifecycle;

import io.ep2camel.fetch.AwsClients;
import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.ElasticMq;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.ep2camel.testsupport.AwsQueryDouble.COMPLETE_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.DESCRIBE_HOOKS_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.HEARTBEAT_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.LAUNCHING;
import static io.ep2camel.testsupport.AwsQueryDouble.TERMINATING;
import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * CompleteLifecycleAction, RecordLifecycleActionHeartbeat and DescribeLifecycleHooks through the real
 * AutoScalingClient (built as production builds it, {@link AwsClients}) against the Query-protocol double,
 * the notifications read from a real SQS queue (ElasticMQ) the hook sends them to.
 */
class LifecycleActionsTest {
    private static final String KEY_ID = "AKIDLIFECYCLE";
    private static final String SECRET = "lifecycle-actions-secret";
    private static final String ROLE = "arn:aws:iam::123456789012:role/asg-to-sqs";

    private final ElasticMq mq = ElasticMq.start();
    private final AwsQueryDouble aws = AwsQueryDouble.start().expectCredentials(KEY_ID, SECRET).notifyThrough(mq.client());
    private final AutoScalingClient client = new AwsClients(Optional.of(KEY_ID), Optional.of(SECRET), Optional.of("us-east-1"),
            Optional.of(aws.endpoint()), Optional.of(aws.endpoint())).newAutoScalingClient();
    private final String queueUrl = mq.createQueue("web-lifecycle");
    private final LifecycleHooks hooks = new LifecycleHooks("web", "web-asg", Clock.systemUTC(), new SimpleMeterRegistry());
    private final LifecycleActions actions = new LifecycleActions(client);

    @AfterEach
    void tearDown() {
        client.close();
        aws.close();
        mq.close();
    }

    private void putHook(String name, String transition, int heartbeatTimeout) {
        client.putLifecycleHook(b -> b.autoScalingGroupName("web-asg").lifecycleHookName(name).lifecycleTransition(transition)
                .notificationTargetARN(mq.queueArn(queueUrl)).roleARN(ROLE).heartbeatTimeout(heartbeatTimeout)
                .defaultResult("ABANDON"));
    }

    /** What the queue holds now, each message handed to the registry as the queue route does; the held actions. */
    private List<PendingHook> receiveAll() {
        mq.drain(queueUrl, Duration.ofSeconds(5)).forEach(body -> hooks.receive(body, "receipt"));
        return hooks.pending();
    }

    /** Launches the instance and holds its action, read from the queue. */
    private PendingHook launched(String instanceId, String ip) {
        String token = aws.launch("web-asg", instanceId, ip);
        PendingHook h = receiveAll().stream().filter(p -> p.notice().token().equals(token)).findFirst().orElseThrow();
        assertThat(h.notice().instanceId()).isEqualTo(instanceId);
        return h;
    }

    private String lifecycleState(String instanceId) {
        return aws.member("web-asg", instanceId).map(AwsQueryDouble.Member::lifecycleState).orElse("gone");
    }

    @Test
    void completingWithContinuePutsTheLaunchedInstanceInService() {
        aws.group("web-asg", inService("i-00000000000000001"));
        putHook("web-launch", LAUNCHING, 300);
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.11");
        assertThat(lifecycleState("i-0a1b2c3d4e5f60718")).isEqualTo("Pending:Wait");
        HookStep step = new HookStep(h, HookStep.Kind.CONTINUE, "HAProxy has it UP after its health check");

        HookStep done = actions.complete(step);

        assertThat(done).isSameAs(step);
        assertThat(lifecycleState("i-0a1b2c3d4e5f60718")).isEqualTo("InService");
        assertThat(aws.completions()).singleElement().satisfies(c -> {
            assertThat(c.token()).isEqualTo(h.notice().token());
            assertThat(c.hook()).isEqualTo("web-launch");
            assertThat(c.instanceId()).isEqualTo("i-0a1b2c3d4e5f60718");
            assertThat(c.result()).isEqualTo("CONTINUE");
            assertThat(c.timedOut()).isFalse();
        });
        assertThat(aws.requests(COMPLETE_ACTION)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.accessKeyId()).contains(KEY_ID);
            assertThat(r.params()).containsEntry("AutoScalingGroupName", "web-asg")
                    .containsEntry("LifecycleHookName", "web-launch")
                    .containsEntry("LifecycleActionToken", h.notice().token())
                    .containsEntry("LifecycleActionResult", "CONTINUE")
                    .doesNotContainKey("InstanceId");
        });
    }

    @Test
    void completingATerminationWithAbandonLetsTheInstanceGo() {
        aws.group("web-asg", inService("i-0a1b2c3d4e5f60718")).running("i-0a1b2c3d4e5f60718", "127.0.0.12");
        putHook("web-terminate", TERMINATING, 300);
        receiveAll();                                                  // the test notification
        String token = aws.terminate("web-asg", "i-0a1b2c3d4e5f60718");
        PendingHook h = receiveAll().get(0);
        assertThat(h.notice().transition()).isEqualTo(LifecycleNotice.Transition.TERMINATING);

        actions.complete(new HookStep(h, HookStep.Kind.ABANDON, "lifecycle_launch_timeout passed"));

        assertThat(aws.completions()).singleElement().satisfies(c -> {
            assertThat(c.token()).isEqualTo(token);
            assertThat(c.result()).isEqualTo("ABANDON");
        });
        assertThat(lifecycleState("i-0a1b2c3d4e5f60718")).isEqualTo("gone");
    }

    @Test
    void anActionCompletedAlreadyIsTakenAsOverNotAsAnError() {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 300);
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.13");
        String token = h.notice().token();
        // another HAProxy node's controller completed it first
        client.completeLifecycleAction(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-launch")
                .lifecycleActionToken(token).lifecycleActionResult("CONTINUE"));

        HookStep step = actions.complete(new HookStep(h, HookStep.Kind.CONTINUE, "UP after its check"));

        assertThat(step.kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(step.hook()).isSameAs(h);
        assertThat(step.why()).isEqualTo("UP after its check; Auto Scaling had it completed already "
                + "(No active Lifecycle Action found with token " + token + ")");
        assertThat(aws.completions()).hasSize(1);
        assertThat(aws.requests(COMPLETE_ACTION)).extracting(AwsQueryDouble.Request::status).containsExactly(200, 400);

        // and once more, by this controller itself
        assertThat(actions.complete(new HookStep(h, HookStep.Kind.ABANDON, "again")).why()).contains("completed already");
        assertThat(aws.completions()).hasSize(1);
    }

    @Test
    void otherErrorsOfCompleteLifecycleActionAreThrown() {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 300);
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.14");
        HookStep step = new HookStep(h, HookStep.Kind.CONTINUE, "UP");

        aws.fail(COMPLETE_ACTION, 400, "ValidationError", "Group web-asg not found", 1);
        assertThatThrownBy(() -> actions.complete(step)).isInstanceOfSatisfying(AutoScalingException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Group web-asg not found");
        });
        aws.throttle(COMPLETE_ACTION, -1);
        assertThatThrownBy(() -> actions.complete(step)).isInstanceOfSatisfying(AutoScalingException.class,
                e -> assertThat(e.isThrottlingException()).isTrue());
        assertThat(aws.completions()).isEmpty();
        assertThat(aws.activeToken("i-0a1b2c3d4e5f60718")).contains(h.notice().token());

        aws.recover();
        assertThat(actions.complete(step)).isSameAs(step);
        assertThat(aws.completions()).singleElement().satisfies(c -> assertThat(c.result()).isEqualTo("CONTINUE"));
    }

    @Test
    void aHeartbeatIsDueOnceHalfTheHooksHeartbeatTimeoutPassedAndKeepsTheActionAlive() throws Exception {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 3);                          // AWS: 30 s at least; the double takes 3
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.15");
        HookStep step = new HookStep(h, HookStep.Kind.WAIT, "not UP yet");
        Instant received = h.startedAt();   // the action's start: the notification's Time

        assertThat(actions.heartbeatDue(step)).isFalse();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> actions.heartbeatDue(step));
        assertThat(Duration.between(received, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));

        HookStep after = actions.heartbeat(step);

        assertThat(after).isSameAs(step);
        assertThat(h.lastHeartbeat()).isAfterOrEqualTo(received.plusMillis(1500));
        assertThat(actions.heartbeatDue(step)).isFalse();
        assertThat(aws.heartbeats()).singleElement().satisfies(b -> {
            assertThat(b.token()).isEqualTo(h.notice().token());
            assertThat(b.hook()).isEqualTo("web-launch");
            assertThat(b.instanceId()).isEqualTo("i-0a1b2c3d4e5f60718");
        });
        assertThat(aws.requests(HEARTBEAT_ACTION)).singleElement().satisfies(r -> assertThat(r.params())
                .containsEntry("LifecycleActionToken", h.notice().token()).containsEntry("AutoScalingGroupName", "web-asg")
                .containsEntry("LifecycleHookName", "web-launch"));

        // heartbeats whenever due, for more than twice the timeout: Auto Scaling keeps waiting
        long until = System.nanoTime() + Duration.ofMillis(7000).toNanos();
        while (System.nanoTime() < until) {
            if (actions.heartbeatDue(step)) {
                assertThat(actions.heartbeat(step).kind()).isEqualTo(HookStep.Kind.WAIT);
            }
            Thread.sleep(50);
        }
        assertThat(aws.completions()).isEmpty();
        assertThat(lifecycleState("i-0a1b2c3d4e5f60718")).isEqualTo("Pending:Wait");
        assertThat(aws.heartbeats().size()).isBetween(4, 6);
        // the hook's timeout was read once
        assertThat(aws.requests(DESCRIBE_HOOKS_ACTION)).singleElement().satisfies(r -> assertThat(r.params())
                .containsEntry("AutoScalingGroupName", "web-asg").containsEntry("LifecycleHookNames.member.1", "web-launch"));
    }

    @Test
    void whileTheHookCannotBeDescribedHeartbeatsFollowAwssDefaultTimeout() throws Exception {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 2);
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.16");
        HookStep step = new HookStep(h, HookStep.Kind.WAIT, "not UP yet");
        aws.fail(DESCRIBE_HOOKS_ACTION, 403, "AccessDenied",
                "User: arn:aws:iam::123456789012:role/ep2 is not authorized to perform: autoscaling:DescribeLifecycleHooks", -1);
        Thread.sleep(1300);

        assertThat(actions.heartbeatDue(step)).as("3600 s assumed: not due before 30 min").isFalse();
        assertThat(aws.requests(DESCRIBE_HOOKS_ACTION)).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(403));

        aws.recover();
        assertThat(actions.heartbeatDue(step)).as("asked again, the hook's 2 s known").isTrue();
    }

    @Test
    void aHeartbeatForAnActionAutoScalingNoLongerHasIsLost() {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 300);
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.17");
        client.completeLifecycleAction(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-launch")
                .lifecycleActionToken(h.notice().token()).lifecycleActionResult("CONTINUE"));
        Instant before = h.lastHeartbeat();

        HookStep step = actions.heartbeat(new HookStep(h, HookStep.Kind.WAIT, "not UP yet"));

        assertThat(step.kind()).isEqualTo(HookStep.Kind.LOST);
        assertThat(step.lost()).isTrue();
        assertThat(step.finished()).as("not to be completed again").isFalse();
        assertThat(step.hook()).isSameAs(h);
        assertThat(step.why()).isEqualTo("Auto Scaling has no such action any more (No active Lifecycle Action found with token "
                + h.notice().token() + "): completed elsewhere or timed out");
        assertThat(h.lastHeartbeat()).isEqualTo(before);
        assertThat(aws.heartbeats()).isEmpty();
    }

    @Test
    void aHeartbeatForAnActionThatTimedOutIsLost() {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 1);
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.18");
        await().atMost(Duration.ofSeconds(5)).until(() -> !aws.completions().isEmpty());
        assertThat(aws.completions().get(0).timedOut()).isTrue();

        assertThat(actions.heartbeat(new HookStep(h, HookStep.Kind.WAIT, "not UP yet")).kind()).isEqualTo(HookStep.Kind.LOST);
        // and a completion of it is no error either
        assertThat(actions.complete(new HookStep(h, HookStep.Kind.ABANDON, "launch timeout")).why()).contains("completed already");
    }

    @Test
    void otherHeartbeatErrorsAreThrown() {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 300);
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.19");
        aws.fail(HEARTBEAT_ACTION, 500, "InternalFailure", "An internal error occurred", -1);
        assertThatThrownBy(() -> actions.heartbeat(new HookStep(h, HookStep.Kind.WAIT, "not UP yet")))
                .isInstanceOf(AutoScalingException.class).hasMessageContaining("An internal error occurred");
        assertThat(h.lastHeartbeat()).isEqualTo(h.startedAt());
    }

    @Test
    void aNodeThatDoesNotCompleteLeavesCompletionsAndHeartbeatsToTheCompletingOne() throws Exception {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 2);
        PendingHook h = launched("i-0a1b2c3d4e5f60718", "127.0.0.21");
        LifecycleActions notCompleting = new LifecycleActions(client, false);
        HookStep waiting = new HookStep(h, HookStep.Kind.WAIT, "not UP yet");
        Thread.sleep(1100);

        assertThat(notCompleting.heartbeatDue(waiting)).isFalse();
        HookStep done = notCompleting.complete(new HookStep(h, HookStep.Kind.CONTINUE, "UP after its check"));

        assertThat(done.kind()).isEqualTo(HookStep.Kind.CONTINUE);
        assertThat(done.why()).isEqualTo("UP after its check; done here, CompleteLifecycleAction left to the completing node "
                + "(lifecycle_complete = False)");
        assertThat(aws.requests(COMPLETE_ACTION)).isEmpty();
        assertThat(aws.requests(DESCRIBE_HOOKS_ACTION)).isEmpty();
        assertThat(aws.requests(HEARTBEAT_ACTION)).isEmpty();
        assertThat(aws.activeToken("i-0a1b2c3d4e5f60718")).contains(h.notice().token());
        // the completing node's controller (same action, same client) does both
        assertThat(actions.heartbeatDue(waiting)).isTrue();
        actions.complete(new HookStep(h, HookStep.Kind.CONTINUE, "UP after its check"));
        assertThat(aws.completions()).singleElement().satisfies(c -> assertThat(c.result()).isEqualTo("CONTINUE"));
    }

    /**
     * BUG (PendingHook / LifecycleActions.heartbeatDue): the first heartbeat is reckoned from when this
     * controller received the message ({@code lastHeartbeat} starts at {@code receivedAt}), but Auto Scaling's
     * HeartbeatTimeout runs from when the action began (the notification's {@code Time}). A message read late
     * — a controller restarted mid-hook reads it again after the SQS visibility timeout, or the queue was
     * read behind — leaves less than half the timeout: the action times out to its DefaultResult (ABANDON
     * for a launch: Auto Scaling terminates the instance) before ep2-camel sends a first heartbeat.
     * Expected: the first heartbeat is due half a timeout after the notification's Time (at once here).
     */
    @Test
    void aNotificationReadLateStillGetsItsFirstHeartbeatInTime() throws Exception {
        aws.group("web-asg");
        putHook("web-launch", LAUNCHING, 4);
        receiveAll();                                                  // the test notification
        aws.launch("web-asg", "i-0a1b2c3d4e5f60718", "127.0.0.20");    // the action begins: 4 s without heartbeat
        Thread.sleep(2500);                                           // the controller reads its queue late
        PendingHook h = receiveAll().get(0);
        HookStep step = new HookStep(h, HookStep.Kind.WAIT, "not UP yet");

        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        while (System.nanoTime() < until) {
            if (actions.heartbeatDue(step)) {
                actions.heartbeat(step);
            }
            Thread.sleep(50);
        }

        assertThat(aws.completions()).as("Auto Scaling timed the action out").isEmpty();
        assertThat(aws.heartbeats()).isNotEmpty();
    }
}
