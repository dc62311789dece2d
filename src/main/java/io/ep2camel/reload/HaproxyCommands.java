package io.ep2camel.reload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument lists of every command ep2-camel runs, never a shell string, so no value from
 * a config or an orchestrator can be read by a shell.
 */
public final class HaproxyCommands {
    private final String binary;
    private final String systemctl;

    public HaproxyCommands(Path binary, String systemctl) {
        this.binary = binary.toString();
        this.systemctl = systemctl;
    }

    /** {@code haproxy -c -f CFG}: validates a candidate config. */
    public List<String> check(Path config) {
        return List.of(binary, "-c", "-f", config.toString());
    }

    /**
     * {@code haproxy -W -D -f CFG -p PID}: first start, master-worker, daemon. EP2 added -q; it is
     * left out so that a failed start or reload reports HAProxy's own reason ("cannot bind
     * socket ...") instead of a bare exit code. The daemon closes its output, so the command
     * still returns as soon as HAProxy runs.
     */
    public List<String> start(Path config, Path pidFile) {
        return List.of(binary, "-W", "-D", "-f", config.toString(), "-p", pidFile.toString());
    }

    /**
     * The same start with HAProxy's master CLI on {@code masterSocket} ({@code -S <path>,mode,600}:
     * only the owner may talk to it, as for the stats socket), through which it is then reloaded.
     */
    public List<String> start(Path config, Path pidFile, Path masterSocket) {
        List<String> args = new ArrayList<>(start(config, pidFile));
        args.add("-S");
        args.add(masterSocket + ",mode,600");
        return args;
    }

    /**
     * EP2's hitless reload: {@code haproxy -W -D -f CFG -p PID -x SOCK -sf OLD_PIDS}. The new
     * process takes the listening sockets over the stats socket (-x) and soft-stops the old ones.
     */
    public List<String> reload(Path config, Path pidFile, Path socket, List<Long> oldPids) {
        List<String> args = new ArrayList<>(start(config, pidFile));
        if (socket != null) {
            args.add("-x");
            args.add(socket.toString());
        }
        if (!oldPids.isEmpty()) {
            args.add("-sf");
            oldPids.forEach(p -> args.add(Long.toString(p)));
        }
        return args;
    }

    public List<String> systemctl(String verb, String service) {
        return verb.equals("is-active")
                ? List.of(systemctl, "is-active", "--quiet", service)
                : List.of(systemctl, verb, service);
    }
}
