package io.ep2camel.fetch;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The paging state the aws route's loop drives: batches of ids, NextToken, and the type traps. */
class AwsInstancePagesTest {
    private static DescribeInstancesResponse page(String nextToken, String... ids) {
        List<Instance> list = new ArrayList<>();
        for (String id : ids) {
            list.add(Instance.builder().instanceId(id).build());
        }
        return DescribeInstancesResponse.builder().nextToken(nextToken)
                .reservations(Reservation.builder().instances(list).build()).build();
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::instanceId).toList();
    }

    @Test
    void anEmptyGroupNeedsNoCall() {
        AwsInstancePages p = new AwsInstancePages(List.of());
        assertThat(p.hasNext()).isFalse();
        assertThat(p.instances()).isEmpty();
        assertThatThrownBy(p::nextRequest).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void followsNextTokenUntilTheLastPage() {
        AwsInstancePages p = new AwsInstancePages(List.of("i-1", "i-2", "i-3"));
        DescribeInstancesRequest first = p.nextRequest();
        assertThat(first.instanceIds()).containsExactly("i-1", "i-2", "i-3");
        assertThat(first.nextToken()).isNull();
        assertThat(first.maxResults()).as("EC2 refuses MaxResults next to instance ids").isNull();
        p.add(page("t1", "i-1"));
        assertThat(p.hasNext()).isTrue();
        DescribeInstancesRequest second = p.nextRequest();
        assertThat(second.nextToken()).isEqualTo("t1");
        assertThat(second.instanceIds()).containsExactly("i-1", "i-2", "i-3");
        p.add(page("", "i-2", "i-3"));
        assertThat(p.hasNext()).isFalse();
        assertThat(ids(p.instances())).containsExactly("i-1", "i-2", "i-3");
        assertThat(p.pages()).isEqualTo(2);
    }

    @Test
    void manyIdsGoInBatches() {
        List<String> all = IntStream.rangeClosed(1, AwsInstancePages.BATCH * 2 + 1).mapToObj(i -> "i-" + i).toList();
        AwsInstancePages p = new AwsInstancePages(all);
        List<Integer> sizes = new ArrayList<>();
        while (p.hasNext()) {
            DescribeInstancesRequest r = p.nextRequest();
            sizes.add(r.instanceIds().size());
            p.add(page(null, r.instanceIds().toArray(String[]::new)));
        }
        assertThat(sizes).containsExactly(AwsInstancePages.BATCH, AwsInstancePages.BATCH, 1);
        assertThat(ids(p.instances())).isEqualTo(all);
    }

    @Test
    void anInstanceOnTwoPagesCountsOnce() {
        AwsInstancePages p = new AwsInstancePages(List.of("i-1", "i-2"));
        p.nextRequest();
        p.add(page("t1", "i-1"));
        p.nextRequest();
        p.add(page(null, "i-1", "i-2"));
        assertThat(ids(p.instances())).containsExactly("i-1", "i-2");
    }

    @Test
    void anAnswerThatIsNotADescribeInstancesResponseIsAnError() {
        AwsInstancePages p = new AwsInstancePages(List.of("i-1"));
        p.nextRequest();
        // what aws2-ec2 leaves behind when pojoRequest met a body of the wrong type: the body itself
        assertThatThrownBy(() -> p.add("i-1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a DescribeInstancesResponse");
    }

    @Test
    void aRepeatedTokenIsAnErrorNotAnEndlessLoop() {
        AwsInstancePages p = new AwsInstancePages(List.of("i-1"));
        p.nextRequest();
        p.add(page("same", "i-1"));
        p.nextRequest();
        assertThatThrownBy(() -> p.add(page("same", "i-1"))).hasMessageContaining("repeated NextToken");
    }

    @Test
    void unfinishedPagingHasNoInstances() {
        AwsInstancePages p = new AwsInstancePages(List.of("i-1"));
        p.nextRequest();
        assertThatThrownBy(p::instances).hasMessageContaining("not finished");
        assertThatThrownBy(p::nextRequest).hasMessageContaining("not handed back");
    }
}
