package io.ep2camel.fetch;

import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One round's DescribeInstances paging, driven by the aws route's loop: camel-aws2-ec2 sends one
 * request per call and does not follow NextToken, so this hands out the next request and takes
 * the answer back until every id batch is read to its last page.
 * <p>
 * The ids go in batches of {@link #BATCH} (InstanceIds; EC2 refuses MaxResults next to them, so
 * a batch pages only when EC2 decides to). The type of both sides is checked: aws2-ec2 with
 * pojoRequest=true silently does nothing when the body is not a DescribeInstancesRequest.
 */
public final class AwsInstancePages {
    static final int BATCH = 100;
    static final int MAX_PAGES = 1000;

    private final List<List<String>> batches = new ArrayList<>();
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Set<String> tokensSeen = new HashSet<>();
    private int batch;
    private String nextToken;
    private boolean awaitingAnswer;
    private int pages;

    public AwsInstancePages(List<String> instanceIds) {
        for (int i = 0; i < instanceIds.size(); i += BATCH) {
            batches.add(List.copyOf(instanceIds.subList(i, Math.min(i + BATCH, instanceIds.size()))));
        }
    }

    /** Whether another DescribeInstances call is needed (none at all for an empty group). */
    public boolean hasNext() {
        return batch < batches.size();
    }

    public DescribeInstancesRequest nextRequest() {
        if (!hasNext()) {
            throw new IllegalStateException("no DescribeInstances page left to read");
        }
        if (awaitingAnswer) {
            throw new IllegalStateException("the previous DescribeInstances answer was not handed back");
        }
        if (++pages > MAX_PAGES) {
            throw new IllegalStateException("DescribeInstances still paging after " + MAX_PAGES + " pages");
        }
        awaitingAnswer = true;
        return DescribeInstancesRequest.builder().instanceIds(batches.get(batch)).nextToken(nextToken).build();
    }

    /** Takes one answer (the body aws2-ec2 left); moves to the next page or the next batch. */
    public void add(Object answer) {
        if (!(answer instanceof DescribeInstancesResponse page)) {
            throw new IllegalStateException("aws2-ec2 describeInstances answered "
                    + (answer == null ? "nothing" : "a " + answer.getClass().getName())
                    + ", not a DescribeInstancesResponse (was the request body a DescribeInstancesRequest?)");
        }
        if (!awaitingAnswer) {
            throw new IllegalStateException("a DescribeInstances answer nobody asked for");
        }
        awaitingAnswer = false;
        for (Reservation r : page.reservations()) {
            for (Instance i : r.instances()) {
                instances.put(i.instanceId(), i);
            }
        }
        String token = page.nextToken();
        if (token == null || token.isEmpty()) {
            nextToken = null;
            batch++;
        } else if (!tokensSeen.add(token)) {
            throw new IllegalStateException("DescribeInstances repeated NextToken " + token);
        } else {
            nextToken = token;
        }
    }

    /** Every instance read so far, once each, in the order EC2 gave them. */
    public List<Instance> instances() {
        if (awaitingAnswer || hasNext()) {
            throw new IllegalStateException("DescribeInstances paging not finished");
        }
        return List.copyOf(instances.values());
    }

    /** Pages requested so far (for tests and log lines). */
    public int pages() {
        return pages;
    }
}
