package io.ep2camel.fetch;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
