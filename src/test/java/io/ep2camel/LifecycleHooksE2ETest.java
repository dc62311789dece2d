package io.ep2camel;

import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.AwsQueryDouble.Completion;
import io.ep2camel.testsupport.ElasticMq;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.LoopbackBackends;
import io.ep2camel.testsupport.RequestLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static io.ep2camel.testsupport.LoopbackBackends.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Auto Scaling lifecycle hooks end to end, in both update types: the real AWS SDK (Auto Scaling,
 * EC2) against the Query-protocol double, which puts AWS's notification JSON into a real SQS
 * (ElasticMQ, embedded) that camel-aws2-sqs reads; a real HAProxy in front of one HTTP server per
 * "instance" (127.0.0.2 ...). The template has {@code retries 0} and no redispatch, so a request
 * HAProxy sends to a stopped instance is a failed request, not a hidden retry.
 */
class LifecycleHooksE2ETest {
    private static final String KEY_ID = "AKIDLIFECYCLE";
    private static final String SECRET = "lifecycle-Secret/never+logged";
    private static final String GROUP = "web-asg";

    /** One SQS for the class (its start is the slow part); each test has a queue of its own. */
    private static ElasticMq sqs;
    private static int queues;
    private LoopbackBackends servers;
    private AwsQueryDouble aws;
    private String queueName;
    private String queueUrl;
    private Ep2Fixture fx;

