package io.ep2camel.socket;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

import io.ep2camel.model.HaproxyAddress;
import java.util.Arrays;
import java.util.List;

/** Options of a haproxy-socket endpoint. */
@UriParams
public class HaproxySocketConfiguration {

    @UriPath(description = "HAProxy's stats socket (level admin for changes), as HAProxy writes it: a path or"
            + " unix@/path (UNIX socket), ipv4@host:port or ipv6@[addr]:port (TCP, through camel-netty). Several"
            + " separated by commas, e.g. one per process with nbproc: every socket receives the whole batch.")
    @Metadata(required = true)
    private String path;

    @UriParam(defaultValue = "5000", description = "Milliseconds to wait for the connection, and for each piece of"
            + " the answer, before failing the exchange.")
    private long timeout = 5000;

    @UriParam(defaultValue = "true", description = "Fail the exchange with a HaproxySocketException when HAProxy"
            + " answers any command of the batch with an error message (the batch still runs in full).")
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
