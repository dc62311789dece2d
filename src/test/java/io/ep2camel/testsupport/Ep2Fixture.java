package io.ep2camel.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<String, String> haproxyKeys = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> otherSections = new LinkedHashMap<>();

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

    /** The template with {@code serverPart} where the servers go (e.g. "    {{nodes}}"). */
    public Ep2Fixture writeTemplate(String serverPart) {
        return write(template, templateText(serverPart));
    }

    public String templateText(String serverPart) {
        return """
                global
                    stats socket %s mode 600 level admin expose-fd listeners
                    stats timeout 10s

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
                """.formatted(socket, frontendPort, serverPart);
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

    @Override
    public void close() {
        haproxy().stop();
        TestDirs.deleteQuietly(dir);
    }
}
