package io.ep2camel.reload;

import io.ep2camel.config.StartBy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Starts or reloads HAProxy the way ep2.conf says: the binary
 * (master-worker, hitless, -x socket handover) or systemd.
 */
public class HaproxyControl {
    private static final Logger LOG = LoggerFactory.getLogger(HaproxyControl.class);

    private final ExecCommandRunner runner;
    private final HaproxyCommands commands;
    private final StartBy startBy;
    private final Path config;
    private final Path pidFile;
    private final Optional<Path> socket;
    private final String service;

    public HaproxyControl(ExecCommandRunner runner, HaproxyCommands commands, StartBy startBy, Path config,
                          Path pidFile, Optional<Path> socket, String service) {
        this.runner = runner;
        this.commands = commands;
        this.startBy = startBy;
        this.config = config;
        this.pidFile = pidFile;
        this.socket = socket;
        this.service = service;
    }

    /** Starts HAProxy when it is not running, else reloads it. */
    public void reloadOrStart() throws IOException, CommandFailedException {
        if (startBy == StartBy.SYSTEMD) {
            boolean active = runner.run(commands.systemctl("is-active", service)).ok();
            String verb = active ? "reload" : "start";
            require("systemctl " + verb + " " + service, runner.run(commands.systemctl(verb, service)));
            LOG.info("HAProxy {}ed through systemd unit {}", verb, service);
            return;
        }
        List<Long> running = runningPids();
        if (running.isEmpty()) {
            require("haproxy start", runner.run(commands.start(config, pidFile)));
            LOG.info("HAProxy started (pid file {})", pidFile);
        } else {
            // -x only when the socket exists: HAProxy refuses to start when it cannot reach it
            Path sock = socket.filter(Files::exists).orElse(null);
            require("haproxy reload", runner.run(commands.reload(config, pidFile, sock, running)));
            LOG.info("HAProxy reloaded, old pids {} soft-stopped", running);
        }
    }

    /** True when HAProxy runs (pid file points at live processes, or systemd says active). */
    public boolean isRunning() throws IOException {
        if (startBy == StartBy.SYSTEMD) {
            return runner.run(commands.systemctl("is-active", service)).ok();
        }
        return !runningPids().isEmpty();
    }

    /** The running master's pid (binary mode, from the pid file); empty under systemd or when none runs. */
    public Optional<Long> masterPid() {
        return startBy == StartBy.SYSTEMD ? Optional.empty() : runningPids().stream().findFirst();
    }

    /** Pids from the pid file whose processes are alive. */
    List<Long> runningPids() {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return List.of();
            }
            return Arrays.stream(Files.readString(pidFile).trim().split("\\s+"))
                    .filter(s -> s.matches("[0-9]+"))
                    .map(Long::valueOf)
                    .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .toList();
        } catch (IOException e) {
            LOG.warn("cannot read pid file {}: {}", pidFile, e.getMessage());
            return List.of();
        }
    }

    private static void require(String what, CommandResult r) throws CommandFailedException {
        if (!r.ok()) {
            throw new CommandFailedException(what, r);
        }
    }
}
