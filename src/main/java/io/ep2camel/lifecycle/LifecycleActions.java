package io.ep2camel.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Auto Scaling calls of a lifecycle action: CompleteLifecycleAction when it is over, and
 * RecordLifecycleActionHeartbeat while ep2-camel waits longer than the hook's HeartbeatTimeout
 * would allow (sent when half of it has passed since the notification or the last heartbeat;
 * the timeout read once per hook with DescribeLifecycleHooks).
 * <p>
 * AWS answers ValidationError "No active Lifecycle Action found" for an action completed already
 * (by another HAProxy node's controller, or by this one before a restart) or timed out: it is
 * over, and taken as such; ep2-camel never completes an action twice.
 */
public final class LifecycleActions {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleActions.class);
    /** Auto Scaling's default HeartbeatTimeout, used while the hook's own cannot be read. */
    static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(3600);

    private final AutoScalingClient client;
    private final boolean completes;
    private final Clock clock;
    private final Map<String, Duration> heartbeatTimeouts = new ConcurrentHashMap<>();

    public LifecycleActions(AutoScalingClient client) {
        this(client, true);
    }

    /** @param completes lifecycle_complete: False leaves completions and heartbeats to another node's controller */
    public LifecycleActions(AutoScalingClient client, boolean completes) {
        this(client, completes, Clock.systemUTC());
    }

    LifecycleActions(AutoScalingClient client, boolean completes, Clock clock) {
        this.client = client;
        this.completes = completes;
        this.clock = clock;
    }

    /** CompleteLifecycleAction with the step's result; returns the step, its reason saying how AWS took it. */
    public HookStep complete(HookStep step) {
        LifecycleNotice n = step.hook().notice();
        if (!completes) {
            return new HookStep(step.hook(), step.kind(), step.why() + "; done here, CompleteLifecycleAction left to "
                    + "the completing node (lifecycle_complete = False)");
        }
        try {
            client.completeLifecycleAction(r -> r.autoScalingGroupName(n.group()).lifecycleHookName(n.hookName())
                    .lifecycleActionToken(n.token()).lifecycleActionResult(step.result()));
            return step;
        } catch (AutoScalingException e) {
            if (noActiveAction(e)) {
                return new HookStep(step.hook(), step.kind(), step.why() + "; Auto Scaling had it completed already ("
                        + e.awsErrorDetails().errorMessage() + ")");
            }
            throw e;
        }
    }

    /** Whether the action has waited long enough since its notification or last heartbeat to need one. */
    public boolean heartbeatDue(HookStep step) {
        if (!completes) {
            return false;
        }
        Duration timeout = heartbeatTimeout(step.hook().notice());
        return !clock.instant().isBefore(step.hook().lastHeartbeat().plus(timeout.dividedBy(2)));
    }

    /** RecordLifecycleActionHeartbeat; the step again, or LOST when AWS has no such action any more. */
    public HookStep heartbeat(HookStep step) {
        LifecycleNotice n = step.hook().notice();
        Instant now = clock.instant();
        try {
            client.recordLifecycleActionHeartbeat(r -> r.autoScalingGroupName(n.group()).lifecycleHookName(n.hookName())
                    .lifecycleActionToken(n.token()));
            step.hook().heartbeatSent(now);
            LOG.info("lifecycle: {}: heartbeat sent, still waiting ({})", n, step.why());
            return step;
        } catch (AutoScalingException e) {
            if (noActiveAction(e)) {
                return new HookStep(step.hook(), HookStep.Kind.LOST, "Auto Scaling has no such action any more ("
                        + e.awsErrorDetails().errorMessage() + "): completed elsewhere or timed out");
            }
            throw e;
        }
    }

    private Duration heartbeatTimeout(LifecycleNotice n) {
        String key = n.group() + "\n" + n.hookName();
        Duration known = heartbeatTimeouts.get(key);
        if (known != null) {
            return known;
        }
        try {
            Optional<Integer> seconds = client.describeLifecycleHooks(r -> r.autoScalingGroupName(n.group())
                            .lifecycleHookNames(n.hookName())).lifecycleHooks().stream()
                    .filter(h -> n.hookName().equals(h.lifecycleHookName())).map(LifecycleHook::heartbeatTimeout)
                    .filter(s -> s != null && s > 0).findFirst();
            Duration timeout = seconds.map(Duration::ofSeconds).orElse(DEFAULT_HEARTBEAT_TIMEOUT);
            heartbeatTimeouts.put(key, timeout);
            return timeout;
        } catch (RuntimeException e) {
            LOG.warn("lifecycle: DescribeLifecycleHooks for hook {} of group {} failed ({}); heartbeats as for "
                    + "Auto Scaling's default timeout until it answers", n.hookName(), n.group(), e.getMessage());
            return DEFAULT_HEARTBEAT_TIMEOUT;
        }
    }

    private static boolean noActiveAction(AutoScalingException e) {
        return e.awsErrorDetails() != null && "ValidationError".equals(e.awsErrorDetails().errorCode())
                && String.valueOf(e.awsErrorDetails().errorMessage()).contains("No active Lifecycle Action");
    }
}
