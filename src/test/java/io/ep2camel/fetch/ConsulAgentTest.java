package io.ep2camel.fetch;

import org.apache.camel.impl.event.CamelContextStoppingEvent;
import org.apache.camel.spi.CamelEvent;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.Consul;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConsulAgentTest {
    @Test
    void urlFollowsHostPortAndHttps() {
        assertThat(new ConsulAgent("127.0.0.1", 8500, false, Optional.empty()).url()).isEqualTo("http://127.0.0.1:8500");
        assertThat(new ConsulAgent("consul.internal", 8501, true, Optional.empty()).url())
                .isEqualTo("https://consul.internal:8501");
        assertThat(new ConsulAgent("::1", 8500, false, Optional.empty()).url()).isEqualTo("http://[::1]:8500");
    }

    @Test
    void theTokenIsNeverShown() {
        ConsulAgent agent = new ConsulAgent("127.0.0.1", 8500, false, Optional.of("b1gs3cret"));
        assertThat(agent.hasAclToken()).isTrue();
        assertThat(agent.toString()).doesNotContain("b1gs3cret").contains("acl token set");
        assertThat(new ConsulAgent("127.0.0.1", 8500, false, Optional.of("")).hasAclToken()).isFalse();
    }

    @Test
    void contextStoppingCancelsAndClosesItsClients() {
        ConsulAgent agent = new ConsulAgent("127.0.0.1", 8500, false, Optional.empty());
        Consul client = ConsulAgent.client(agent);
        CamelEvent stopping = new CamelContextStoppingEvent(new org.apache.camel.impl.DefaultCamelContext());
        assertThat(agent.isEnabled(stopping)).isTrue();
        assertThat(agent.stopping()).isFalse();
        agent.notify(stopping);
        assertThat(agent.stopping()).isTrue();
        assertThat(client.isDestroyed()).isTrue();
    }
}
