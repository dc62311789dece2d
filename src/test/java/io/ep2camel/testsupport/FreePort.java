package io.ep2camel.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port nobody listens on right now, picked below Linux's ephemeral range (32768+):
 * a port from that range may be handed out again a moment later to a socket bound to port 0
 * (an HTTP double, a client), which then holds the port HAProxy was meant to listen on.
 */
public final class FreePort {
    private FreePort() {
    }

    private static final int LOW = 10000;
    private static final int HIGH = 32000;

    public static int find() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        IOException last = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(LOW, HIGH);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                last = e;                       // taken: try another
            }
        }
        throw new UncheckedIOException("no free loopback port in " + LOW + "-" + HIGH, last);
    }
}
