package io.ep2camel.pipeline;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Host names become addresses here, once per round, before anything is planned or rendered:
 * {@code set server ... addr} takes IP addresses only, and HAProxy resolves names in a config
 * at parse time, so one name that does not resolve would make {@code haproxy -c} refuse every
 * later config. A name that does not resolve is skipped with a log line, like any bad entry;
 * when none of the answer's names resolves, the round fails and the backends stay.
 */
public final class AddressResolver {
    private static final Logger LOG = LoggerFactory.getLogger(AddressResolver.class);
    // compiled once: String.matches compiles its pattern on every call, and this runs for every
    // backend of every answer (each poll tick)
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

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
        if (out.isEmpty() && !set.isEmpty()) {
            throw new IllegalArgumentException("none of the " + set.size()
                    + " backends' host names resolves; keeping the backends as they are");
        }
        return BackendSet.of(out);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches();
    }
}
