package io.ep2camel.socket;

import org.apache.camel.Endpoint;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Endpoint resolution through the META-INF/services descriptor: no HAProxy needed. */
class HaproxySocketComponentTest extends CamelTestSupport {

    @Test
    void componentIsFoundThroughItsDescriptor() {
        assertThat(context.getComponent("haproxy-socket")).isInstanceOf(HaproxySocketComponent.class);
    }

    @Test
    void endpointTakesPathAndOptionsFromTheUri() {
        Endpoint endpoint = context.getEndpoint("haproxy-socket:/run/haproxy/admin.sock?timeout=1234&failOnErrorReply=false");

        assertThat(endpoint).isInstanceOf(HaproxySocketEndpoint.class);
        HaproxySocketConfiguration configuration = ((HaproxySocketEndpoint) endpoint).getConfiguration();
        assertThat(configuration.getTimeout()).isEqualTo(1234);
        assertThat(configuration.isFailOnErrorReply()).isFalse();
        assertThat(configuration.addresses()).singleElement().satisfies(a -> assertThat(a.path()).isEqualTo(Path.of("/run/haproxy/admin.sock")));
    }

    @Test
    void defaultsAndSeveralSockets() {
        HaproxySocketEndpoint endpoint = context.getEndpoint("haproxy-socket:/run/h/p1.sock,/run/h/p2.sock",
                HaproxySocketEndpoint.class);

        assertThat(endpoint.getConfiguration().getTimeout()).isEqualTo(5000);
        assertThat(endpoint.getConfiguration().isFailOnErrorReply()).isTrue();
        assertThat(endpoint.getConfiguration().addresses()).extracting(a -> a.path())
                .containsExactly(Path.of("/run/h/p1.sock"), Path.of("/run/h/p2.sock"));
    }

    @Test
    void haproxysAddressSyntaxInAnyMix() {
        HaproxySocketEndpoint endpoint = context.getEndpoint(
                "haproxy-socket:unix@/run/h/admin.sock,ipv4@127.0.0.1:9999,ipv6@[::1]:9998?timeout=700", HaproxySocketEndpoint.class);

        assertThat(endpoint.getConfiguration().addresses()).extracting(Object::toString)
                .containsExactly("/run/h/admin.sock", "ipv4@127.0.0.1:9999", "ipv6@[::1]:9998");
        assertThat(endpoint.getConfiguration().getTimeout()).isEqualTo(700);
        assertThatThrownBy(() -> context.getEndpoint("haproxy-socket:abns@haproxy"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("not abns@");
        assertThatThrownBy(() -> context.getEndpoint("haproxy-socket:127.0.0.1:9999"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("ipv4@127.0.0.1:9999");
    }

    @Test
    void unknownOptionIsRejected() {
        assertThatThrownBy(() -> context.getEndpoint("haproxy-socket:/run/haproxy/admin.sock?tiemout=1"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("tiemout");
    }

    @Test
    void badPathOrTimeoutIsRejectedAtResolution() {
        assertThatThrownBy(() -> context.getEndpoint("haproxy-socket:/a.sock,,/b.sock"))
                .isInstanceOf(ResolveEndpointFailedException.class);
        assertThatThrownBy(() -> context.getEndpoint("haproxy-socket:/a.sock?timeout=0"))
                .isInstanceOf(ResolveEndpointFailedException.class);
    }

    @Test
    void endpointIsProducerOnly() {
        Endpoint endpoint = context.getEndpoint("haproxy-socket:/run/haproxy/admin.sock");

        assertThatThrownBy(() -> endpoint.createConsumer(exchange -> { }))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void validationNamesTheOptionAndTheValueItRejects() {
        assertThatThrownBy(() -> context.getEndpoint("haproxy-socket:/a.sock?timeout=0"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseMessage("haproxy-socket timeout must be positive, got 0");
        assertThatThrownBy(() -> context.getEndpoint("haproxy-socket:/a.sock?timeout=-5"))
                .hasRootCauseMessage("haproxy-socket timeout must be positive, got -5");
        assertThatThrownBy(() -> context.getEndpoint("haproxy-socket:/a.sock,"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseMessage("haproxy-socket needs one or more comma-separated socket addresses, got '/a.sock,'");
    }

    @Test
    void configurationChecksItselfWithoutCamel() {
        HaproxySocketConfiguration configuration = new HaproxySocketConfiguration();
        assertThatThrownBy(configuration::validate)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("haproxy-socket needs one or more comma-separated socket addresses, got 'null'");
        configuration.setPath(" ");
        assertThatThrownBy(configuration::validate)
                .hasMessage("haproxy-socket needs one or more comma-separated socket addresses, got ' '");

        configuration.setPath("/run/h/admin.sock,ipv4@127.0.0.1:9999");
        configuration.setTimeout(-1);
        assertThatThrownBy(configuration::validate).hasMessage("haproxy-socket timeout must be positive, got -1");

        configuration.setTimeout(1);
        assertThat(configuration.validate()).extracting(Object::toString)
                .containsExactly("/run/h/admin.sock", "ipv4@127.0.0.1:9999");
    }

    @Test
    void endpointBuiltInJavaIsCheckedWhenItStarts() {
        HaproxySocketConfiguration configuration = new HaproxySocketConfiguration();
        configuration.setPath("/a.sock");
        configuration.setTimeout(0);
        HaproxySocketEndpoint endpoint = new HaproxySocketEndpoint("haproxy-socket:/a.sock",
                context.getComponent("haproxy-socket", HaproxySocketComponent.class), configuration);

        assertThatThrownBy(() -> context.addEndpoint("haproxy-socket:/a.sock?timeout=0", endpoint))
                .hasStackTraceContaining("haproxy-socket timeout must be positive, got 0");
    }
}
