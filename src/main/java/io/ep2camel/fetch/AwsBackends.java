package io.ep2camel.fetch;

import io.ep2camel.model.HostNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The aws route's bean: starts a round's DescribeInstances paging for the group's ids, takes
 * each answer back, and maps the instances to backends {@code {host, port}} — host the private
 * IPv4 (use_public_ip: the public one), port backend_port. An instance EC2 does not report as
 * running, or without the chosen address, is skipped with a log line.
 */
public final class AwsBackends {
    private static final Logger LOG = LoggerFactory.getLogger(AwsBackends.class);

    /** A new paging state for this round's instance ids. */
    public AwsInstancePages pages(List<String> instanceIds) {
        return new AwsInstancePages(instanceIds);
    }

    /** Hands one aws2-ec2 answer (the exchange body) back to the paging state. */
    public void collect(AwsInstancePages pages, Object answer) {
        pages.add(answer);
    }

    public List<Map<String, Object>> backends(AwsInstancePages pages, boolean usePublicIp, int port) {
        return map(pages.instances(), usePublicIp, port);
    }

    static List<Map<String, Object>> map(List<Instance> instances, boolean usePublicIp, int port) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Instance i : instances) {
            String id = HostNames.sanitize(String.valueOf(i.instanceId()));
            if (i.state() != null && i.state().name() != InstanceStateName.RUNNING) {
                LOG.warn("aws: instance {} skipped: EC2 reports it {}", id, HostNames.sanitize(i.state().nameAsString()));
                continue;
            }
            String ip = usePublicIp ? i.publicIpAddress() : i.privateIpAddress();
            if (ip == null || ip.isBlank()) {
                LOG.warn("aws: instance {} skipped: it has no {} IPv4 address", id, usePublicIp ? "public" : "private");
                continue;
            }
            out.add(Map.of("host", ip, "port", port));
        }
        return out;
    }
}
