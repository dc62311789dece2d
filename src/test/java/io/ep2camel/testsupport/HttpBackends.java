package io.ep2camel.testsupport;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Real HTTP servers on loopback standing in for orchestrated backends. Each answers every
 * request (GET and HEAD, so HAProxy health checks pass) with 200 and its own name as body,
 * which lets a test see which backend HAProxy picked.
 */
public final class HttpBackends implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    public static HttpBackends start(int count) {
        HttpBackends b = new HttpBackends();
        for (int i = 1; i <= count; i++) {
            b.add("b" + i);
        }
        return b;
    }

    /** Starts one more backend named {@code name} on a free port; returns the port. */
    public int add(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/", answering(name));
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            servers.add(server);
            names.add(name);
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 200 with {@code name} as body for GET, 200 without body for HEAD (health checks). */
    static HttpHandler answering(String name) {
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        };
    }

    public int size() {
        return servers.size();
    }

    public String name(int index) {
        return names.get(index);
    }

    public int port(int index) {
        return servers.get(index).getAddress().getPort();
    }

    /** Stops one backend: its port refuses connections from now on (HAProxy's checks take it DOWN). */
    public void stop(int index) {
        servers.get(index).stop(0);
    }

    public int portOf(String name) {
        return port(names.indexOf(name));
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
