package io.ep2camel.testsupport;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that needs time to get ready, as a freshly launched instance does: until
 * {@link #ready()} its health endpoint ({@link #HEALTH_PATH}) answers 503; every other path answers
 * 200 with its name. Counts health checks and client requests, and the client requests that came
 * before it was ready (a health gate that works lets none through).
 */
public final class WarmingBackend implements AutoCloseable {
    public static final String HEALTH_PATH = "/health";
    private final HttpServer server;
    private volatile boolean ready;
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger requestsBeforeReady = new AtomicInteger();

    public WarmingBackend(String name) {
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            boolean health = exchange.getRequestURI().getPath().equals(HEALTH_PATH);
            int status = 200;
            if (health) {
                checks.incrementAndGet();
                status = ready ? 200 : 503;
            } else {
                requests.incrementAndGet();
                if (!ready) {
                    requestsBeforeReady.incrementAndGet();
                }
            }
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void ready() {
        ready = true;
    }

    public int checks() {
        return checks.get();
    }

    public int requests() {
        return requests.get();
    }

    public int requestsBeforeReady() {
        return requestsBeforeReady.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
