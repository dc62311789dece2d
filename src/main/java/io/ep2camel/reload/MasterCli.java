package io.ep2camel.reload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HAProxy's master CLI ({@code -S <socket>}): one command per connection, the answer read until
 * HAProxy closes it. Two commands are used: {@code show proc} (the master, its reload count and
 * failed reloads, the workers with their generation) and {@code reload}.
 */
public final class MasterCli {
    private final Path socket;
    private final Duration timeout;

    public MasterCli(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public Path socket() {
        return socket;
    }

    /**
     * Whether a master answers within {@code patience}, asked every 20 ms: after each start and
     * reload the master re-executes itself ("wait mode") and refuses connections for a moment; a
     * file left by a stopped HAProxy refuses them for good.
     */
    public boolean answersWithin(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                if (showProc().isPresent()) {
                    return true;
                }
            } catch (IOException e) {
                // refused while the master re-executes, or nobody there: asked again until the deadline
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** {@code show proc}, parsed; empty when the answer has no master line. */
    public Optional<Processes> showProc() throws IOException {
        return Processes.parse(send("show proc"));
    }

    /** {@code reload}: from 2.7 on the answer is "Success=1|0", "--" and the start-up messages; 2.6 answers nothing. */
    public String reload() throws IOException {
        return send("reload");
    }

    String send(String command) throws IOException {
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ep2-master-cli");
            t.setDaemon(true);
            return t;
        });
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            // the end of the request: the master CLI answers a non-interactive session once its input ends
            channel.shutdownOutput();
            Future<byte[]> answer = reader.submit(() -> Channels.newInputStream(channel).readAllBytes());
            try {
                return new String(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            } catch (TimeoutException e) {
                throw new IOException("master CLI " + socket + ": no complete answer to '" + command + "' within "
                        + timeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the master CLI", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("master CLI " + socket + ": " + e.getCause().getMessage(), e.getCause());
            }
        } finally {
            reader.shutdownNow();
        }
    }

    /**
     * {@code show proc} as 2.6 and 3.0 print it: {@code #<PID> <type> <reloads> <uptime> <version>},
     * the master ("1234 master 3 [failed: 0] ..."), then "# workers" and one line per worker, whose
     * reloads column is its generation (0 for the newest). Lines are read by their type column.
     */
    public record Processes(long masterPid, int reloads, int failedReloads, List<Worker> workers) {
        public record Worker(long pid, int generation) {
        }

        static Optional<Processes> parse(String answer) {
            Long master = null;
            int reloads = 0;
            int failed = 0;
            List<Worker> workers = new ArrayList<>();
            boolean inWorkers = false;
            for (String line : answer.lines().toList()) {
                String l = line.strip();
                if (l.startsWith("#")) {
                    inWorkers = l.startsWith("# workers");
                    continue;
                }
                String[] f = l.split("\\s+");
                if (f.length < 3 || !f[0].matches("[0-9]+") || !f[2].matches("[0-9]+")) {
                    continue;
                }
                if (f[1].equals("master")) {
                    master = Long.parseLong(f[0]);
                    reloads = Integer.parseInt(f[2]);
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[failed: ([0-9]+)]").matcher(l);
                    failed = m.find() ? Integer.parseInt(m.group(1)) : 0;
                } else if (inWorkers && f[1].equals("worker")) {
                    workers.add(new Worker(Long.parseLong(f[0]), Integer.parseInt(f[2])));
                }
            }
            return master == null ? Optional.empty() : Optional.of(new Processes(master, reloads, failed, List.copyOf(workers)));
        }

        /** The pids of the newest generation (reloads column 0). */
        public List<Long> newestWorkers() {
            return workers.stream().filter(w -> w.generation() == 0).map(Worker::pid).toList();
        }
    }
}
