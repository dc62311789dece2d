import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Tiny HTTP backends for the ep2-camel demo: one server per port on 127.0.0.1, answering every
 * GET and HEAD with 200 and the body "backend PORT\n" (other methods: 405). Runs until killed.
 *
 * <pre>java scripts/DemoBackends.java 18081 18082 18083</pre>
 *
 * JDK only (Java 11+ source launcher, com.sun.net.httpserver); no build step.
 */
public class DemoBackends {
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java scripts/DemoBackends.java PORT [PORT...]");
            System.exit(2);
        }
        List<HttpServer> servers = new ArrayList<>();
        for (String arg : args) {
            int port;
            try {
                port = Integer.parseInt(arg);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                System.err.println("DemoBackends: not a port: '" + arg + "'");
                System.exit(2);
            }
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            } catch (IOException e) {
                System.err.println("DemoBackends: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
                servers.forEach(s -> s.stop(0));
                System.exit(1);
                return;
            }
            byte[] body = ("backend " + port + "\n").getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> answer(exchange, body));
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            servers.add(server);
            System.out.println("DemoBackends: backend " + port + " listening on http://127.0.0.1:" + port + "/");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> servers.forEach(s -> s.stop(0))));
        // the servers' dispatcher threads are not daemons: the JVM runs until it is killed
    }

    private static void answer(HttpExchange exchange, byte[] body) throws IOException {
        try {
            exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            if (method.equals("GET")) {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } else if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
            }
        } finally {
            exchange.close();
        }
    }
}
