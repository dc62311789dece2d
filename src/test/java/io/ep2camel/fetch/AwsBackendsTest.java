package io.ep2camel.fetch;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsBackendsTest {
    private static Instance instance(String id, InstanceStateName state, String privateIp, String publicIp) {
        return Instance.builder().instanceId(id).state(s -> s.name(state)).privateIpAddress(privateIp)
                .publicIpAddress(publicIp).build();
    }

    private final List<Instance> instances = List.of(
            instance("i-1", InstanceStateName.RUNNING, "10.0.0.1", "203.0.113.1"),
            instance("i-2", InstanceStateName.RUNNING, "10.0.0.2", null),
            instance("i-3", InstanceStateName.STOPPED, "10.0.0.3", "203.0.113.3"),
            instance("i-4", InstanceStateName.SHUTTING_DOWN, "10.0.0.4", "203.0.113.4"),
            instance("i-5", InstanceStateName.RUNNING, null, "203.0.113.5"));

    @Test
    void privateAddressesByDefaultWithBackendPort() {
        assertThat(AwsBackends.map(instances, false, 8080)).containsExactly(
                Map.of("host", "10.0.0.1", "port", 8080),
                Map.of("host", "10.0.0.2", "port", 8080));
    }

    @Test
    void publicAddressesWhenAskedInstancesWithoutOneAreSkipped() {
        assertThat(AwsBackends.map(instances, true, 80)).containsExactly(
                Map.of("host", "203.0.113.1", "port", 80),
                Map.of("host", "203.0.113.5", "port", 80));
    }

    @Test
    void noInstancesNoBackends() {
        assertThat(AwsBackends.map(List.of(), false, 80)).isEmpty();
    }

    @Test
    void anInstanceWithoutStateIsTakenAsEc2GaveIt() {
        Instance noState = Instance.builder().instanceId("i-9").privateIpAddress("10.0.0.9").build();
        assertThat(AwsBackends.map(List.of(noState), false, 80)).containsExactly(Map.of("host", "10.0.0.9", "port", 80));
    }

    /**
     * EC2 answering from a script of pages, for what the Query double does not do (an instance on
     * two pages, a repeated token). The SDK's own paginator drives it, as against real EC2.
     */
    private static final class ScriptedEc2 implements Ec2Client {
        final List<DescribeInstancesRequest> requests = new ArrayList<>();
        private final Iterator<DescribeInstancesResponse> pages;

        ScriptedEc2(DescribeInstancesResponse... pages) {
            this.pages = List.of(pages).iterator();
        }

        @Override
        public DescribeInstancesResponse describeInstances(DescribeInstancesRequest request) {
            requests.add(request);
            return pages.next();
        }

        @Override
        public String serviceName() {
            return "ec2";
        }

        @Override
        public void close() {
        }
    }

    private static DescribeInstancesResponse page(String nextToken, String... ids) {
        List<Instance> list = new ArrayList<>();
        for (String id : ids) {
            list.add(instance(id, InstanceStateName.RUNNING, "10.0.1." + id.substring(2), null));
        }
        return DescribeInstancesResponse.builder().nextToken(nextToken)
                .reservations(Reservation.builder().instances(list).build()).build();
    }

    @Test
    void everyPageIsReadAndAnInstanceOnTwoPagesCountsOnce() {
        ScriptedEc2 ec2 = new ScriptedEc2(page("t1", "i-1"), page(null, "i-1", "i-2"));
        assertThat(new AwsBackends(ec2).backends(List.of("i-1", "i-2"), false, 80)).containsExactly(
                Map.of("host", "10.0.1.1", "port", 80), Map.of("host", "10.0.1.2", "port", 80));
        assertThat(ec2.requests).extracting(DescribeInstancesRequest::nextToken).containsExactly(null, "t1");
        assertThat(ec2.requests.get(0).maxResults()).as("EC2 refuses MaxResults next to instance ids").isNull();
    }

    @Test
    void aRepeatedTokenIsAnErrorNotAnEndlessLoop() {
        ScriptedEc2 ec2 = new ScriptedEc2(page("same", "i-1"), page("same", "i-1"), page(null, "i-1"));
        assertThatThrownBy(() -> new AwsBackends(ec2).backends(List.of("i-1"), false, 80))
                .hasMessageContaining("repeated NextToken same");
        assertThat(ec2.requests).hasSize(2);
    }

    @Test
    void noIdsNoCall() {
        ScriptedEc2 ec2 = new ScriptedEc2();
        assertThat(new AwsBackends(ec2).backends(List.of(), false, 80)).isEmpty();
        assertThat(ec2.requests).isEmpty();
    }
}
