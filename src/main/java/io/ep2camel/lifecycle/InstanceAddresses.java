package io.ep2camel.lifecycle;

import io.ep2camel.fetch.AwsBackends;
import io.ep2camel.model.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Finds the server address of each held action's instance the way the aws orchestrator writes
 * it (private or public IPv4, backend_port): one DescribeInstances per action that has none yet.
 * An instance still {@code pending} in EC2 is asked again {@link #RETRY} later; one past
 * {@code running} (or without the address) has no server to wait for; an EC2 error is logged and
 * asked again {@link #RETRY} later, not every progress tick.
 */
public final class InstanceAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceAddresses.class);
    static final Duration RETRY = Duration.ofSeconds(2);

    private final LifecycleHooks hooks;
    private final AwsBackends ec2;
    private final boolean usePublicIp;
    private final int port;
    private final Clock clock;

    public InstanceAddresses(LifecycleHooks hooks, AwsBackends ec2, boolean usePublicIp, int port) {
        this(hooks, ec2, usePublicIp, port, Clock.systemUTC());
    }

    InstanceAddresses(LifecycleHooks hooks, AwsBackends ec2, boolean usePublicIp, int port, Clock clock) {
        this.hooks = hooks;
        this.ec2 = ec2;
        this.usePublicIp = usePublicIp;
        this.port = port;
        this.clock = clock;
    }

    public void locate() {
        Instant now = clock.instant();
        List<PendingHook> unknown = hooks.pending().stream()
                .filter(h -> h.address().isEmpty() && !h.instanceGone() && !now.isBefore(h.nextLookup())).toList();
        if (unknown.isEmpty()) {
            return;
        }
        for (PendingHook h : unknown) {
            try {
                // one id per call: EC2 refuses a whole batch for one id it does not know
                Optional<Instance> found = ec2.describe(h.notice().instanceId());
                InstanceStateName state = found.map(i -> i.state() == null ? InstanceStateName.RUNNING : i.state().name())
                        .orElse(InstanceStateName.TERMINATED);
                String ip = found.map(i -> usePublicIp ? i.publicIpAddress() : i.privateIpAddress()).orElse(null);
                if (state == InstanceStateName.RUNNING && ip != null && !ip.isBlank()) {
                    h.located(new Backend(ip, port).address());
                } else if (state == InstanceStateName.PENDING) {
                    // still booting in EC2's eyes: its address comes with "running"
                    h.lookupFailed(now.plus(RETRY));
                } else {
                    h.gone();
                    LOG.info("lifecycle: {}: EC2 reports the instance {}", h, state == InstanceStateName.RUNNING
                            ? "running without a " + (usePublicIp ? "public" : "private") + " IPv4" : state.toString());
                }
            } catch (RuntimeException e) {
                h.lookupFailed(now.plus(RETRY));
                LOG.warn("lifecycle: {}: DescribeInstances failed, asked again in {} s: {}", h, RETRY.toSeconds(),
                        e.getMessage());
            }
        }
    }
}
