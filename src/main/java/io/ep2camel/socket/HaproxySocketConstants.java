package io.ep2camel.socket;

import org.apache.camel.spi.Metadata;

/** Message headers of the haproxy-socket component. */
public final class HaproxySocketConstants {

    @Metadata(label = "producer", description = "Set by the producer: the replies of every socket, keyed by socket"
            + " path in endpoint order. Also set when the exchange fails, so error handlers can see what HAProxy answered.",
            javaType = "java.util.Map<String, java.util.List<String>>")
    public static final String REPLIES = "CamelHaproxySocketReplies";

    @Metadata(label = "producer", description = "Overrides the endpoint's failOnErrorReply option for this exchange.",
            javaType = "Boolean")
    public static final String FAIL_ON_ERROR_REPLY = "CamelHaproxySocketFailOnErrorReply";

    private HaproxySocketConstants() {
    }
}
