package io.ep2camel.testsupport;

import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

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

    /**
     * The health gate while it is not ready: at least {@code checks} health checks come within
     * {@code within}, and no client request reaches it.
     */
    public void awaitChecksWithoutRequests(int checks, Duration within) {
        Awaitility.await().atMost(within).until(() -> checks() >= checks);
        assertThat(requests()).as("client requests to a server that has not passed a check").isZero();
    }

    /** Made ready: client requests reach it (within 10 s), and none came before it was ready. */
    public void readyAndAwaitRequests() {
        ready();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> requests() > 0);
        assertThat(requestsBeforeReady()).as("client requests before it was ready").isZero();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
