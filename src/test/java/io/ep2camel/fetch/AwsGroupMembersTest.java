package io.ep2camel.fetch;

import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.ElasticMq;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;

import java.util.Optional;

import static io.ep2camel.testsupport.AwsQueryDouble.ASG_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static io.ep2camel.testsupport.AwsQueryDouble.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group membership through the real Auto Scaling client against the Query-protocol double. */
class AwsGroupMembersTest {
    private final AwsQueryDouble aws = AwsQueryDouble.start().expectCredentials("AKIDTEST", "test-secret");
    private final AutoScalingClient client = new AwsClients(Optional.of("AKIDTEST"), Optional.of("test-secret"),
            Optional.of("us-east-1"), Optional.of(aws.endpoint()), Optional.of(aws.endpoint())).newAutoScalingClient();

    @AfterEach
    void tearDown() {
        client.close();
        aws.close();
    }

    @Test
    void onlyInServiceAndHealthyMembersServe() {
        aws.group("web-asg",
                inService("i-1"),
                member("i-2", "Pending", "Healthy"),
                member("i-3", "InService", "Unhealthy"),
                member("i-4", "Terminating", "Healthy"),
                member("i-5", "Standby", "Healthy"),
                member("i-6", "Pending:Wait", "Healthy"),
                member("i-7", "Terminating:Wait", "Healthy"),
                member("i-8", "Detaching", "Healthy"),
                member("i-9", "EnteringStandby", "Healthy"),
                inService("i-10"));
        aws.group("other-asg", inService("i-99"));

        assertThat(new AwsGroupMembers(client, "web-asg").inServiceIds()).containsExactly("i-1", "i-10");
        AwsQueryDouble.Request r = aws.requests(ASG_ACTION).get(0);
        assertThat(r.params()).containsEntry("AutoScalingGroupNames.member.1", "web-asg")
                .containsEntry("Version", "2011-01-01");
        assertThat(r.signingService()).contains("autoscaling");
        assertThat(r.accessKeyId()).contains("AKIDTEST");
        assertThat(r.contentType()).startsWith("application/x-www-form-urlencoded");
    }

    @Test
    void everyPageIsRead() {
        aws.group("web-asg", inService("i-1"), inService("i-2")).asgEmptyPages(2);
        assertThat(new AwsGroupMembers(client, "web-asg").inServiceIds()).containsExactly("i-1", "i-2");
        assertThat(aws.requests(ASG_ACTION)).hasSize(3);
        assertThat(aws.requests(ASG_ACTION).get(0).params()).doesNotContainKey("NextToken");
        assertThat(aws.requests(ASG_ACTION).get(1).params()).containsKey("NextToken");
    }

    @Test
    void severalGroupsAreAskedInOneCallAndServeTogetherInAsgNameOrder() {
        aws.group("web-a", inService("i-a1"), member("i-a2", "Pending", "Healthy"), inService("i-a3"));
        aws.group("web-b", inService("i-b1"));
        aws.group("other", inService("i-x"));

        // EP2's list syntax: spaces around the commas are allowed
        assertThat(new AwsGroupMembers(client, "web-b, web-a").inServiceIds()).containsExactly("i-b1", "i-a1", "i-a3");
        assertThat(aws.requests(ASG_ACTION)).singleElement().satisfies(r -> assertThat(r.params())
                .containsEntry("AutoScalingGroupNames.member.1", "web-b")
                .containsEntry("AutoScalingGroupNames.member.2", "web-a")
                .doesNotContainKey("AutoScalingGroupNames.member.3"));
    }

    @Test
    void everyPageOfEveryGroupIsRead() {
        aws.group("g1", inService("i-1")).group("g2", inService("i-2")).group("g3", inService("i-3"))
                .asgPageSize(1).asgEmptyPages(1);
        assertThat(new AwsGroupMembers(client, "g1,g2,g3").inServiceIds()).containsExactly("i-1", "i-2", "i-3");
        assertThat(aws.requests(ASG_ACTION)).hasSize(4); // one empty page, then one group per page
    }

