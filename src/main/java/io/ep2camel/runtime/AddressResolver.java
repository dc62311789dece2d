package io.ep2camel.runtime;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code set server ... addr} takes IP addresses only (names need HAProxy resolvers), so host
 * names are resolved here, once per round, before planning. A name that does not resolve is
 * skipped with a log line, like any other bad entry.
 */
public final class AddressResolver {
    private static final Logger LOG = LoggerFactory.getLogger(AddressResolver.class);

    public BackendSet resolve(BackendSet set) {
        List<Backend> out = new ArrayList<>(set.size());
        for (Backend b : set.backends()) {
            if (isIpLiteral(b.host())) {
                out.add(b);
                continue;
            }
            try {
                out.add(new Backend(InetAddress.getByName(b.host()).getHostAddress(), b.port(), b.weight()));
            } catch (UnknownHostException e) {
                LOG.warn("skipped backend {}: host name does not resolve", b);
            }
        }
        return BackendSet.of(out);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }
}
