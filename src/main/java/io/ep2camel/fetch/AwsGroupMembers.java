package io.ep2camel.fetch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is in the Auto Scaling group and should take traffic: DescribeAutoScalingGroups for
 * asg_name (every page, NextToken), then only instances that are {@code InService} and
 * {@code Healthy} — Pending, Terminating, Standby, Detaching, Unhealthy ... are left out.
 * A group AWS does not know is an error (a typo or a deleted group must not empty the backend);
 * SDK errors, throttling included, propagate: the round fails, backends are kept.
 */
public final class AwsGroupMembers {
    private static final Logger LOG = LoggerFactory.getLogger(AwsGroupMembers.class);
    static final String HEALTHY = "Healthy";
    /** More pages than this for one group name means the paging is broken, not a bigger group. */
    static final int MAX_PAGES = 100;

    private final AutoScalingClient client;
    private final String groupName;

    public AwsGroupMembers(AutoScalingClient client, String groupName) {
        this.client = client;
        this.groupName = groupName;
    }

    /** Ids of the group's instances that are InService and Healthy, in the group's order. */
    public List<String> inServiceIds() {
        return servingIds(describe());
    }

    /** The group as AWS describes it now. */
    AutoScalingGroup describe() {
        Optional<AutoScalingGroup> group = Optional.empty();
        String token = null;
        Set<String> seenTokens = new HashSet<>();
        int pages = 0;
        do {
            if (++pages > MAX_PAGES) {
                throw new IllegalStateException("DescribeAutoScalingGroups for '" + groupName
                        + "' still paging after " + MAX_PAGES + " pages");
            }
            DescribeAutoScalingGroupsResponse page = client.describeAutoScalingGroups(
                    DescribeAutoScalingGroupsRequest.builder().autoScalingGroupNames(groupName).nextToken(token).build());
            if (group.isEmpty()) {
                group = page.autoScalingGroups().stream().filter(g -> groupName.equals(g.autoScalingGroupName())).findFirst();
            }
            token = page.nextToken();
            if (token != null && !seenTokens.add(token)) {
                throw new IllegalStateException("DescribeAutoScalingGroups for '" + groupName
                        + "' repeated NextToken " + token);
            }
        } while (token != null && !token.isEmpty());
        return group.orElseThrow(() -> new IllegalStateException("Auto Scaling group '" + groupName
                + "' not found (asg_name, region_name); backends kept as they are"));
    }

    /** The InService + Healthy members; the others are named in a debug line. */
    static List<String> servingIds(AutoScalingGroup group) {
        List<String> ids = new ArrayList<>();
        for (Instance i : group.instances()) {
            if (i.lifecycleState() == LifecycleState.IN_SERVICE && HEALTHY.equals(i.healthStatus())) {
                ids.add(i.instanceId());
            } else {
                LOG.debug("Auto Scaling group '{}': {} left out ({}, {})", group.autoScalingGroupName(),
                        i.instanceId(), i.lifecycleStateAsString(), i.healthStatus());
            }
        }
        return ids;
    }

    @Override
    public String toString() {
        return "AwsGroupMembers[" + groupName + "]";
    }
}