    @Test
    void anInstanceInTwoListedGroupsServesOnce() {
        aws.group("g1", inService("i-1"), inService("i-2")).group("g2", inService("i-2"));
        assertThat(new AwsGroupMembers(client, "g1,g2").inServiceIds()).containsExactly("i-1", "i-2");
    }

    @Test
    void moreGroupsThanOneCallTakesGoInFurtherCalls() {
        StringBuilder names = new StringBuilder();
        for (int i = 1; i <= AwsGroupMembers.NAMES_PER_CALL + 5; i++) {
            aws.group("g" + i, inService("i-" + i));
            names.append(i == 1 ? "" : ",").append("g").append(i);
        }
        assertThat(new AwsGroupMembers(client, names.toString()).inServiceIds()).hasSize(AwsGroupMembers.NAMES_PER_CALL + 5);
        assertThat(aws.requests(ASG_ACTION)).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void aListedGroupAwsDoesNotKnowIsAnErrorNamingIt() {
        aws.group("web-a", inService("i-a1"));
        assertThatThrownBy(() -> new AwsGroupMembers(client, "web-a,web-typo").inServiceIds())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'web-typo' not found")
                .hasMessageNotContaining("'web-a'");
    }

    @Test
    void anEmptyGroupHasNoMembers() {
        aws.group("web-asg");
        assertThat(new AwsGroupMembers(client, "web-asg").inServiceIds()).isEmpty();
    }

    @Test
    void anUnknownGroupIsAnErrorNotAnEmptyGroup() {
        aws.group("other-asg", inService("i-1"));
        assertThatThrownBy(() -> new AwsGroupMembers(client, "web-asg").inServiceIds())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'web-asg' not found");
    }

    @Test
    void throttlingIsAnErrorAfterOneBoundedRetry() {
        aws.group("web-asg", inService("i-1")).throttle(ASG_ACTION, -1);
        assertThatThrownBy(() -> new AwsGroupMembers(client, "web-asg").inServiceIds())
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).isThrottlingException()).isTrue())
                .hasMessageContaining("Rate exceeded");
        assertThat(aws.requests(ASG_ACTION)).hasSize(AwsClients.MAX_ATTEMPTS);
    }

    @Test
    void aServerErrorIsAnError() {
        aws.group("web-asg", inService("i-1")).fail(ASG_ACTION, 500, "InternalFailure", "boom", -1);
        assertThatThrownBy(() -> new AwsGroupMembers(client, "web-asg").inServiceIds())
                .isInstanceOf(AwsServiceException.class)
                .hasMessageContaining("boom");
    }

    @Test
    void oneThrottledCallIsRetriedOnce() {
        aws.group("web-asg", inService("i-1")).throttle(ASG_ACTION, 1);
        assertThat(new AwsGroupMembers(client, "web-asg").inServiceIds()).containsExactly("i-1");
        assertThat(aws.requests(ASG_ACTION)).extracting(AwsQueryDouble.Request::status).containsExactly(400, 200);
    }

    @Test
    void aWrongSecretIsRefusedByTheSignatureCheck() {
        try (AutoScalingClient wrong = new AwsClients(Optional.of("AKIDTEST"), Optional.of("not-the-secret"),
                Optional.of("us-east-1"), Optional.of(aws.endpoint()), Optional.empty()).newAutoScalingClient()) {
            aws.group("web-asg", inService("i-1"));
            assertThatThrownBy(() -> new AwsGroupMembers(wrong, "web-asg").inServiceIds())
                    .isInstanceOf(AwsServiceException.class)
                    .hasMessageContaining("signature");
        }
    }

    @Test
    void servingIdsFiltersOnLifecycleAndHealth() {
        AutoScalingGroup g = AutoScalingGroup.builder().autoScalingGroupName("g").instances(
                Instance.builder().instanceId("a").lifecycleState("InService").healthStatus("Healthy").build(),
                Instance.builder().instanceId("b").lifecycleState("InService").healthStatus("Unhealthy").build(),
                Instance.builder().instanceId("c").lifecycleState("Warmed:Running").healthStatus("Healthy").build(),
                Instance.builder().instanceId("d").lifecycleState("SomethingNew").healthStatus("Healthy").build(),
                Instance.builder().instanceId("e").lifecycleState("InService").build()).build();
        assertThat(AwsGroupMembers.servingIds(g)).containsExactly("a");
    }

    @Test
    void withLifecycleHooksHealthyMembersALaunchingHookHoldsServeToo() {
        aws.group("web-asg",
                inService("i-1"),
                member("i-2", "Pending:Wait", "Healthy"),
                member("i-3", "Pending:Proceed", "Healthy"),
                member("i-4", "Pending:Wait", "Unhealthy"),
                member("i-5", "Pending", "Healthy"),
                member("i-6", "Terminating:Wait", "Healthy"),
                member("i-7", "Terminating:Proceed", "Healthy"),
                member("i-8", "Warmed:Pending:Wait", "Healthy"),
                member("i-9", "Standby", "Healthy"),
                inService("i-10"));

        // servePending (lifecycle_queue_url set): HAProxy's health check gates them
        assertThat(new AwsGroupMembers(client, "web-asg", true).inServiceIds()).containsExactly("i-1", "i-2", "i-3", "i-10");
        // without it, as before: InService + Healthy only (the two-argument constructor is the same)
        assertThat(new AwsGroupMembers(client, "web-asg", false).inServiceIds()).containsExactly("i-1", "i-10");
        assertThat(new AwsGroupMembers(client, "web-asg").inServiceIds()).containsExactly("i-1", "i-10");
    }

    @Test
    void anInstanceLaunchedUnderALaunchingHookServesOnlyWhenServePendingUntilItsActionCompletes() {
        try (ElasticMq mq = ElasticMq.start()) {
            aws.notifyThrough(mq.client()).group("web-asg", inService("i-1"));
            String queue = mq.createQueue("web-lifecycle");
            client.putLifecycleHook(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-launch")
                    .lifecycleTransition(AwsQueryDouble.LAUNCHING).notificationTargetARN(mq.queueArn(queue))
                    .roleARN("arn:aws:iam::123456789012:role/asg-to-sqs").heartbeatTimeout(300));
            String token = aws.launch("web-asg", "i-0a1b2c3d4e5f60718", "127.0.0.41");

            assertThat(aws.member("web-asg", "i-0a1b2c3d4e5f60718")).hasValueSatisfying(m ->
                    assertThat(m.lifecycleState()).isEqualTo("Pending:Wait"));
            assertThat(new AwsGroupMembers(client, "web-asg", true).inServiceIds()).containsExactly("i-1", "i-0a1b2c3d4e5f60718");
            assertThat(new AwsGroupMembers(client, "web-asg", false).inServiceIds()).containsExactly("i-1");

            client.completeLifecycleAction(b -> b.autoScalingGroupName("web-asg").lifecycleHookName("web-launch")
                    .lifecycleActionToken(token).lifecycleActionResult("CONTINUE"));
            assertThat(new AwsGroupMembers(client, "web-asg", false).inServiceIds()).containsExactly("i-1", "i-0a1b2c3d4e5f60718");
        }
    }

    @Test
    void servingIdsWithPendingFiltersOnLifecycleAndHealth() {
        AutoScalingGroup g = AutoScalingGroup.builder().autoScalingGroupName("g").instances(
                Instance.builder().instanceId("a").lifecycleState("Pending:Wait").healthStatus("Healthy").build(),
                Instance.builder().instanceId("b").lifecycleState("Pending:Proceed").healthStatus("Healthy").build(),
                Instance.builder().instanceId("c").lifecycleState("Pending:Wait").build(),
                Instance.builder().instanceId("d").lifecycleState("Warmed:Pending:Proceed").healthStatus("Healthy").build(),
                Instance.builder().instanceId("e").lifecycleState("InService").healthStatus("Healthy").build()).build();
        assertThat(AwsGroupMembers.servingIds(g, true)).containsExactly("a", "b", "e");
        assertThat(AwsGroupMembers.servingIds(g, false)).containsExactly("e");
    }
}
