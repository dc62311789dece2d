package io.ep2camel.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * systemd cannot run here: a {@code systemctl} script plays its part for HAProxy's unit as
 * Debian's haproxy.service does — start runs the real HAProxy master-worker, reload checks the
 * config and sends the master SIGUSR2, is-active asks whether the master lives. Every call is
 * recorded. The controller runs it through the {@code ep2.systemctl} system property.
 */
public final class FakeSystemctl {
    public static final String PROPERTY = "ep2.systemctl";

    private final Path script;
    private final Path calls;

    private FakeSystemctl(Path script, Path calls) {
        this.script = script;
        this.calls = calls;
    }

    /** Writes the script into {@code dir} for HAProxy's {@code config} and {@code pidFile}, and selects it. */
    public static FakeSystemctl install(Path dir, Path config, Path pidFile) {
        Path calls = dir.resolve("systemctl.calls");
        Path script = dir.resolve("systemctl");
        try {
            Files.writeString(script, """
                    #!/bin/sh
                    echo "$*" >> %1$s
                    case "$1" in
                      is-active) [ -s %3$s ] && kill -0 "$(head -n1 %3$s)" 2>/dev/null ;;
                      start) %4$s -W -D -f %2$s -p %3$s ;;
                      reload) %4$s -c -q -f %2$s && kill -USR2 "$(head -n1 %3$s)" ;;
                      *) exit 1 ;;
                    esac
                    """.formatted(calls, config, pidFile, HaproxyProcess.BINARY));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty(PROPERTY, script.toString());
        return new FakeSystemctl(script, calls);
    }

    /** Every call so far, e.g. "start haproxy", "is-active --quiet haproxy". */
    public List<String> calls() {
        try {
            return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void uninstall() {
        System.clearProperty(PROPERTY);
    }
}
