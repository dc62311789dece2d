package io.ep2camel.testsupport;

import io.ep2camel.Ep2Application;
import io.ep2camel.RouteLocator;
import io.ep2camel.config.Ep2ConfigLoader;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A complete controller setup in a short temp dir: an HAProxy template with a stats socket
 * (expose-fd listeners, for -x reloads), an EP2 ep2.conf using the file orchestrator, and the
 * backends file. Tests change keys, the template or the file, then run the controller on it.
 */
public final class Ep2Fixture implements AutoCloseable {
    public final Path dir = TestDirs.shortTemp();
    public final int frontendPort = FreePort.find();
    public final Path conf = dir.resolve("ep2.conf");
    public final Path template = dir.resolve("haproxy.cfg.template");
    public final Path haproxyCfg = dir.resolve("haproxy.cfg");
    public final Path backendsFile = dir.resolve("backends.txt");
    public final Path socket = dir.resolve("s.sock");
    public final Path pidFile = dir.resolve("haproxy.pid");
    public final Path logFile = dir.resolve("log/ep2.log");
    public final int observePort = FreePort.find();
    /** The controller's environment (CONSUL_* variables): empty unless a test sets some, whatever the JVM's is. */
    public final Map<String, String> env = new java.util.concurrent.ConcurrentHashMap<>();
    /** Set by {@link #tcpStatsSocket()}: the template then serves the CLI on TCP as well. */
    private Integer tcpStatsPort;
    private final Map<String, String> haproxyKeys = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> otherSections = new LinkedHashMap<>();
    private Ep2Application controller;

    public Ep2Fixture() {
        haproxyKeys.put("haproxy_config_file", haproxyCfg.toString());
        haproxyKeys.put("template_file", template.toString());
        haproxyKeys.put("haproxy_binary", HaproxyProcess.BINARY);
        haproxyKeys.put("start_by", "binary");
        haproxyKeys.put("haproxy_socket_file", socket.toString());
        haproxyKeys.put("pid_file", pidFile.toString());
        haproxyKeys.put("backend_name", "be_app");
        haproxyKeys.put("update_type", "update_by_config");
        haproxyKeys.put("lock_dir", dir.toString());
        haproxyKeys.put("orchestrator", "file");
        haproxyKeys.put("sleep_before_next_run", "0.2");
        haproxyKeys.put("log_file", logFile.toString());
        haproxyKeys.put("observe_port", Integer.toString(observePort));
        section("FILE").put("path", backendsFile.toString());
        writeTemplate("    {{nodes}}");
        backends(List.of());
        writeConf();
    }

    /** Sets an [haproxy] key (null removes it) and rewrites ep2.conf. */
    public Ep2Fixture set(String key, String value) {
        if (value == null) {
            haproxyKeys.remove(key);
        } else {
            haproxyKeys.put(key, value);
        }
        return writeConf();
    }

    public Map<String, String> section(String name) {
        return otherSections.computeIfAbsent(name, n -> new LinkedHashMap<>());
    }

    public Ep2Fixture writeConf() {
        StringBuilder b = new StringBuilder("[haproxy]\n");
        haproxyKeys.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        otherSections.forEach((s, keys) -> {
            b.append('[').append(s).append("]\n");
            keys.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        });
        return write(conf, b.toString());
    }

    /**
     * Adds a TCP stats socket on loopback to the template (beside the UNIX one) and writes the
     * template again with the default servers placeholder; returns the socket's address.
     */
    public String tcpStatsSocket() {
        tcpStatsPort = FreePort.find();
        writeTemplate("    {{nodes}}");
        return "ipv4@127.0.0.1:" + tcpStatsPort;
    }

    /** The template with {@code serverPart} where the servers go (e.g. "    {{nodes}}"). */
    public Ep2Fixture writeTemplate(String serverPart) {
        return write(template, templateText(serverPart));
    }

    /** The template with {@code {{nodes}}}, its health check asking {@code path} instead of "/". */
    public Ep2Fixture writeTemplateCheckingAt(String path) {
        return write(template, templateText("    {{nodes}}").replace("option httpchk GET /", "option httpchk GET " + path));
    }

    public String templateText(String serverPart) {
        return """
                global
                    stats socket %s mode 600 level admin expose-fd listeners
                %s    stats timeout 10s

                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                    retries 3
                    option redispatch

                listen be_app
                    bind 127.0.0.1:%d
                    balance roundrobin
                    option httpchk GET /
                %s
                """.formatted(socket, tcpStatsPort == null ? "" : "    stats socket ipv4@127.0.0.1:" + tcpStatsPort
                + " level admin\n", frontendPort, serverPart);
    }

    /** Writes the file orchestrator's list: one 127.0.0.1:port line per port. */
    public Ep2Fixture backends(List<Integer> ports) {
        return write(backendsFile, ports.stream().map(p -> "127.0.0.1:" + p + "\n").collect(Collectors.joining()));
    }

    public Ep2Fixture write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HaproxyProcess haproxy() {
        return new HaproxyProcess(pidFile);
    }

    public String config() throws IOException {
        return Files.readString(haproxyCfg);
    }

    /** Starts a controller on this setup, in this JVM (routes from the build, or {@code routesDir}). */
    public Ep2Application startController(Optional<Path> routesDir) throws Exception {
        RouteLocator routes = RouteLocator.detect(routesDir);
        controller = new Ep2Application(new Ep2ConfigLoader(routes.orchestrators(), env::get).load(conf), routes);
        controller.start();
        return controller;
    }

    /** The controller started last (null when stopped). */
    public Ep2Application controller() {
        return controller;
    }

    public Ep2Application startController() throws Exception {
        return startController(Optional.empty());
    }

    /** Stops the controller; HAProxy keeps running, as it does when a real controller stops. */
    public void stopController() throws Exception {
        if (controller != null) {
            controller.stop();
            controller = null;
        }
    }

    /** The backend names HAProxy answered with over {@code n} requests through the frontend. */
    public Set<String> served(int n) {
        return servedAt(frontendPort, n);
    }

    /** The same through another frontend of the template (another pool's). */
    public static Set<String> servedAt(int port, int n) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            seen.add(Http.tryGet(port));
        }
        return seen;
    }

    /** Waits until HAProxy serves exactly these backends; on a timeout, says what the controller logged. */
    public void awaitServed(String... names) {
        try {
            awaitServedAt(frontendPort, names);
        } catch (ConditionTimeoutException e) {
            String log;
            try {
                log = log();
            } catch (IOException io) {
                log = "(not readable: " + io.getMessage() + ")";
            }
            throw new AssertionError(e.getMessage() + "\nlast lines of the controller's log:\n"
                    + log.substring(Math.max(0, log.length() - 6000)), e);
        }
    }

    public static void awaitServedAt(int port, String... names) {
        Set<String> wanted = Set.of(names);
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> servedAt(port, 4 * wanted.size()).equals(wanted));
    }

    public String log() throws IOException {
        return Files.exists(logFile) ? Files.readString(logFile) : "";
    }

    @Override
    public void close() {
        try {
            stopController();
        } catch (Exception ignored) {
            // HAProxy and the temp dir are cleaned up below either way
        }
        haproxy().stop();
        TestDirs.deleteQuietly(dir);
    }
}