    @org.junit.jupiter.api.BeforeAll
    static void startSqs() {
        sqs = ElasticMq.start();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void setUp() {
        servers = LoopbackBackends.start(4);
        queueName = "ep2-lifecycle-" + (++queues);
        queueUrl = sqs.createQueue(queueName);
        aws = AwsQueryDouble.start().expectCredentials(KEY_ID, SECRET).notifyThrough(sqs.client());
        for (int i = 1; i <= 3; i++) {
            aws.running(instance(i), ip(i));
        }
        fx = new Ep2Fixture();
        fx.set("orchestrator", "aws").set("backend_port", Integer.toString(servers.port()))
                .set("check_interval", "200").set("reload_min_interval", "0").set("drain_timeout", "20")
                // a poll far apart: only the notification can make a round come quickly
                .set("sleep_before_next_run", "30");
        fx.write(fx.template, fx.templateText("    {{nodes}}").replace("retries 3", "retries 0")
                .replace("    option redispatch\n", ""));
        fx.section("AWS").put("asg_name", GROUP);
        fx.section("AWS").put("ip_type", "private");
        fx.section("AWS").put("region_name", "us-east-1");
        fx.section("AWS").put("endpoint_url", aws.endpoint().toString());
        fx.section("AWS").put("sqs_endpoint_url", sqs.endpoint().toString());
        fx.section("AWS").put("aws_access_key_id", KEY_ID);
        fx.section("AWS").put("aws_secret_access_key", SECRET);
        fx.section("AWS").put("lifecycle_queue_url", queueUrl);
        fx.section("AWS").put("lifecycle_launch_timeout", "8");
        fx.writeConf();
    }

    @AfterEach
    void tearDown() {
        fx.close();
        aws.close();
        servers.close();
    }

    /** EC2-like instance ids: i- and 17 hex digits. */
    private static String instance(int n) {
        return String.format("i-%017x", n);
    }

    private void putHook(String name, String transition) {
        putHook(name, transition, 60);
    }

    private void putHook(String name, String transition, int heartbeatTimeout) {
        try (AutoScalingClient client = AutoScalingClient.builder().endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET))).build()) {
            client.putLifecycleHook(r -> r.autoScalingGroupName(GROUP).lifecycleHookName(name)
                    .lifecycleTransition(transition).heartbeatTimeout(heartbeatTimeout).defaultResult("ABANDON")
                    .notificationTargetARN(ElasticMq.arnOf(queueName))
                    .roleARN("arn:aws:iam::123456789012:role/ep2-lifecycle"));
        }
    }

    private void awaitQueueEmpty() {
        await().atMost(Duration.ofSeconds(15)).until(() -> sqs.approximateMessages(queueUrl) == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_config", "update_by_runtime"})
    void aScaleInUnderLoadDrainsTheInstanceBeforeItsHookCompletes(String updateType) throws Exception {
        fx.set("update_type", updateType).set("node_slots", "3");
        aws.group(GROUP, inService(instance(1)), inService(instance(2)), inService(instance(3)));
        putHook("drain", AwsQueryDouble.TERMINATING);
        // the ASG terminates the instance the moment it is let go
        List<Instant> stopped = new CopyOnWriteArrayList<>();
        aws.onComplete(c -> {
            if (c.instanceId().equals(instance(2))) {
                servers.stop(2);
                stopped.add(Instant.now());
            }
        });
        fx.startController();
        fx.awaitServed("b1", "b2", "b3");
        awaitQueueEmpty();   // the test notification read and dropped

        Instant asked;
        try (RequestLoop load = RequestLoop.start(fx.frontendPort)) {
            Thread.sleep(300);
            asked = Instant.now();
            String token = aws.terminate(GROUP, instance(2));
            assertThat(token).isNotNull();
            await().atMost(Duration.ofSeconds(15)).until(() -> !stopped.isEmpty());
            Thread.sleep(500);   // requests keep coming after the instance is gone
            load.close();
            assertThat(load.failures()).as("failed requests during the scale in").isEmpty();
            assertThat(load.ok()).isGreaterThan(50);
        }
        assertThat(aws.completions()).singleElement().satisfies(c -> {
            assertThat(c.instanceId()).isEqualTo(instance(2));
            assertThat(c.result()).isEqualTo("CONTINUE");
            assertThat(c.timedOut()).isFalse();
            // let go because it was drained, not because drain_timeout (20 s) ran out
            assertThat(Duration.between(asked, c.time())).isLessThan(Duration.ofSeconds(10));
        });
        fx.awaitServed("b1", "b3");
        awaitQueueEmpty();   // its message deleted once the action was completed
        assertThat(fx.log()).contains("completed with CONTINUE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_config", "update_by_runtime"})
    void aLaunchingInstanceIsLetGoOnlyOnceHaproxyHasItUp(String updateType) throws Exception {
        fx.set("update_type", updateType).set("node_slots", "3");
        aws.group(GROUP, inService(instance(1)));
        putHook("warm-up", AwsQueryDouble.LAUNCHING);
        servers.stop(3);   // the new instance does not listen yet
        fx.startController();
        fx.awaitServed("b1");
        awaitQueueEmpty();

        try (RequestLoop load = RequestLoop.start(fx.frontendPort)) {
            aws.launch(GROUP, instance(3), ip(3));
            // the notification brings its server in at once, health-gated: HAProxy checks it, sends it nothing
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.config().contains(ip(3) + ":" + servers.port()));
            Thread.sleep(1500);
            assertThat(aws.completions()).as("no completion while the instance fails its checks").isEmpty();
            Instant listening = Instant.now();
            servers.listen(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> !aws.completions().isEmpty());
            Completion c = aws.completions().get(0);
            assertThat(c.result()).isEqualTo("CONTINUE");
            assertThat(c.time()).isAfter(listening);
            assertThat(aws.members(GROUP)).anySatisfy(m -> {
                assertThat(m.instanceId()).isEqualTo(instance(3));
                assertThat(m.lifecycleState()).isEqualTo("InService");
            });
            fx.awaitServed("b1", "b3");
            load.close();
            assertThat(load.failures()).as("requests sent to the instance before it listened").isEmpty();
        }
        awaitQueueEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_config", "update_by_runtime"})
    void anInstanceThatNeverPassesItsChecksIsAbandoned(String updateType) throws Exception {
        fx.set("update_type", updateType).set("node_slots", "3");
        fx.section("AWS").put("lifecycle_launch_timeout", "2");
        fx.writeConf();
        aws.group(GROUP, inService(instance(1)));
        putHook("warm-up", AwsQueryDouble.LAUNCHING);
        servers.stop(3);
        fx.startController();
        fx.awaitServed("b1");

        aws.launch(GROUP, instance(3), ip(3));
        await().atMost(Duration.ofSeconds(15)).until(() -> !aws.completions().isEmpty());
        assertThat(aws.completions()).singleElement().satisfies(c -> {
            assertThat(c.instanceId()).isEqualTo(instance(3));
            assertThat(c.result()).isEqualTo("ABANDON");
            assertThat(c.timedOut()).isFalse();
        });
        // the double records the call when it arrives; the controller logs it once answered
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(fx.log()).contains("completed with ABANDON", "lifecycle_launch_timeout (2 s) passed"));
        awaitQueueEmpty();
        // the group terminates it: the next round takes its server out
        assertThat(aws.members(GROUP)).noneMatch(m -> m.instanceId().equals(instance(3)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_runtime"})
    void aDuplicateAndAnotherGroupsNotificationAreDropped(String updateType) throws Exception {
        fx.set("update_type", updateType).set("node_slots", "3");
        aws.group(GROUP, inService(instance(1)), inService(instance(2)));
        putHook("drain", AwsQueryDouble.TERMINATING);
        fx.startController();
        fx.awaitServed("b1", "b2");
        awaitQueueEmpty();

        String token = aws.terminate(GROUP, instance(2));
        await().atMost(Duration.ofSeconds(15)).until(() -> aws.completions().size() == 1);
        awaitQueueEmpty();
        aws.resend(token);   // delivered twice, as SQS may
        sqs.send(queueUrl, AwsQueryDouble.lifecycleNotification(AwsQueryDouble.TERMINATING, "other-asg", "drain",
                instance(1), "0b1c2d3e-0000-4000-8000-000000000001", null));
        sqs.send(queueUrl, "{\"not\": \"a notification\"");
        awaitQueueEmpty();
        assertThat(aws.completions()).as("the duplicate completed nothing").hasSize(1);
        assertThat(aws.requests(AwsQueryDouble.COMPLETE_ACTION)).hasSize(1);
        fx.awaitServed("b1");
        assertThat(fx.log()).contains("was completed already (a duplicate)", "group 'other-asg' dropped",
                "message dropped, not a lifecycle notification");
        assertThat(fx.log()).doesNotContain(SECRET);
        assertThat(Set.copyOf(fx.served(8))).containsExactly("b1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_runtime"})
    void heartbeatsKeepAnActionAliveWhileTheControllerWaitsLongerThanItsTimeout(String updateType) throws Exception {
        fx.set("update_type", updateType).set("node_slots", "3");
        fx.section("AWS").put("lifecycle_launch_timeout", "6");
        fx.writeConf();
        aws.group(GROUP, inService(instance(1)));
        putHook("warm-up", AwsQueryDouble.LAUNCHING, 2);   // Auto Scaling would give up after 2 s without a heartbeat
        servers.stop(3);
        fx.startController();
        fx.awaitServed("b1");

        aws.launch(GROUP, instance(3), ip(3));
        await().atMost(Duration.ofSeconds(20)).until(() -> !aws.completions().isEmpty());
        assertThat(aws.completions()).singleElement().satisfies(c -> {
            assertThat(c.result()).isEqualTo("ABANDON");
            assertThat(c.timedOut()).as("ended by ep2-camel after lifecycle_launch_timeout, not by the hook's timeout").isFalse();
        });
        assertThat(aws.heartbeats()).as("a heartbeat every half HeartbeatTimeout over 6 s").hasSizeGreaterThanOrEqualTo(3);
        assertThat(fx.log()).contains("heartbeat sent, still waiting");
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_config"})
    void aControllerRestartedMidHookResumesFromTheQueueAndCompletesOnce(String updateType) throws Exception {
        fx.set("update_type", updateType).set("node_slots", "3");
        // an unfinished message comes back after 2 s (AWS's default is 30 s)
        sqs.client().setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(
                java.util.Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT, "2")));
        aws.group(GROUP, inService(instance(1)));
        putHook("warm-up", AwsQueryDouble.LAUNCHING);
        servers.stop(3);
        fx.startController();
        fx.awaitServed("b1");
        awaitQueueEmpty();

        aws.launch(GROUP, instance(3), ip(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().contains("launching " + instance(3)));
        fx.stopController();   // mid-hook: the message is in flight, nothing completed
        assertThat(aws.completions()).isEmpty();
        assertThat(sqs.approximateMessages(queueUrl)).as("the message stays in the queue").isEqualTo(1);

        servers.listen(3);
        fx.startController();
        await().atMost(Duration.ofSeconds(20)).until(() -> !aws.completions().isEmpty());
        fx.awaitServed("b1", "b3");
        awaitQueueEmpty();
        Thread.sleep(2500);   // one more visibility timeout: nothing comes back, nothing is completed again
        assertThat(aws.completions()).singleElement().satisfies(c -> assertThat(c.result()).isEqualTo("CONTINUE"));
        assertThat(aws.requests(AwsQueryDouble.COMPLETE_ACTION)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"update_by_runtime"})
    void aNodeThatDoesNotCompleteDrainsAndDeletesItsMessageButNeverCompletes(String updateType) throws Exception {
        fx.set("update_type", updateType).set("node_slots", "3");
        fx.section("AWS").put("lifecycle_complete", "False");
        fx.writeConf();
        aws.group(GROUP, inService(instance(1)), inService(instance(2)));
        putHook("drain", AwsQueryDouble.TERMINATING, 3);
        fx.startController();
        fx.awaitServed("b1", "b2");
        awaitQueueEmpty();

        aws.terminate(GROUP, instance(2));
        fx.awaitServed("b1");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().contains("left to the completing node"));
        awaitQueueEmpty();
        // the group goes on by the hook's own timeout (in real life: the completing node's call)
        await().atMost(Duration.ofSeconds(10)).until(() -> !aws.completions().isEmpty());
        assertThat(aws.completions()).singleElement().satisfies(c -> assertThat(c.timedOut()).isTrue());
        assertThat(aws.requests(AwsQueryDouble.COMPLETE_ACTION)).isEmpty();
        assertThat(aws.requests(AwsQueryDouble.HEARTBEAT_ACTION)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void anUnreachableHaproxyIsSaidOnceNotAtEveryTry() throws Exception {
        fx.set("update_type", "update_by_runtime").set("node_slots", "3");
        fx.writeConf();
        aws.group(GROUP, inService(instance(1)));
        putHook("warm-up", AwsQueryDouble.LAUNCHING);
        servers.stop(3);                                  // never passes its checks: the action stays held
        fx.startController();
        fx.awaitServed("b1");
        aws.launch(GROUP, instance(3), ip(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().contains("launching " + instance(3)));

        fx.haproxy().stop();                              // its stats socket answers no more
        String unread = "HAProxy's state not read";
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.log().contains(unread));
        Thread.sleep(2000);                               // eight more tries, 250 ms apart
        assertThat(fx.log().split(java.util.regex.Pattern.quote(unread), -1)).as(fx.log()).hasSize(2);
        assertThat(aws.completions()).as("still held, not completed").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aPoolReadsItsOwnQueue() throws Exception {
        int apiPort = io.ep2camel.testsupport.FreePort.find();
        // EP2's own pool stays on the file orchestrator; pool api follows the group, with its own queue
        fx.set("orchestrator", "file").set("update_type", "update_by_runtime").set("node_slots", "3");
        fx.write(fx.template, fx.templateText("    {{nodes}}") + """

                listen api
                    bind 127.0.0.1:%d
                    balance roundrobin
                    option httpchk GET /
                    {{ pools.api.nodes }}
                """.formatted(apiPort));
        fx.section("AWS").remove("lifecycle_queue_url");
        fx.section("AWS").remove("lifecycle_launch_timeout");
        fx.section("pool:api").put("orchestrator", "aws");
        fx.section("pool:api").put("asg_name", GROUP);
        fx.section("pool:api").put("backend_port", Integer.toString(servers.port()));
        fx.section("pool:api").put("lifecycle_queue_url", queueUrl);
        fx.writeConf();
        fx.backends(List.of(servers.port()));   // be_app: one server, 127.0.0.1
        aws.group(GROUP, inService(instance(1)));
        putHook("warm-up", AwsQueryDouble.LAUNCHING);
        fx.startController();
        Ep2Fixture.awaitServedAt(apiPort, "b1");
        awaitQueueEmpty();

        aws.launch(GROUP, instance(2), ip(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> !aws.completions().isEmpty());
        assertThat(aws.completions()).singleElement().satisfies(c -> assertThat(c.result()).isEqualTo("CONTINUE"));
        Ep2Fixture.awaitServedAt(apiPort, "b1", "b2");
        awaitQueueEmpty();
        assertThat(fx.controller().context().getRouteController().getRouteStatus("ep2-lifecycle-aws-api").isStarted()).isTrue();
        assertThat(fx.controller().context().getRoute("ep2-lifecycle-aws")).as("none for the [haproxy] pool").isNull();
    }
}
