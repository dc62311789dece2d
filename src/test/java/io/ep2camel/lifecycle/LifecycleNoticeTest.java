package io.ep2camel.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ep2camel.testsupport.AwsQueryDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static io.ep2camel.testsupport.AwsQueryDouble.LAUNCHING;
import static io.ep2camel.testsupport.AwsQueryDouble.TERMINATING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One SQS message body read: the notifications as Auto Scaling writes them (AwsQueryDouble builds
 * them field for field in AWS's order), the test notification, the SNS envelope of an SNS fan-out,
 * and everything ep2-camel must not act on.
 */
class LifecycleNoticeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "c613620e-07e2-4ed2-a9e2-ef8258911ade";
    private static final String INSTANCE = "i-0598c7d356eba48d7";
    private static final Instant TIME = Instant.parse("2026-03-04T05:06:07.890Z");

    private static String launching() {
        return AwsQueryDouble.lifecycleNotification(LAUNCHING, "web-asg", "web-launch", INSTANCE, TOKEN, "pool=web",
                "7b2d1c2e-7f5e-4a35-8a0a-7a6c1d3f4b5e", TIME);
    }

    private static LifecycleNotice notice(String body) {
        LifecycleNotice.Read read = LifecycleNotice.read(body);
        assertThat(read).isInstanceOf(LifecycleNotice.Notice.class);
        return ((LifecycleNotice.Notice) read).notice();
    }

    private static String malformed(String body) {
        LifecycleNotice.Read read = LifecycleNotice.read(body);
        assertThat(read).isInstanceOf(LifecycleNotice.Malformed.class);
        return ((LifecycleNotice.Malformed) read).reason();
    }

    /** The notification with one field replaced (null: removed), the others as AWS wrote them. */
    private static String with(String field, Object value) throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree(launching());
        if (value == null) {
            n.remove(field);
        } else {
            n.set(field, JSON.valueToTree(value));
        }
        return JSON.writeValueAsString(n);
    }

    @Test
    void aLaunchingNotificationAsAutoScalingWritesItIsANotice() {
        LifecycleNotice n = notice(launching());
        assertThat(n.group()).isEqualTo("web-asg");
        assertThat(n.hookName()).isEqualTo("web-launch");
        assertThat(n.token()).isEqualTo(TOKEN);
        assertThat(n.instanceId()).isEqualTo(INSTANCE);
        assertThat(n.transition()).isEqualTo(LifecycleNotice.Transition.LAUNCHING);
        assertThat(n.time()).isEqualTo(TIME);
        assertThat(n).hasToString("launching " + INSTANCE + " (group web-asg, hook web-launch)");
    }

    @Test
    void aTerminatingNotificationIsANotice() {
        LifecycleNotice n = notice(AwsQueryDouble.lifecycleNotification(TERMINATING, "web-asg", "web-terminate",
                "i-0123abcd", TOKEN, null, "6a0f3f57-3e43-4f0b-b7a0-3a3f3e0c0b5d", TIME));
        assertThat(n.transition()).isEqualTo(LifecycleNotice.Transition.TERMINATING);
        assertThat(n.instanceId()).isEqualTo("i-0123abcd");
        assertThat(n.hookName()).isEqualTo("web-terminate");
        assertThat(n).hasToString("terminating i-0123abcd (group web-asg, hook web-terminate)");
    }

    @Test
    void anEventBridgeLifecycleEventIsReadFromItsDetail() {
        // the shape of EventBridge's "EC2 Instance-terminate Lifecycle Action" event (source aws.autoscaling)
        LifecycleNotice n = notice("""
                {"version":"0","id":"12345678-1234-1234-1234-123456789012",
                 "detail-type":"EC2 Instance-terminate Lifecycle Action","source":"aws.autoscaling",
                 "account":"123456789012","time":"2026-03-04T05:06:07Z","region":"us-east-1",
                 "resources":["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/web-asg"],
                 "detail":{"LifecycleActionToken":"87654321-4321-4321-4321-210987654321",
                           "AutoScalingGroupName":"web-asg","LifecycleHookName":"web-terminate",
                           "EC2InstanceId":"i-1234567890abcdef0",
                           "LifecycleTransition":"autoscaling:EC2_INSTANCE_TERMINATING",
                           "NotificationMetadata":"pool=web","Origin":"AutoScalingGroup","Destination":"EC2"}}
                """);
        assertThat(n.transition()).isEqualTo(LifecycleNotice.Transition.TERMINATING);
        assertThat(n.group()).isEqualTo("web-asg");
        assertThat(n.hookName()).isEqualTo("web-terminate");
        assertThat(n.token()).isEqualTo("87654321-4321-4321-4321-210987654321");
        assertThat(n.instanceId()).isEqualTo("i-1234567890abcdef0");
        assertThat(n.time()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
    }

    @Test
    void anotherAutoScalingEventFromEventBridgeIsMalformedNotActedOn() {
        String reason = malformed("""
                {"detail-type":"EC2 Instance Launch Successful","source":"aws.autoscaling","time":"2026-03-04T05:06:07Z",
                 "detail":{"AutoScalingGroupName":"web-asg","EC2InstanceId":"i-1234567890abcdef0","StatusCode":"InProgress"}}
                """);
        assertThat(reason).isEqualTo("LifecycleTransition is missing (group web-asg)");
    }

    @Test
    void theUserGuidesExampleIsANotice() {
        // the Amazon EC2 Auto Scaling user guide's example: pretty-printed, a token with capitals
        LifecycleNotice n = notice("""
                {
                  "Origin": "EC2",
                  "LifecycleHookName": "my-launch-hook",
                  "Destination": "AutoScalingGroup",
                  "AccountId": "123456789012",
                  "RequestId": "63b49f0c-ae2b-4dbd-9b61-7e6c0b2a1a86",
                  "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING",
                  "AutoScalingGroupName": "my-asg",
                  "Service": "AWS Auto Scaling",
                  "Time": "2021-01-19T00:36:26.533Z",
                  "EC2InstanceId": "i-0123456789abcdef0",
                  "LifecycleActionToken": "71514b9d-6a40-4b26-8523-05e7eEXAMPLE"
                }
                """);
        assertThat(n.group()).isEqualTo("my-asg");
        assertThat(n.token()).isEqualTo("71514b9d-6a40-4b26-8523-05e7eEXAMPLE");
        assertThat(n.instanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(n.time()).isEqualTo(Instant.parse("2021-01-19T00:36:26.533Z"));
    }

    @Test
    void theTestNotificationIsATestOfItsGroup() {
        LifecycleNotice.Read read = LifecycleNotice.read(AwsQueryDouble.testNotification("web-asg",
                "d0b5b0b0-1111-4222-8333-444455556666", TIME));
        assertThat(read).isEqualTo(new LifecycleNotice.Test("web-asg"));
    }

    @Test
    void anSnsEnvelopeIsUnwrapped() throws Exception {
        String body = snsEnvelope(launching());
        assertThat(notice(body)).isEqualTo(notice(launching()));
        assertThat(LifecycleNotice.read(snsEnvelope(AwsQueryDouble.testNotification("web-asg"))))
                .isEqualTo(new LifecycleNotice.Test("web-asg"));
    }

    @Test
    void anSnsEnvelopeWhoseMessageIsNotANotificationIsMalformed() throws Exception {
        assertThat(malformed(snsEnvelope("Auto Scaling: test"))).isEqualTo("SNS envelope whose Message is not JSON");
        assertThat(malformed(snsEnvelope("[1,2]"))).isEqualTo("SNS envelope whose Message is not a JSON object");
        // an envelope inside an envelope is not unwrapped twice
        assertThat(malformed(snsEnvelope(snsEnvelope(launching())))).isEqualTo("no valid AutoScalingGroupName");
    }

    @Test
    void aTimeWithoutMillisecondsIsTakenAndAMissingTimeIsNow() throws Exception {
        assertThat(notice(with("Time", "2026-03-04T05:06:07Z")).time()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
        Instant before = Instant.now();
        assertThat(notice(with("Time", null)).time()).isBetween(before, Instant.now());
    }

    @Test
    void extraFieldsAndMetadataDoNotMatter() throws Exception {
        assertThat(notice(with("NotificationMetadata", "{\"pool\":\"web\",\"x\":\"\\u0001\"}")).token()).isEqualTo(TOKEN);
        assertThat(notice(with("SomethingNew", 42)).token()).isEqualTo(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"AutoScalingGroupName\":", "\u0000"})
    void notJsonIsMalformed(String body) {
        assertThat(malformed(body)).startsWith("not JSON").doesNotContain("\u0000");
    }

    @Test
    void jsonThatIsNoObjectIsMalformed() {
        assertThat(malformed("[]")).isEqualTo("not a JSON object");
        assertThat(malformed("\"a string\"")).isEqualTo("not a JSON object");
        assertThat(malformed("42")).isEqualTo("not a JSON object");
        assertThat(malformed("null")).isEqualTo("not a JSON object");
        // no JSON value at all (an empty body) is no object either
        assertThat(malformed("")).isEqualTo("not a JSON object");
        assertThat(malformed("  \n ")).isEqualTo("not a JSON object");
        assertThat(malformed(null)).isEqualTo("not a JSON object");
    }

    @Test
    void eachMissingFieldIsNamed() throws Exception {
        assertThat(malformed(with("AutoScalingGroupName", null))).isEqualTo("no valid AutoScalingGroupName");
        assertThat(malformed(with("LifecycleTransition", null))).isEqualTo("LifecycleTransition is missing (group web-asg)");
        assertThat(malformed(with("LifecycleHookName", null))).isEqualTo("no valid LifecycleHookName (group web-asg)");
        assertThat(malformed(with("LifecycleActionToken", null))).isEqualTo("no valid LifecycleActionToken (group web-asg)");
        assertThat(malformed(with("EC2InstanceId", null))).isEqualTo("no valid EC2InstanceId (group web-asg)");
    }

    @Test
    void fieldsOfTheWrongJsonTypeAreMissing() throws Exception {
        assertThat(malformed(with("AutoScalingGroupName", 7))).isEqualTo("no valid AutoScalingGroupName");
        assertThat(malformed(with("EC2InstanceId", java.util.List.of(INSTANCE)))).isEqualTo("no valid EC2InstanceId (group web-asg)");
        assertThat(malformed(with("LifecycleActionToken", java.util.Map.of("t", TOKEN))))
                .isEqualTo("no valid LifecycleActionToken (group web-asg)");
    }

    @Test
    void anotherTransitionIsMalformedAndNamed() throws Exception {
        assertThat(malformed(with("LifecycleTransition", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR")))
                .isEqualTo("LifecycleTransition is 'autoscaling:EC2_INSTANCE_LAUNCH_ERROR' (group web-asg)");
        assertThat(malformed(with("LifecycleTransition", "autoscaling:EC2_INSTANCE_LAUNCHING\n[ERROR] forged")))
                .isEqualTo("LifecycleTransition is 'autoscaling:EC2_INSTANCE_LAUNCHING\\x0a[ERROR] forged' (group web-asg)")
                .doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"i-1", "i-0123abc", "i-0598C7D356EBA48D7", "i-0598c7d356eba48d7a", "0598c7d356eba48d7",
            "i-0598c7d356eba48d7 ", "i-0598c7d3;rm -rf /", "i-0598c7d356eba48d\n", "i-012345678901234567", ""})
    void anInstanceIdNotLikeAwssIsMalformed(String id) throws Exception {
        assertThat(malformed(with("EC2InstanceId", id))).isEqualTo("no valid EC2InstanceId (group web-asg)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"i-0123abcd", "i-0598c7d356eba48d7", "i-0123456789abcdef0"})
    void instanceIdsOfEightToSeventeenHexDigitsAreTaken(String id) throws Exception {
        assertThat(notice(with("EC2InstanceId", id)).instanceId()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "c613620e-07e2-4ed2-a9e2-ef8258911ade0", "c613620e 07e2", "c613620e\n",
            "../../etc/passwd", "c613620e_07e2"})
    void aTokenNotLikeAwssIsMalformed(String token) throws Exception {
        assertThat(malformed(with("LifecycleActionToken", token))).isEqualTo("no valid LifecycleActionToken (group web-asg)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "web launch", "web\nlaunch", "web.launch", "weblaunch\u0000"})
    void aHookNameNotLikeAwssIsMalformed(String hook) throws Exception {
        assertThat(malformed(with("LifecycleHookName", hook))).isEqualTo("no valid LifecycleHookName (group web-asg)");
    }

    @Test
    void aHookNameWithSlashesAndUnderscoresIsTaken() throws Exception {
        assertThat(notice(with("LifecycleHookName", "team_a/web-launch")).hookName()).isEqualTo("team_a/web-launch");
    }

    @Test
    void aGroupNameWithAControlCharacterIsMalformedAndNotEchoed() throws Exception {
        assertThat(malformed(with("AutoScalingGroupName", "web-asg\n[ERROR] forged"))).isEqualTo("no valid AutoScalingGroupName");
        assertThat(malformed(with("AutoScalingGroupName", "web\u0007asg"))).isEqualTo("no valid AutoScalingGroupName");
        assertThat(malformed(with("AutoScalingGroupName", "x".repeat(256)))).isEqualTo("no valid AutoScalingGroupName");
        assertThat(notice(with("AutoScalingGroupName", "x".repeat(255))).group()).hasSize(255);
    }

    @Test
    void aGroupNameInAReasonIsMadeSafeToLog() throws Exception {
        // a group AWS allows (spaces, quotes) but a reason for another field names it escaped and capped
        String group = "web asg 'prod' " + "y".repeat(100);
        ObjectNode n = (ObjectNode) JSON.readTree(with("AutoScalingGroupName", group));
        n.put("EC2InstanceId", "nope");
        String reason = malformed(JSON.writeValueAsString(n));
        assertThat(reason).startsWith("no valid EC2InstanceId (group web asg 'prod' yyy").endsWith("...)");
        assertThat(reason.length()).isLessThan(140);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-03-04", "2026-03-04 05:06:07", "1772600767", "2026-13-04T05:06:07Z"})
    void aTimeThatIsNoInstantIsMalformed(String time) throws Exception {
        assertThat(malformed(with("Time", time))).isEqualTo("Time is not an ISO-8601 instant (group web-asg)");
    }

    @Test
    void notJsonReasonsCarryNoControlCharacters() {
        String reason = malformed("{\"AutoScalingGroupName\": \"a\u0001b");
        assertThat(reason).startsWith("not JSON: ");
        assertThat(reason.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).isTrue();
    }

    /** The SNS → SQS delivery of a notification without raw message delivery (SNS's own JSON layout). */
    static String snsEnvelope(String message) throws Exception {
        return """
                {
                  "Type" : "Notification",
                  "MessageId" : "0c9e6b1b-6d21-5f4e-9a1a-2c3d4e5f6a7b",
                  "TopicArn" : "arn:aws:sns:us-east-1:123456789012:ep2-lifecycle",
                  "Subject" : "Auto Scaling:  Lifecycle action 'LAUNCHING' for instance i-0598c7d356eba48d7 in progress.",
                  "Message" : %s,
                  "Timestamp" : "2026-03-04T05:06:08.001Z",
                  "SignatureVersion" : "1",
                  "Signature" : "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
                  "SigningCertURL" : "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
                  "UnsubscribeURL" : "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:ep2-lifecycle:5f6a7b8c-0000-4000-8000-000000000000"
                }
                """.formatted(JSON.writeValueAsString(message));
    }
}
