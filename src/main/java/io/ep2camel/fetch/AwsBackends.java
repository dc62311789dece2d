package io.ep2camel.fetch;

import io.ep2camel.model.HostNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The aws route's second step: the group members' instances as backends {@code {host, port}} —
 * host the private IPv4 (use_public_ip: the public one), port backend_port. DescribeInstances
 * goes through the SDK's paginator, every page read; no call at all for an empty group. An
 * instance EC2 does not report as running, or without the chosen address, is skipped with a log
 * line; any SDK error (throttling, an id EC2 does not know) propagates: the round fails.
 * <p>
 * The ids go in batches of {@link #BATCH} (InstanceIds; EC2 refuses MaxResults next to them, so
 * a batch pages only when EC2 decides to). (camel-aws2-ec2 sends one request per call and does
 * not follow NextToken, hence the SDK client here.)
 */
public final class AwsBackends {
    private static final Logger LOG = LoggerFactory.getLogger(AwsBackends.class);
    static final int BATCH = 100;
    /** More pages than this for one batch means the paging is broken, not a bigger group. */
    static final int MAX_PAGES = 1000;

    private final Ec2Client ec2;

    public AwsBackends(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    public List<Map<String, Object>> backends(List<String> instanceIds, boolean usePublicIp, int port) {
        return map(instances(instanceIds), usePublicIp, port);
    }

    /** One instance as EC2 describes it now (lifecycle: a held action's instance); empty if EC2 lists none. */
    public java.util.Optional<Instance> describe(String instanceId) {
        return instances(List.of(instanceId)).stream().findFirst();
    }

    /** Every instance of the ids, once each, in the order EC2 gave them. */
    List<Instance> instances(List<String> instanceIds) {
        Map<String, Instance> found = new LinkedHashMap<>();
        for (int i = 0; i < instanceIds.size(); i += BATCH) {
            List<String> batch = instanceIds.subList(i, Math.min(i + BATCH, instanceIds.size()));
            readAllPages(DescribeInstancesRequest.builder().instanceIds(batch).build(), found);
        }
        return List.copyOf(found.values());
    }

    private void readAllPages(DescribeInstancesRequest request, Map<String, Instance> found) {
        // the paginator stops at an empty NextToken; a repeated one would page forever
        Set<String> tokens = new HashSet<>();
        int pages = 0;
        for (DescribeInstancesResponse page : ec2.describeInstancesPaginator(request)) {
            if (++pages > MAX_PAGES) {
                throw new IllegalStateException("DescribeInstances still paging after " + MAX_PAGES + " pages");
            }
            for (Reservation r : page.reservations()) {
                for (Instance i : r.instances()) {
                    found.put(i.instanceId(), i);
                }
            }
            String token = page.nextToken();
            if (token != null && !token.isEmpty() && !tokens.add(token)) {
                throw new IllegalStateException("DescribeInstances repeated NextToken " + token);
            }
        }
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
