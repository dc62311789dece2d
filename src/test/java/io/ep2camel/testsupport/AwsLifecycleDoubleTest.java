package io.ep2camel.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHook;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.ep2camel.testsupport.AwsQueryDouble.COMPLETE_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.LAUNCHING;
import static io.ep2camel.testsupport.AwsQueryDouble.PUT_HOOK_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.TERMINATING;
import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The lifecycle-hook part of {@link AwsQueryDouble}, driven as production code drives AWS: the real
 * AutoScalingClient (Query protocol, SigV4) against the double, the real SqsClient against {@link ElasticMq}.
 */
class AwsLifecycleDoubleTest {
    private static final String KEY_ID = "AKIDLIFECYCLE";
    private static final String SECRET = "lifecycle-secret";
    private static final String ROLE = "arn:aws:iam::123456789012:role/asg-to-sqs";
    private static final String TIME = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticMq mq = ElasticMq.start();
    private final AwsQueryDouble aws = AwsQueryDouble.start().expectCredentials(KEY_ID, SECRET).notifyThrough(mq.client());
    private final AutoScalingClient asg = AutoScalingClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
            .endpointOverride(aws.endpoint())
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10)))
            .build();
    private final String queueUrl = mq.createQueue("web-lifecycle");
    private final String queueArn = mq.queueArn(queueUrl);

    @AfterEach
    void tearDown() {
        asg.close();
        aws.close();
        mq.close();
    }

    @Test
    void putLifecycleHookSendsTheTestNotificationAndDescribeShowsTheHook() throws Exception {
        assertThat(queueArn).isEqualTo(ElasticMq.arnOf("web-lifecycle")).isEqualTo("arn:aws:sqs:us-east-1:123456789012:web-lifecycle");
        assertThat(queueUrl).startsWith("http://127.0.0.1:" + mq.endpoint().getPort() + "/");
        aws.group("web-asg", inService("i-0a0"));

        asg.putLifecycleHook(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-launch")
                .lifecycleTransition(LAUNCHING).notificationTargetARN(queueArn).roleARN(ROLE)
                .heartbeatTimeout(120).notificationMetadata("pool=web"));

        List<String> bodies = mq.drain(queueUrl, Duration.ofSeconds(5));
        assertThat(bodies).hasSize(1);
        Map<String, Object> test = parse(bodies.get(0));
        assertThat(test.keySet()).containsExactly("AccountId", "RequestId", "AutoScalingGroupARN", "AutoScalingGroupName",
                "Service", "Event", "Time");
        assertThat(test).containsEntry("AccountId", "123456789012")
                .containsEntry("AutoScalingGroupName", "web-asg")
                .containsEntry("Service", "AWS Auto Scaling")
                .containsEntry("Event", "autoscaling:TEST_NOTIFICATION")
                .containsEntry("AutoScalingGroupARN", AwsQueryDouble.groupArn("web-asg"));
        assertThat((String) test.get("AutoScalingGroupARN"))
                .matches("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:" + UUID + ":autoScalingGroupName/web-asg");
        assertThat((String) test.get("RequestId")).matches(UUID);
        assertThat((String) test.get("Time")).matches(TIME);
        // the same ARN DescribeAutoScalingGroups gives
        assertThat(asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("web-asg")).autoScalingGroups().get(0)
                .autoScalingGroupARN()).isEqualTo(test.get("AutoScalingGroupARN"));

        asg.putLifecycleHook(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-terminate")
                .lifecycleTransition(TERMINATING).defaultResult("CONTINUE"));       // no target: no message

        List<LifecycleHook> hooks = asg.describeLifecycleHooks(b -> b.autoScalingGroupName("web-asg")).lifecycleHooks();
        assertThat(hooks).extracting(LifecycleHook::lifecycleHookName).containsExactly("web-launch", "web-terminate");
        LifecycleHook launch = hooks.get(0);
        assertThat(launch.autoScalingGroupName()).isEqualTo("web-asg");
        assertThat(launch.lifecycleTransition()).isEqualTo(LAUNCHING);
        assertThat(launch.notificationTargetARN()).isEqualTo(queueArn);
        assertThat(launch.roleARN()).isEqualTo(ROLE);
        assertThat(launch.notificationMetadata()).isEqualTo("pool=web");
        assertThat(launch.heartbeatTimeout()).isEqualTo(120);
        assertThat(launch.globalTimeout()).isEqualTo(12000);
        assertThat(launch.defaultResult()).isEqualTo("ABANDON");
        LifecycleHook terminate = hooks.get(1);
        assertThat(terminate.heartbeatTimeout()).isEqualTo(3600);
        assertThat(terminate.globalTimeout()).isEqualTo(172800);
        assertThat(terminate.defaultResult()).isEqualTo("CONTINUE");
        assertThat(terminate.notificationTargetARN()).isNull();

        assertThat(asg.describeLifecycleHooks(b -> b.autoScalingGroupName("web-asg").lifecycleHookNames("web-terminate"))
                .lifecycleHooks()).extracting(LifecycleHook::lifecycleHookName).containsExactly("web-terminate");
        assertThat(mq.approximateMessages(queueUrl)).isZero();
        assertThat(aws.requests(PUT_HOOK_ACTION)).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.accessKeyId()).contains(KEY_ID);
            assertThat(r.signingService()).contains("autoscaling");
        });
    }

    @Test
    void putLifecycleHookIsRefusedWhenTheTestMessageCannotBeSent() {
        aws.group("web-asg");
        String missing = ElasticMq.arnOf("no-such-queue");
        assertThatThrownBy(() -> asg.putLifecycleHook(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-launch")
                .lifecycleTransition(LAUNCHING).notificationTargetARN(missing).roleARN(ROLE)))
                .isInstanceOfSatisfying(AutoScalingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("Unable to publish test message to notification target " + missing);
                });
        assertThat(asg.describeLifecycleHooks(b -> b.autoScalingGroupName("web-asg")).lifecycleHooks()).isEmpty();
        assertThatThrownBy(() -> asg.describeLifecycleHooks(b -> b.autoScalingGroupName("other-asg")))
                .isInstanceOfSatisfying(AutoScalingException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    }

    @Test
    void aLaunchWaitsInPendingWaitUntilCompletedWithContinue() throws Exception {
        aws.group("web-asg", inService("i-0a0"));
        hook("web-launch", LAUNCHING, 300, "ABANDON");
        mq.drain(queueUrl, Duration.ofSeconds(5));                       // the test notification

        String token = aws.launch("web-asg", "i-0a1", "127.0.0.11");

        assertThat(token).matches(UUID);
        assertThat(state("web-asg", "i-0a1")).contains("Pending:Wait");
        assertThat(asgInstance("web-asg", "i-0a1").map(Instance::healthStatus)).contains("Healthy");
        assertThat(aws.ec2Instance("i-0a1")).hasValueSatisfying(i -> {
            assertThat(i.state()).isEqualTo("running");
            assertThat(i.privateIp()).isEqualTo("127.0.0.11");
        });
        List<String> bodies = mq.drain(queueUrl, Duration.ofSeconds(5));
        assertThat(bodies).containsExactly(aws.notificationJson(token));
        Map<String, Object> n = parse(bodies.get(0));
        assertThat(n.keySet()).containsExactly("Origin", "LifecycleHookName", "Destination", "AccountId", "RequestId",
                "LifecycleTransition", "AutoScalingGroupName", "Service", "Time", "EC2InstanceId", "LifecycleActionToken",
                "NotificationMetadata");
        assertThat(n).containsEntry("Origin", "EC2")
                .containsEntry("Destination", "AutoScalingGroup")
                .containsEntry("LifecycleHookName", "web-launch")
                .containsEntry("AccountId", "123456789012")
                .containsEntry("LifecycleTransition", "autoscaling:EC2_INSTANCE_LAUNCHING")
                .containsEntry("AutoScalingGroupName", "web-asg")
                .containsEntry("Service", "AWS Auto Scaling")
                .containsEntry("EC2InstanceId", "i-0a1")
                .containsEntry("LifecycleActionToken", token)
                .containsEntry("NotificationMetadata", "pool=web");
        assertThat((String) n.get("RequestId")).matches(UUID).isNotEqualTo(token);
        assertThat((String) n.get("Time")).matches(TIME);

        asg.completeLifecycleAction(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-launch")
                .lifecycleActionToken(token).lifecycleActionResult("CONTINUE"));

        assertThat(state("web-asg", "i-0a1")).contains("InService");
        assertThat(aws.completions()).singleElement().satisfies(c -> {
            assertThat(c.group()).isEqualTo("web-asg");
            assertThat(c.hook()).isEqualTo("web-launch");
            assertThat(c.instanceId()).isEqualTo("i-0a1");
            assertThat(c.token()).isEqualTo(token);
            assertThat(c.transition()).isEqualTo(LAUNCHING);
            assertThat(c.result()).isEqualTo("CONTINUE");
            assertThat(c.timedOut()).isFalse();
        });

        // the same token again: AWS no longer knows the action
        assertThatThrownBy(() -> asg.completeLifecycleAction(b -> b.autoScalingGroupName("web-asg")
                .lifecycleHookName("web-launch").lifecycleActionToken(token).lifecycleActionResult("CONTINUE")))
                .isInstanceOfSatisfying(AutoScalingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("No active Lifecycle Action found with token " + token);
                });
        assertThat(aws.requests(COMPLETE_ACTION)).extracting(AwsQueryDouble.Request::status).containsExactly(200, 400);
        assertThat(aws.requests(COMPLETE_ACTION).get(0).params())
                .containsEntry("LifecycleActionToken", token).containsEntry("LifecycleActionResult", "CONTINUE");
        assertThat(aws.completions()).hasSize(1);
        assertThat(state("web-asg", "i-0a1")).contains("InService");
    }

    @Test
    void withoutAHookALaunchIsInServiceAtOnceAndATerminationImmediate() {
        aws.group("web-asg");
        assertThat(aws.launch("web-asg", "i-0a2", "127.0.0.12")).isNull();
        assertThat(state("web-asg", "i-0a2")).contains("InService");
        assertThat(aws.terminate("web-asg", "i-0a2")).isNull();
        assertThat(asgInstance("web-asg", "i-0a2")).isEmpty();
        assertThat(aws.ec2Instance("i-0a2")).hasValueSatisfying(i -> {
            assertThat(i.state()).isEqualTo("terminated");
            assertThat(i.privateIp()).isNull();
        });
        assertThat(mq.approximateMessages(queueUrl)).isZero();
        assertThat(aws.completions()).isEmpty();
        // a non-loopback address (a documentation one, RFC 5737) is refused before it is stored or used
        assertThatThrownBy(() -> aws.launch("web-asg", "i-0a3", "192.0.2.3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTerminationWaitsInTerminatingWaitHeartbeatsKeepItAndTheListenerRunsBeforeTheAnswer() throws Exception {
        aws.group("web-asg", inService("i-0b1")).running("i-0b1", "127.0.0.21");
        hook("web-terminate", TERMINATING, 2, "CONTINUE");
        mq.drain(queueUrl, Duration.ofSeconds(5));

        String token = aws.terminate("web-asg", "i-0b1");

        assertThat(state("web-asg", "i-0b1")).contains("Terminating:Wait");
        assertThat(aws.ec2Instance("i-0b1").map(AwsQueryDouble.Ec2Instance::state)).contains("running");
        Map<String, Object> n = parse(mq.drain(queueUrl, Duration.ofSeconds(5)).get(0));
        assertThat(n).containsEntry("Origin", "AutoScalingGroup").containsEntry("Destination", "EC2")
                .containsEntry("LifecycleTransition", "autoscaling:EC2_INSTANCE_TERMINATING")
                .containsEntry("LifecycleHookName", "web-terminate")
                .containsEntry("EC2InstanceId", "i-0b1")
                .containsEntry("LifecycleActionToken", token);

        // heartbeats by instance id, for twice the heartbeat timeout: the action stays open
        long until = System.nanoTime() + Duration.ofMillis(4200).toNanos();
        int sent = 0;
        while (System.nanoTime() < until) {
            asg.recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-terminate")
                    .instanceId("i-0b1"));
            sent++;
            Thread.sleep(600);
        }
        assertThat(aws.completions()).isEmpty();
        assertThat(state("web-asg", "i-0b1")).contains("Terminating:Wait");
        assertThat(aws.heartbeats()).hasSize(sent).allSatisfy(h -> {
            assertThat(h.token()).isEqualTo(token);
            assertThat(h.instanceId()).isEqualTo("i-0b1");
            assertThat(h.hook()).isEqualTo("web-terminate");
        });

        List<String> atCompletion = new ArrayList<>();
        aws.onComplete(c -> {
            atCompletion.add(c.instanceId() + " " + c.result());
            atCompletion.add("answered completes: " + aws.requests(COMPLETE_ACTION).size());
            atCompletion.add("member: " + aws.member("web-asg", "i-0b1").map(AwsQueryDouble.Member::lifecycleState).orElse("gone"));
        });
        asg.completeLifecycleAction(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-terminate")
                .instanceId("i-0b1").lifecycleActionResult("ABANDON"));

        assertThat(atCompletion).containsExactly("i-0b1 ABANDON", "answered completes: 0", "member: gone");
        assertThat(asgInstance("web-asg", "i-0b1")).isEmpty();
        assertThat(aws.ec2Instance("i-0b1").map(AwsQueryDouble.Ec2Instance::state)).contains("terminated");
        assertThat(aws.completions()).singleElement().satisfies(c -> {
            assertThat(c.transition()).isEqualTo(TERMINATING);
            assertThat(c.result()).isEqualTo("ABANDON");
            assertThat(c.timedOut()).isFalse();
        });
        // a heartbeat for the finished action
        assertThatThrownBy(() -> asg.recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName("web-asg")
                .lifecycleHookName("web-terminate").instanceId("i-0b1")))
                .isInstanceOfSatisfying(AutoScalingException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("No active Lifecycle Action found with instance ID i-0b1");
                });
    }

    @Test
    void withoutHeartbeatsTheHookTimesOutToItsDefaultResult() {
        aws.group("web-asg");
        hook("web-launch", LAUNCHING, 1, "ABANDON");
        List<AwsQueryDouble.Completion> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        aws.onComplete(heard::add);

        String token = aws.launch("web-asg", "i-0c1", "127.0.0.31");
        assertThat(state("web-asg", "i-0c1")).contains("Pending:Wait");

        await().atMost(Duration.ofSeconds(5)).until(() -> !aws.completions().isEmpty());
        assertThat(aws.completions()).singleElement().satisfies(c -> {
            assertThat(c.token()).isEqualTo(token);
            assertThat(c.result()).isEqualTo("ABANDON");
            assertThat(c.timedOut()).isTrue();
        });
        assertThat(heard).isEqualTo(aws.completions());
        assertThat(asgInstance("web-asg", "i-0c1")).isEmpty();
        assertThat(aws.ec2Instance("i-0c1").map(AwsQueryDouble.Ec2Instance::state)).contains("terminated");
        assertThatThrownBy(() -> asg.completeLifecycleAction(b -> b.autoScalingGroupName("web-asg")
                .lifecycleHookName("web-launch").lifecycleActionToken(token).lifecycleActionResult("CONTINUE")))
                .isInstanceOfSatisfying(AutoScalingException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    }

    @Test
    void aCompletionForAnotherHookGroupOrAnUnknownTokenIsAValidationError() {
        aws.group("web-asg");
        aws.group("api-asg");
        hook("web-launch", LAUNCHING, 300, "ABANDON");
        String token = aws.launch("web-asg", "i-0d1", "127.0.0.41");

        for (String[] wrong : new String[][] {
                {"web-asg", "other-hook", token},
                {"api-asg", "web-launch", token},
                {"web-asg", "web-launch", "4c3e7d2a-0000-4000-8000-000000000000"}}) {
            assertThatThrownBy(() -> asg.completeLifecycleAction(b -> b.autoScalingGroupName(wrong[0])
                    .lifecycleHookName(wrong[1]).lifecycleActionToken(wrong[2]).lifecycleActionResult("CONTINUE")))
                    .isInstanceOfSatisfying(AutoScalingException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("No active Lifecycle Action found with token " + wrong[2]);
                    });
        }
        assertThatThrownBy(() -> asg.recordLifecycleActionHeartbeat(b -> b.autoScalingGroupName("api-asg")
                .lifecycleHookName("web-launch").instanceId("i-0d1")))
                .isInstanceOfSatisfying(AutoScalingException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("No active Lifecycle Action found with instance ID i-0d1"));
        assertThatThrownBy(() -> asg.completeLifecycleAction(b -> b.autoScalingGroupName("web-asg")
                .lifecycleHookName("web-launch").lifecycleActionToken(token).lifecycleActionResult("MAYBE")))
                .isInstanceOfSatisfying(AutoScalingException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        // none of that touched the action
        assertThat(aws.completions()).isEmpty();
        assertThat(aws.heartbeats()).isEmpty();
        assertThat(state("web-asg", "i-0d1")).contains("Pending:Wait");
        assertThat(aws.activeToken("i-0d1")).contains(token);
    }

    @Test
    void aNotificationCanBeDeliveredTwiceAndBuiltForAnotherGroup() throws Exception {
        String url = mq.createQueue("web-lifecycle-short", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
        aws.group("web-asg");
        asg.putLifecycleHook(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-launch")
                .lifecycleTransition(LAUNCHING).notificationTargetARN(mq.queueArn(url)).roleARN(ROLE));
        mq.drain(url, Duration.ofSeconds(5));

        String token = aws.launch("web-asg", "i-0e1", "127.0.0.51");
        assertThat(aws.resend(token)).isEqualTo(aws.notificationJson(token));
        assertThat(mq.approximateMessages(url)).isEqualTo(2);
        assertThat(mq.peek(url)).hasSize(2).allSatisfy(m -> assertThat(m.body()).isEqualTo(aws.notificationJson(token)));
        assertThat(parse(aws.notificationJson(token))).doesNotContainKey("NotificationMetadata");
        assertThat(aws.sent()).extracting(AwsQueryDouble.Sent::queueUrl).containsOnly(url).hasSize(3);

        String foreign = AwsQueryDouble.lifecycleNotification(LAUNCHING, "api-asg", "api-launch", "i-0f1",
                "5d6a1c7e-1111-4222-8333-444455556666", null);
        mq.send(url, foreign);
        assertThat(mq.drain(url)).hasSize(3).contains(foreign);
        assertThat(parse(foreign)).containsEntry("AutoScalingGroupName", "api-asg").containsEntry("EC2InstanceId", "i-0f1");
        assertThat(mq.approximateMessages(url)).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private void hook(String name, String transition, int heartbeatTimeout, String defaultResult) {
        asg.putLifecycleHook(b -> b.autoScalingGroupName("web-asg").lifecycleHookName(name).lifecycleTransition(transition)
                .notificationTargetARN(queueArn).roleARN(ROLE).heartbeatTimeout(heartbeatTimeout)
                .defaultResult(defaultResult).notificationMetadata("pool=web"));
    }

    private Optional<Instance> asgInstance(String group, String instanceId) {
        return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(group)).autoScalingGroups().stream()
                .flatMap(g -> g.instances().stream()).filter(i -> i.instanceId().equals(instanceId)).findFirst();
    }

    /** The member's LifecycleState through DescribeAutoScalingGroups. */
    private Optional<String> state(String group, String instanceId) {
        return asgInstance(group, instanceId).map(Instance::lifecycleStateAsString);
    }

    private static Map<String, Object> parse(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
