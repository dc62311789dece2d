package io.ep2camel.socket;

import org.apache.camel.CatalogCamelContext;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What camel-package-maven-plugin generated from the annotations, read the way tooling reads it
 * (catalog JSON, configurers, URI factory): no HAProxy needed.
 */
class HaproxySocketCatalogTest extends CamelTestSupport {

    @Test
    void catalogJsonDescribesTheComponentAndEveryOption() throws Exception {
        String json = ((CatalogCamelContext) context).getComponentParameterJsonSchema("haproxy-socket");
        assertThat(json).as("META-INF/io/ep2camel/socket/haproxy-socket.json on the classpath").isNotNull();
        JsonObject root = (JsonObject) Jsoner.deserialize(json);

        JsonObject component = root.getMap("component");
        assertThat(component.getString("scheme")).isEqualTo("haproxy-socket");
        assertThat(component.getString("syntax")).isEqualTo("haproxy-socket:path");
        assertThat(component.getString("javaType")).isEqualTo(HaproxySocketComponent.class.getName());
        assertThat(component.getBoolean("producerOnly")).isTrue();
        assertThat(component.getString("firstVersion")).isNotBlank();

        JsonObject properties = root.getMap("properties");
        assertThat(properties.keySet()).contains("path", "timeout", "failOnErrorReply");
        JsonObject path = properties.getMap("path");
        assertThat(path.getString("kind")).isEqualTo("path");
        assertThat(path.getBoolean("required")).isTrue();
        assertThat(path.getString("description")).contains("stats socket");
        JsonObject timeout = properties.getMap("timeout");
        assertThat(timeout.getString("javaType")).isEqualTo("long");
        assertThat(timeout.get("defaultValue").toString()).isEqualTo("5000");
        assertThat(timeout.getString("description")).contains("Milliseconds");
        JsonObject failOnErrorReply = properties.getMap("failOnErrorReply");
        assertThat(failOnErrorReply.getBoolean("defaultValue")).isTrue();
        assertThat(failOnErrorReply.getBoolean("required")).isFalse();

        JsonObject headers = root.getMap("headers");
        assertThat(headers.keySet())
                .containsExactlyInAnyOrder(HaproxySocketConstants.REPLIES, HaproxySocketConstants.FAIL_ON_ERROR_REPLY);
    }

    @Test
    void endpointOptionsAreBoundByTheGeneratedConfigurer() {
        // reflection would also bind them, but tooling and Camel's fast path need the generated one
        assertThat(PluginHelper.getConfigurerResolver(context).resolvePropertyConfigurer("haproxy-socket-endpoint", context))
                .isInstanceOf(HaproxySocketEndpointConfigurer.class);
        assertThat(PluginHelper.getConfigurerResolver(context).resolvePropertyConfigurer("haproxy-socket-component", context))
                .isInstanceOf(HaproxySocketComponentConfigurer.class);
    }

    @Test
    void generatedUriFactoryWritesTheUrisTheComponentReads() throws Exception {
        EndpointUriFactory factory = context.getCamelContextExtension().getEndpointUriFactory("haproxy-socket");
        assertThat(factory).isInstanceOf(HaproxySocketEndpointUriFactory.class);
        assertThat(factory.propertyNames()).contains("path", "timeout", "failOnErrorReply");

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("path", "/run/haproxy/admin.sock");
        options.put("timeout", 700);
        String uri = factory.buildUri("haproxy-socket", options, false);

        assertThat(uri).isEqualTo("haproxy-socket:/run/haproxy/admin.sock?timeout=700");
        assertThat(context.getEndpoint(uri, HaproxySocketEndpoint.class).getConfiguration().getTimeout()).isEqualTo(700);
    }
}
