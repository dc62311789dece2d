package io.ep2camel.testsupport;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Backends the way an Auto Scaling group has them: every instance on its own address, all on the
 * same port (the aws orchestrator has one backend_port). Real HTTP servers on 127.0.0.2,
 * 127.0.0.3 ... (Linux routes all of 127/8 to loopback), each answering 200 with its name
 * (b1, b2 ...), GET and HEAD, like {@link HttpBackends}.
 */
public final class LoopbackBackends implements AutoCloseable {
    private final java.util.Map<Integer, HttpServer> servers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Integer, ExecutorService> executors = new java.util.concurrent.ConcurrentHashMap<>();
    private final int port;

    private LoopbackBackends(int port) {
        this.port = port;
    }

    /** {@code count} servers b1..bN on 127.0.0.2..127.0.0.(N+1), one common free port. */
    public static LoopbackBackends start(int count) {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            LoopbackBackends b = new LoopbackBackends(FreePort.find());
            try {
                for (int i = 1; i <= count; i++) {
                    b.add(i);
                }
                return b;
            } catch (IOException e) {  // the port was free on 127.0.0.1 but taken on another address: next port
                b.close();
                last = e;
            }
        }
        throw new UncheckedIOException("no port free on all of 127.0.0.2.." + ip(count), last);
    }

    /** {@code count} servers b1..bN on 127.0.0.2..127.0.0.(N+1), all on {@code port} (e.g. EP2's default backend_port). */
    public static LoopbackBackends startOn(int port, int count) {
        LoopbackBackends b = new LoopbackBackends(port);
        try {
            for (int i = 1; i <= count; i++) {
                b.add(i);
            }
            return b;
        } catch (IOException e) {
            b.close();
            throw new UncheckedIOException("port " + port + " is taken on one of 127.0.0.2.." + ip(count), e);
        }
    }

    /** The address of backend {@code n} (1-based): 127.0.0.(n+1). */
    public static String ip(int n) {
        return "127.0.0." + (n + 1);
    }

    public int port() {
        return port;
    }

    private void add(int n) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip(n)), port), 64);
        server.createContext("/", HttpBackends.answering("b" + n));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.start();
        servers.put(n, server);
        executors.put(n, executor);
    }

    /** Stops backend {@code n} at once, as a terminated instance goes: its port refuses from now on. */
    public void stop(int n) {
        HttpServer server = servers.remove(n);
        if (server != null) {
            server.stop(0);
            executors.remove(n).shutdownNow();
        }
    }

    /** Starts backend {@code n} (again): an instance that begins to listen late. */
    public void listen(int n) {
        try {
            if (!servers.containsKey(n)) {
                add(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("backend b" + n + " cannot listen on " + ip(n) + ":" + port, e);
        }
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        executors.values().forEach(ExecutorService::shutdownNow);
    }
}
