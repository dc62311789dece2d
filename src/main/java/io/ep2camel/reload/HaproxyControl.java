package io.ep2camel.reload;

import io.ep2camel.config.StartBy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Starts or reloads HAProxy the way ep2.conf says: the binary (master-worker; started with its
 * master CLI and reloaded through it, or EP2's way: a new master, -x socket handover, -sf) or systemd.
 */
public class HaproxyControl {
    private static final Logger LOG = LoggerFactory.getLogger(HaproxyControl.class);
    // compiled once: in update_by_config the pid file is read for every unchanged answer, each poll
    // tick (AppliedSetDiff: is HAProxy still running?)
    private static final Pattern PID = Pattern.compile("[0-9]+");
    /** Each master CLI answer; 3.0 answers reload once the new workers loaded the config. */
    private static final Duration MASTER_CLI_TIMEOUT = Duration.ofSeconds(30);
    /** 2.6 answers reload with nothing: how long its master may take to re-execute and count the reload. */
    private static final Duration RELOAD_COUNTED_WITHIN = Duration.ofSeconds(30);
    /**
     * A master started with this master CLI re-executes itself after every start and reload and
     * refuses connections meanwhile (HAProxy's mworker_reexec_waitmode): how long a reload waits
     * for it before taking it as gone.
     */
    private static final Duration MASTER_CLI_BACK_WITHIN = Duration.ofSeconds(5);

    private final ExecCommandRunner runner;
    private final HaproxyCommands commands;
    private final StartBy startBy;
    private final Path config;
    private final Path pidFile;
    private final Optional<Path> socket;
    private final String service;
    private final Optional<MasterCli> master;
    /** Processes the reloads soft-stopped (previous workers, EP2's way the old master) that may still run. */
    private final java.util.Set<Long> softStopped = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** "Reloaded EP2's way" is said once: each such reload starts a new master without the master CLI again. */
    private final java.util.concurrent.atomic.AtomicBoolean ep2WayLogged = new java.util.concurrent.atomic.AtomicBoolean();

    public HaproxyControl(ExecCommandRunner runner, HaproxyCommands commands, StartBy startBy, Path config,
                          Path pidFile, Optional<Path> socket, String service) {
        this(runner, commands, startBy, config, pidFile, socket, service, Optional.empty());
    }

    /** @param masterSocket where HAProxy is started with its master CLI (-S), through which it is reloaded */
    public HaproxyControl(ExecCommandRunner runner, HaproxyCommands commands, StartBy startBy, Path config,
                          Path pidFile, Optional<Path> socket, String service, Optional<Path> masterSocket) {
        this.master = masterSocket.map(m -> new MasterCli(m, MASTER_CLI_TIMEOUT));
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
        // the running master's command line, read once: whether it has our master CLI, and which config it runs
        Optional<List<String>> argv = running.isEmpty() || master.isEmpty() ? Optional.empty() : masterArgv(running.get(0));
        if (running.isEmpty()) {
            require("haproxy start", runner.run(master.map(m -> commands.start(config, pidFile, m.socket()))
                    .orElseGet(() -> commands.start(config, pidFile))));
            LOG.info("HAProxy started (pid file {}{})", pidFile, master.map(m -> ", master CLI " + m.socket()).orElse(""));
        } else if (master.isPresent() && masterCliAnswers(argv) && startedWithThisConfig(running.get(0), argv)) {
            new MasterReload(master.get(), RELOAD_COUNTED_WITHIN).run(this::softStopping);
        } else {
            if (master.isPresent() && ep2WayLogged.compareAndSet(false, true)) {
                LOG.warn("HAProxy (master {}) has no master CLI at {}: it was started without it (by hand, by EP2 or an older "
                        + "ep2-camel), so it is reloaded EP2's way, a new master each time (-x, -sf), until it is restarted",
                        running.get(0), master.get().socket());
            }
            // -x only when the socket exists: HAProxy refuses to start when it cannot reach it
            Path sock = socket.filter(Files::exists).orElse(null);
            softStopping(running);
            require("haproxy reload", runner.run(commands.reload(config, pidFile, sock, running)));
            LOG.info("HAProxy reloaded, old pids {} soft-stopped", running);
        }
    }

    /**
     * Whether the running master answers on the master CLI. One started with {@code -S <this socket>}
     * is waited for (it may be re-executing itself after the previous start or reload); any other
     * is asked once, so that a HAProxy started without it is reloaded EP2's way at once.
     */
    private boolean masterCliAnswers(Optional<List<String>> masterArgv) {
        MasterCli cli = master.orElseThrow();
        // a command line that cannot be read says nothing: the socket being there is the best sign left
        boolean startedWithIt = masterArgv.map(argv -> {
            int s = argv.indexOf("-S");
            return s >= 0 && s + 1 < argv.size() && argv.get(s + 1).split(",", 2)[0].equals(cli.socket().toString());
        }).orElseGet(() -> Files.exists(cli.socket()));
        return cli.answersWithin(startedWithIt ? MASTER_CLI_BACK_WITHIN : Duration.ZERO);
    }

    /**
     * A master CLI reload re-reads the file the master was started with: only when that is this
     * controller's config is it the reload wanted (Linux: the master's command line in /proc;
     * where that cannot be read, the master is taken as started by this controller).
     */
    private boolean startedWithThisConfig(long masterPid, Optional<List<String>> masterArgv) {
        List<String> argv = masterArgv.orElse(List.of());
        int f = argv.indexOf("-f");
        boolean same = f < 0 || f + 1 >= argv.size()
                || Path.of(argv.get(f + 1)).toAbsolutePath().normalize().equals(config.toAbsolutePath().normalize());
        if (!same) {
            LOG.warn("HAProxy (master {}) runs {}, not {}: reloaded EP2's way (a new master) so that it loads {}",
                    masterPid, argv.get(f + 1), config, config);
        }
        return same;
    }

    /**
     * The master's command line (Linux: /proc/PID/cmdline); empty where it cannot be read. While the
     * master re-executes itself (after each start and reload) the kernel shows an empty or cut command
     * line for a moment ("" or "/"; measured: about 1 read in 200 around ten reloads): it is read again
     * until whole (each argument ends in NUL), or a reload at that moment would take the master CLI
     * as absent and start a new master.
     */
    static Optional<List<String>> masterArgv(long masterPid) {
        Path cmdline = Path.of("/proc", Long.toString(masterPid), "cmdline");
        long deadline = System.nanoTime() + MASTER_CLI_BACK_WITHIN.toNanos();
        try {
            while (true) {
                String text = Files.readString(cmdline);
                if (text.endsWith("\0")) {
                    return Optional.of(Arrays.asList(text.split("\0")));
                }
                if (System.nanoTime() >= deadline || !alive(masterPid)) {
                    return Optional.empty();
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when HAProxy runs (pid file points at live processes, or systemd says active). */
    public boolean isRunning() throws IOException {
        if (startBy == StartBy.SYSTEMD) {
            return runner.run(commands.systemctl("is-active", service)).ok();
        }
        return !runningPids().isEmpty();
    }

    /** {@link #isRunning()} for a caller that cannot act on an error: one that cannot tell counts as not running. */
    public boolean runs() {
        try {
            return isRunning();
        } catch (IOException e) {
            LOG.warn("whether HAProxy runs is not known: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Whether a process a reload soft-stopped still runs: it finishes the connections it had, to a
     * server the new config left out as well. Empty where that cannot be known (systemd reloads).
     */
    public Optional<Boolean> softStoppedRunning() {
        if (startBy == StartBy.SYSTEMD) {
            return Optional.empty();
        }
        softStopped.removeIf(pid -> !alive(pid));
        return Optional.of(!softStopped.isEmpty());
    }

    /**
     * The workers a reload is about to soft-stop; those gone since are dropped here, so the set
     * stays small when nobody asks {@link #softStoppedRunning()} (no lifecycle hooks).
     */
    private void softStopping(List<Long> pids) {
        softStopped.removeIf(pid -> !alive(pid));
        softStopped.addAll(pids);
    }

    /** Alive and not a zombie (a container's pid 1 may never reap an orphaned old master). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) != 'Z' && stat.charAt(end + 2) != 'X';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
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
                    .filter(s -> PID.matcher(s).matches())
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
