package io.ep2camel.lifecycle;

import io.ep2camel.fetch.AwsBackends;
import io.ep2camel.model.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Finds the server address of each held action's instance the way the aws orchestrator writes
 * it (private or public IPv4, backend_port): one DescribeInstances for every action that has none
 * yet. An instance EC2 no longer reports running has no server to wait for; an EC2 error is
 * logged and asked again {@link #RETRY} later, not every progress tick.
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
                List<Map<String, Object>> found = ec2.backends(List.of(h.notice().instanceId()), usePublicIp, port);
                if (found.isEmpty()) {
                    h.gone();
                    LOG.info("lifecycle: {}: EC2 does not report the instance running (or it has no {} IPv4)", h,
                            usePublicIp ? "public" : "private");
                } else {
                    Map<String, Object> b = found.get(0);
                    h.located(new Backend(String.valueOf(b.get("host")), port).address());
                }
            } catch (RuntimeException e) {
                h.lookupFailed(now.plus(RETRY));
                LOG.warn("lifecycle: {}: DescribeInstances failed, asked again in {} s: {}", h, RETRY.toSeconds(),
                        e.getMessage());
            }
        }
    }
}
