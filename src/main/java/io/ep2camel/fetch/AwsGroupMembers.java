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
import java.util.Map;
import java.util.Set;

/**
 * Who is in the Auto Scaling groups of asg_name (one, or EP2's comma separated list, whose
 * instances all go into the one backend) and should take traffic: DescribeAutoScalingGroups with
 * every name at once (up to {@link #NAMES_PER_CALL}; more go in further calls), every page
 * (the SDK's paginator), then only instances that are {@code InService} and {@code Healthy} — Pending,
 * Terminating, Standby, Detaching, Unhealthy ... are left out (EP2 took every member).
 * A group AWS does not know is an error naming it (a typo or a deleted group must not empty the
 * backend); SDK errors, throttling included, propagate: the round fails, backends are kept.
 */
public final class AwsGroupMembers {
    private static final Logger LOG = LoggerFactory.getLogger(AwsGroupMembers.class);
    static final String HEALTHY = "Healthy";
    /** AWS takes up to 50 names by default, up to MaxRecords (at most 100) when that is raised. */
    static final int NAMES_PER_CALL = 100;
    /** More pages than this for one call means the paging is broken, not bigger groups. */
    static final int MAX_PAGES = 100;

    private final AutoScalingClient client;
    private final List<String> groupNames;
    private final boolean servePending;

    /** @param groupNames asg_name: one group, or several comma separated */
    public AwsGroupMembers(AutoScalingClient client, String groupNames) {
        this(client, groupNames, false);
    }

    /**
     * @param servePending lifecycle_queue_url is set: instances held by a launching lifecycle hook
     *                     ({@code Pending:Wait}, {@code Pending:Proceed}) are served too — HAProxy's
     *                     health check gates them, and their hook is completed once it passed
     */
    public AwsGroupMembers(AutoScalingClient client, String groupNames, boolean servePending) {
        this.client = client;
        this.servePending = servePending;
        this.groupNames = java.util.Arrays.stream(groupNames.split(",")).map(String::trim)
                .filter(n -> !n.isEmpty()).distinct().toList();
        if (this.groupNames.isEmpty()) {
            throw new IllegalArgumentException("asg_name names no Auto Scaling group");
        }
    }

    /** Ids of the groups' instances that are InService and Healthy: group by group in asg_name's order, each once. */
    public List<String> inServiceIds() {
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        describe().forEach(g -> ids.addAll(servingIds(g, servePending)));
        return List.copyOf(ids);
    }

    /** The groups as AWS describes them now, in asg_name's order. */
    List<AutoScalingGroup> describe() {
        Map<String, AutoScalingGroup> found = new java.util.HashMap<>();
        for (int i = 0; i < groupNames.size(); i += NAMES_PER_CALL) {
            describe(groupNames.subList(i, Math.min(i + NAMES_PER_CALL, groupNames.size())), found);
        }
        List<String> missing = groupNames.stream().filter(n -> !found.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Auto Scaling group" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing.stream().map(n -> "'" + n + "'").toList())
                    + " not found (asg_name, region_name); backends kept as they are");
        }
        return groupNames.stream().map(found::get).toList();
    }

    private void describe(List<String> names, Map<String, AutoScalingGroup> found) {
        // the SDK's paginator carries MaxRecords to every page and stops at an empty NextToken;
        // a repeated one would page forever
        Set<String> seenTokens = new HashSet<>();
        int pages = 0;
        for (DescribeAutoScalingGroupsResponse page : client.describeAutoScalingGroupsPaginator(
                DescribeAutoScalingGroupsRequest.builder().autoScalingGroupNames(names).maxRecords(NAMES_PER_CALL).build())) {
            if (++pages > MAX_PAGES) {
                throw new IllegalStateException("DescribeAutoScalingGroups for " + names
                        + " still paging after " + MAX_PAGES + " pages");
            }
            for (AutoScalingGroup g : page.autoScalingGroups()) {
                if (names.contains(g.autoScalingGroupName())) {
                    found.putIfAbsent(g.autoScalingGroupName(), g);
                }
            }
            String token = page.nextToken();
            if (token != null && !token.isEmpty() && !seenTokens.add(token)) {
                throw new IllegalStateException("DescribeAutoScalingGroups for " + names + " repeated NextToken " + token);
            }
        }
    }

    /** The InService + Healthy members; the others are named in a debug line. */
    static List<String> servingIds(AutoScalingGroup group) {
        return servingIds(group, false);
    }

    /** The same, with the Healthy members a launching hook holds when {@code servePending}. */
    static List<String> servingIds(AutoScalingGroup group, boolean servePending) {
        List<String> ids = new ArrayList<>();
        for (Instance i : group.instances()) {
            boolean serving = i.lifecycleState() == LifecycleState.IN_SERVICE || servePending
                    && (i.lifecycleState() == LifecycleState.PENDING_WAIT || i.lifecycleState() == LifecycleState.PENDING_PROCEED);
            if (serving && HEALTHY.equals(i.healthStatus())) {
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
        return "AwsGroupMembers" + groupNames;
    }
}
