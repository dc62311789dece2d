package io.ep2camel.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ep2camel.model.HostNames;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * One lifecycle notification as Auto Scaling puts it into the hook's SQS queue (Amazon EC2 Auto
 * Scaling user guide, "lifecycle hook notifications"): a JSON object with AutoScalingGroupName,
 * LifecycleHookName, LifecycleActionToken, LifecycleTransition, EC2InstanceId, Time ... When SNS
 * fans one group's notifications out to several queues (one per HAProxy node) without raw message
 * delivery, the same JSON arrives as the string "Message" of an SNS envelope: it is unwrapped. An
 * EventBridge rule that sends Auto Scaling's lifecycle events to the queue delivers the same fields
 * as the event's "detail" (its "time" for Time): they are read from there.
 * <p>
 * Everything is checked before anything acts on it: an instance id, a token, a hook name that
 * does not look like AWS's is a malformed message, never an argument of an AWS call or a log line
 * as it came.
 */
public record LifecycleNotice(String group, String hookName, String token, String instanceId, Transition transition,
                              Instant time) {
    public static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
    public static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
    public static final String TEST_NOTIFICATION = "autoscaling:TEST_NOTIFICATION";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final Pattern TOKEN = Pattern.compile("[0-9A-Za-z-]{1,36}");
    /** Auto Scaling's own limits: 1-255 characters for group names, [A-Za-z0-9\-_\/]+ for hook names. */
    private static final Pattern GROUP = Pattern.compile("[^\\p{Cntrl}]{1,255}");
    private static final Pattern HOOK = Pattern.compile("[A-Za-z0-9_/-]{1,255}");

    public enum Transition {
        LAUNCHING, TERMINATING
    }

    /** What a message turned out to be. */
    public sealed interface Read permits Notice, Test, Malformed {
    }

    /** A lifecycle action to act on. */
    public record Notice(LifecycleNotice notice) implements Read {
    }

    /** The test notification Auto Scaling sends when a hook is created: nothing to do. */
    public record Test(String group) implements Read {
    }

    /** Not a lifecycle notification ep2-camel can act on; {@code reason} says why, safe to log. */
    public record Malformed(String reason) implements Read {
    }

    /** Reads one SQS message body. */
    public static Read read(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            return new Malformed("not JSON: " + HostNames.sanitize(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            return new Malformed("not a JSON object");
        }
        // SNS fan-out without raw delivery: {"Type":"Notification","Message":"<the notification's JSON>",...}
        if ("Notification".equals(text(root, "Type")) && root.path("Message").isTextual()) {
            try {
                root = JSON.readTree(root.get("Message").asText());
            } catch (JsonProcessingException e) {
                return new Malformed("SNS envelope whose Message is not JSON");
            }
            if (root == null || !root.isObject()) {
                return new Malformed("SNS envelope whose Message is not a JSON object");
            }
        }
        // an EventBridge rule with the queue as its target: {"source":"aws.autoscaling","detail-type":
        // "EC2 Instance-launch Lifecycle Action","time":...,"detail":{the notification's fields, no Time}}
        String eventTime = null;
        if ("aws.autoscaling".equals(text(root, "source")) && root.path("detail").isObject()) {
            eventTime = text(root, "time");
            root = root.get("detail");
        }
        String group = text(root, "AutoScalingGroupName");
        if (group == null || !GROUP.matcher(group).matches()) {
            return new Malformed("no valid AutoScalingGroupName");
        }
        if (TEST_NOTIFICATION.equals(text(root, "Event"))) {
            return new Test(group);
        }
        String transition = text(root, "LifecycleTransition");
        Transition t;
        if (LAUNCHING.equals(transition)) {
            t = Transition.LAUNCHING;
        } else if (TERMINATING.equals(transition)) {
            t = Transition.TERMINATING;
        } else {
            return new Malformed("LifecycleTransition is " + (transition == null ? "missing"
                    : "'" + HostNames.sanitize(transition) + "'") + " (group " + HostNames.sanitize(group) + ")");
        }
        String hook = text(root, "LifecycleHookName");
        String token = text(root, "LifecycleActionToken");
        String instance = text(root, "EC2InstanceId");
        if (hook == null || !HOOK.matcher(hook).matches()) {
            return new Malformed("no valid LifecycleHookName (group " + HostNames.sanitize(group) + ")");
        }
        if (token == null || !TOKEN.matcher(token).matches()) {
            return new Malformed("no valid LifecycleActionToken (group " + HostNames.sanitize(group) + ")");
        }
        if (instance == null || !INSTANCE_ID.matcher(instance).matches()) {
            return new Malformed("no valid EC2InstanceId (group " + HostNames.sanitize(group) + ")");
        }
        Instant time;
        try {
            String stated = text(root, "Time");
            String at = stated != null ? stated : eventTime;
            time = at == null ? Instant.now() : Instant.parse(at);
        } catch (DateTimeParseException e) {
            return new Malformed("Time is not an ISO-8601 instant (group " + HostNames.sanitize(group) + ")");
        }
        return new Notice(new LifecycleNotice(group, hook, token, instance, t, time));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    @Override
    public String toString() {
        return transition.name().toLowerCase(java.util.Locale.ROOT) + " " + instanceId + " (group " + group
                + ", hook " + hookName + ")";
    }
}
