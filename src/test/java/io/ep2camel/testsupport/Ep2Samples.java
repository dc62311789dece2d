package io.ep2camel.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ep2.conf and a haproxy.cfg.template as EP2's users have them, moved into a short temp dir
 * with only their paths (and listening ports) changed, as an operator would before trying them.
 * <p>
 * The files are ep2-camel's own, written in the layout of ElasticPyProxy's shipped samples
 * (src/test/resources/ep2-layout: tabs, comments, every key, literal {@code { ssl_fc }}). Given
 * {@code -Dep2.samples=DIR} (e.g. the etc/ directory of an ElasticPyProxy checkout), the files of
 * DIR are used instead, so the same tests run against EP2's own shipped files.
 */
public final class Ep2Samples implements AutoCloseable {
    /** The [haproxy] keys that are paths: the only ones an adaptation changes. */
    private static final String[] PATH_KEYS = {"haproxy_config_file", "template_file", "haproxy_binary",
            "haproxy_socket_file", "pid_file", "lock_dir", "log_file"};
    private static final Pattern BIND = Pattern.compile("(?m)^(\\s*bind\\s+)\\S*:([0-9]+)");
    private static final Pattern TCP_STATS = Pattern.compile("ipv4@127\\.0\\.0\\.1:[0-9]+");
    private static final Pattern STATS_SOCKET = Pattern.compile("(?m)^(\\s*stats socket\\s+)(/\\S+)");
    private static final Pattern ROOT_ONLY = Pattern.compile("(?m)^\\s*(chroot|user|group)\\s.*\\n");

    private static final Pattern INLINE_CHECK_HEADER =
            Pattern.compile("(?m)^(\\s*)option httpchk (\\S+) (\\S+) HTTP/1\\.1\\\\r\\\\n([^:\\s]+):(\\S+)$");
    private static final boolean HAPROXY_3 = HaproxyProcess.versionAtLeast(3, 0);

    public final Path dir;
    public final Path conf;
    public final Path template;
    public final Path haproxyCfg;
    public final Path socket;
    public final Path pidFile;
    public final Path logFile;
    /** The port of the template's first bind line (EP2's listen haproxynode). */
    public final int frontendPort;
    /** The port of the template's TCP stats socket ({@code stats socket ipv4@127.0.0.1:...}). */
    public final int tcpStatsPort = FreePort.find();

    private Ep2Samples(Path dir, int frontendPort) {
        this.dir = dir;
        this.conf = dir.resolve("ep2.conf");
        this.template = dir.resolve("haproxy.cfg.template");
        this.haproxyCfg = dir.resolve("haproxy.cfg");
        this.socket = dir.resolve("haproxy.sock");
        this.pidFile = dir.resolve("haproxy.pid");
        this.logFile = dir.resolve("log/ep2.log");
        this.frontendPort = frontendPort;
    }

    /** Where the sample files come from: -Dep2.samples, else the test resources. */
    public static String origin() {
        return System.getProperty("ep2.samples", "classpath:ep2-layout");
    }

    public static String sampleConf() {
        return read("ep2.conf");
    }

    public static String sampleTemplate() {
        return read("haproxy.cfg.template");
    }

    private static String read(String name) {
        String dir = System.getProperty("ep2.samples");
        try {
            if (dir != null) {
                return Files.readString(Path.of(dir, name));
            }
            try (InputStream in = Objects.requireNonNull(Ep2Samples.class.getResourceAsStream("/ep2-layout/" + name), name)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sample files in a new temp dir: the conf's path keys point into it, the template's stats
     * socket is the conf's socket, every bind and the TCP stats socket listen on free loopback
     * ports. chroot/user/group need root: they stay when the tests run as root (as CI does), else
     * they are left out.
     * @param confText the conf to adapt (the sample, or a variant of it)
     */
    public static Ep2Samples adapt(String confText, String templateText) {
        Ep2Samples s = new Ep2Samples(TestDirs.shortTemp(), FreePort.find());
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("haproxy_config_file", s.haproxyCfg.toString());
        paths.put("template_file", s.template.toString());
        paths.put("haproxy_binary", HaproxyProcess.BINARY);      // the HAProxy under test (-Dep2.haproxy)
        paths.put("haproxy_socket_file", s.socket.toString());
        paths.put("pid_file", s.pidFile.toString());
        paths.put("lock_dir", s.dir.toString());
        paths.put("log_file", s.logFile.toString());
        String conf = confText;
        for (String key : PATH_KEYS) {
            conf = conf.replaceAll("(?m)^(" + key + "\\s*[=:]\\s*).*$", "$1" + Matcher.quoteReplacement(paths.get(key)));
        }
        s.write(s.conf, conf);
        s.write(s.template, adaptTemplate(templateText, s.socket, s.frontendPort, s.tcpStatsPort));
        return s;
    }

    /** The template's paths and ports moved as {@link #adapt} says; its text otherwise unchanged. */
    public static String adaptTemplate(String text, Path socket, int frontendPort, int tcpStatsPort) {
        String t = STATS_SOCKET.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + socket));
        t = TCP_STATS.matcher(t).replaceAll("ipv4@127.0.0.1:" + tcpStatsPort);
        boolean[] first = {true};
        t = BIND.matcher(t).replaceAll(m -> {
            int port = first[0] ? frontendPort : FreePort.find();
            first[0] = false;
            return Matcher.quoteReplacement(m.group(1) + "127.0.0.1:" + port);
        });
        if (!isRoot()) {
            t = ROOT_ONLY.matcher(t).replaceAll("");
        }
        if (HAPROXY_3) {
            // EP2's sample hides a header in the version string (option httpchk HEAD / HTTP/1.1\r\nHost:x),
            // which 3.0 refuses ("use 'http-check send' instead"): moved there, as an operator upgrading must
            t = INLINE_CHECK_HEADER.matcher(t).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "option httpchk "
                    + m.group(2) + " " + m.group(3) + "\n" + m.group(1) + "http-check send ver HTTP/1.1 hdr " + m.group(4) + " " + m.group(5)));
        }
        return t;
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Appends a section to the conf (an orchestrator block as EP2's code reads it). */
    public Ep2Samples append(String text) {
        try {
            Files.writeString(conf, Files.readString(conf) + "\n" + text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces one line of the conf, {@code key = value}; the key must be there. */
    public Ep2Samples set(String key, String value) {
        try {
            String text = Files.readString(conf);
            Pattern line = Pattern.compile("(?m)^(" + key + "\\s*[=:]\\s*).*$");
            if (!line.matcher(text).find()) {
                throw new IllegalArgumentException(key + " is not in " + conf);
            }
            Files.writeString(conf, line.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(value)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HaproxyProcess haproxy() {
        return new HaproxyProcess(pidFile);
    }

    @Override
    public void close() {
        haproxy().stop();
        TestDirs.deleteQuietly(dir);
    }
}
