package io.ep2camel.socket;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

import io.ep2camel.model.HaproxyAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Options of a haproxy-socket endpoint. The annotations are what camel-package-maven-plugin
 * reads to write the component's catalog JSON and its configurer: descriptions and defaults
 * live here once, for the URI binding and for tooling alike.
 */
@UriParams
public class HaproxySocketConfiguration {

    // the catalog keeps only letters, digits and a few signs of a description (no at sign, no brackets):
    // HAProxy's address forms are spelt out in words here, shown as examples in the component's javadoc
    @UriPath(description = "HAProxy's stats socket (level admin for changes), written as on HAProxy's stats socket"
            + " line: a file path, or a path behind the unix prefix, for a UNIX socket; host:port behind the ipv4"
            + " prefix, or an IPv6 address in square brackets and port behind the ipv6 prefix, for TCP (through"
            + " camel-netty). Several separated by commas, e.g. one per process with nbproc: every socket receives"
            + " the whole batch.")
    @Metadata(required = true)
    private String path;

    @UriParam(label = "producer", defaultValue = "5000", description = "Milliseconds to wait for the connection,"
            + " and for each piece of the answer, before failing the exchange. Must be positive.")
    private long timeout = 5000;

    @UriParam(label = "producer", defaultValue = "true", description = "Fail the exchange with a"
            + " HaproxySocketException when HAProxy answers any command of the batch with an error message"
            + " (the batch still runs in full).")
    private boolean failOnErrorReply = true;

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public boolean isFailOnErrorReply() {
        return failOnErrorReply;
    }

    public void setFailOnErrorReply(boolean failOnErrorReply) {
        this.failOnErrorReply = failOnErrorReply;
    }

    /**
     * Checks every option once they are all bound, so that a bad endpoint fails when it is
     * resolved rather than on its first message.
     * @return the {@link #getPath() path}'s sockets, parsed
     * @throws IllegalArgumentException naming the option and the value it does not take
     */
    public List<HaproxyAddress> validate() {
        List<HaproxyAddress> addresses = addresses();
        if (timeout <= 0) {
            throw new IllegalArgumentException("haproxy-socket timeout must be positive, got " + timeout);
        }
        return addresses;
    }

    /** The comma-separated {@link #getPath() path} as socket addresses, in order. */
    public List<HaproxyAddress> addresses() {
        // an empty entry in a URI is a typo, not "one socket fewer"
        if (path == null || Arrays.stream(path.split(",", -1)).anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("haproxy-socket needs one or more comma-separated socket addresses, got '"
                    + path + "'");
        }
        return HaproxyAddress.parseList(path, null);
    }
}
