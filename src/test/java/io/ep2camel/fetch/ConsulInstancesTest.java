package io.ep2camel.fetch;

import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.model.catalog.ImmutableServiceWeights;
import org.kiwiproject.consul.model.health.ImmutableNode;
import org.kiwiproject.consul.model.health.ImmutableService;
import org.kiwiproject.consul.model.health.ImmutableServiceHealth;
import org.kiwiproject.consul.model.health.ServiceHealth;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsulInstancesTest {
    private static ServiceHealth instance(String id, String address, int port, String nodeAddress, Integer weight,
                                         String... tags) {
        ImmutableService.Builder s = ImmutableService.builder().id(id).service("web").address(address).port(port)
                .addTags(tags);
        if (weight != null) {
            s.weights(ImmutableServiceWeights.builder().passing(weight).warning(1).build());
        }
        return ImmutableServiceHealth.builder()
                .node(ImmutableNode.builder().node("node-" + id).address(nodeAddress).build())
                .service(s.build())
                .build();
    }

    @Test
    void serviceAddressPortAndPassingWeightMakeTheBackend() {
        assertThat(new ConsulInstances("").backends(List.of(instance("a", "10.0.0.1", 8080, "10.9.9.9", 7))))
                .containsExactly(Map.of("host", "10.0.0.1", "port", 8080, "weight", 7));
    }

    @Test
    void emptyServiceAddressFallsBackToTheNodeAddress() {
        assertThat(new ConsulInstances(null).backends(List.of(instance("a", "", 8080, "10.9.9.9", 1))))
                .containsExactly(Map.of("host", "10.9.9.9", "port", 8080, "weight", 1));
    }

    @Test
    void portZeroIsLeftOutSoThePipelineUsesBackendPort() {
        assertThat(new ConsulInstances(null).backends(List.of(instance("a", "10.0.0.1", 0, "10.9.9.9", null))))
                .containsExactly(Map.of("host", "10.0.0.1"));
    }

    @Test
    void oneHostOnTwoPortsIsTwoBackends() {
        assertThat(new ConsulInstances(null).backends(List.of(instance("a", "10.0.0.1", 8080, "n", 1),
                instance("b", "10.0.0.1", 8081, "n", 1))))
                .extracting(m -> m.get("port")).containsExactly(8080, 8081);
    }

    @Test
    void everyConfiguredTagMustBeCarried() {
        ConsulInstances tagged = new ConsulInstances(" web ,v2,");
        assertThat(tagged.requiredTags()).containsExactlyInAnyOrder("web", "v2");
        assertThat(tagged.backends(List.of(
                instance("all", "10.0.0.1", 80, "n", 1, "v2", "web", "eu"),
                instance("one", "10.0.0.2", 80, "n", 1, "web"),
                instance("none", "10.0.0.3", 80, "n", 1),
                instance("case", "10.0.0.4", 80, "n", 1, "Web", "V2"))))
                .extracting(m -> m.get("host")).containsExactly("10.0.0.1");
    }

    @Test
    void weightsAreKeptWithinHaproxysRange() {
        assertThat(new ConsulInstances(null).backends(List.of(instance("big", "10.0.0.1", 80, "n", 1000),
                instance("zero", "10.0.0.2", 80, "n", 0))))
                .extracting(m -> m.get("weight")).containsExactly(256, 1);
    }

    @Test
    void anEmptyAnswerIsAnEmptyList() {
        assertThat(new ConsulInstances(null).backends(List.of())).isEmpty();
    }

    @Test
    void anythingButAListOfInstancesIsAnErrorNotAnEmptyAnswer() {
        ConsulInstances i = new ConsulInstances(null);
        assertThatThrownBy(() -> i.backends(null)).hasMessageContaining("answered nothing");
        assertThatThrownBy(() -> i.backends("[]")).hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> i.backends(List.of("x"))).hasMessageContaining("instead of a service instance");
    }
}
