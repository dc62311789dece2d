package io.ep2camel.socket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs batches of commands on HAProxy's runtime API over a UNIX stats socket (JDK 16+ UNIX
 * channels, no native code), and holds what every transport shares: the request, the reply
 * framing, command validation and error detection ({@link NettyCliTransport} is the TCP one).
 * Plain Java so it is testable and usable without Camel.
 *
 * <p>One connection per batch: the client sends {@code prompt}, every command, then {@code quit},
 * all at once. In interactive ("prompt") mode HAProxy follows each command's output with the
 * prompt {@code "\n> "}, so the transcript is
 * {@code <reply to prompt> "\n> " <reply 1> "\n> " ... <reply n> "\n> "} and then end of stream
 * (quit). Splitting on the prompt gives exactly one reply per command, and a count mismatch
 * reveals a lost framing instead of silently pairing replies with the wrong commands.
 */
public final class HaproxySocketClient {

    private static final String PROMPT = "\n> ";

    /**
     * "[3]: " / "[err]: " in front of messages when the template's {@code stats socket} line has
     * {@code severity-output number|string} (or a session ran {@code set severity-output}): the
     * controller never asks for it, an operator's template may.
     */
    private static final Pattern SEVERITY = Pattern.compile("^\\[(\\d|emerg|alert|crit|err|warning|notice|info|debug)]: ");
    private static final Set<String> ERROR_SEVERITIES = Set.of("0", "1", "2", "3", "emerg", "alert", "crit", "err");

    /**
     * How HAProxy 2.6's CLI error messages begin (observed on the binary and taken from its
     * message strings). Only the start of a reply is tested: data dumped by {@code show ...}
     * commands may contain any text further down.
     */
    private static final List<String> ERROR_PREFIXES = List.of(
            "No such ",                      // No such backend. / No such server. / No such proxy. / No such table
            "Unknown ",                      // Unknown command... / Unknown action / Unknown data type
            "unknown keyword ",              // add server with a bad keyword
            "Require ", "Required ",         // Require 'backend/server'. / Require <weight> or <weight%>.
            "Invalid ", "invalid ",          // Invalid addr '...' by 'stats socket command'
            "Can't ", "Cannot ", "cannot ",  // Can't find backend. (show servers state nosuch)
            "Could not ", "could not ", "unable to ", "Failed to ", "failed to ",
            "Permission denied",             // command above the socket's level
            "This command is restricted",    // 2.4/2.5: add/del server outside experimental-mode
            "usage: ",                       // set server without a known option
            "'",                             // 'set server <srv> state' expects ... / 'server' expects ...
            "set server <b>/<s> ",           // ... addr requires an address / fqdn failed because ...
            "Only servers in maintenance mode can be deleted",
            "Server still has connections", "This server cannot be removed",
            "Already exists a server",
            "Backend must use a dynamic", "Backend is using a static LB",
            "Empty weight", "Trailing garbage", "Relative weight must", "Absolute weight can only",
            "weight of server ", "maxconn string empty",
            "agent checks are not enabled", "health checks are not enabled",
            "Health check was not configured", "Agent was not configured",
            "Proxy is disabled", "Session not found", "Key value expected",
            "Update to families", "Update for the current server address",
            "MUX protocol is not usable", "character '", "Wrong ",
            "error ", "Error ");

    /**
     * {@code set server ... addr A port P} reports address and port in one line, e.g. "IP changed
     * from 'x' to 'y', problem converting port 'abc' to an int by 'stats socket command'":
     * a rejected port can follow an accepted address, so these are searched in the whole first line.
     */
    private static final List<String> ERROR_FRAGMENTS = List.of(
            "problem converting port", "can't change <port>", "can't unset 'port'", "provided port is ",
            "Could not understand IP address format", "not configured on this server");

    private final Duration timeout;

    /** @param timeout limit for connecting and for each wait for HAProxy to take or send data */
    public HaproxySocketClient(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * Sends all commands on one connection to {@code socket} and returns HAProxy's replies, one per
     * command in order, each without its final line break ("" for silent commands). Error replies
     * are returned like any other: see {@link #requireNoErrorReplies}.
     *
     * @throws IllegalArgumentException if any command is invalid; then nothing is sent at all
     * @throws HaproxySocketException   if the socket cannot be reached or the answer is incomplete
     */
    public List<String> execute(Path socket, List<String> commands) {
        String request = request(commands);
        if (commands.isEmpty()) {
            return List.of();
        }
        byte[] transcript = exchange(socket, ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
        return replies(socket.toString(), commands.size(), new String(transcript, StandardCharsets.UTF_8));
    }

    /**
     * What goes over the connection for a batch, whatever the transport: {@code prompt}, every
     * command, {@code quit}.
     * @throws IllegalArgumentException if any command is invalid; then nothing may be sent at all
     */
    static String request(List<String> commands) {
        commands.forEach(HaproxySocketClient::validate);
        StringBuilder request = new StringBuilder("prompt\n");
        commands.forEach(c -> request.append(c).append('\n'));
        return request.append("quit\n").toString();
    }

    /**
     * Rejects what would not reach HAProxy as exactly one command: line breaks and ';' would split
     * it, a trailing "&lt;&lt;" would make it swallow the following commands as payload, and
     * "prompt"/"quit" would break the session this client relies on.
     */
    public static void validate(String command) {
        if (command == null || command.isBlank()) {
            // HAProxy answers an empty line with "Unknown command" and its help text
            throw new IllegalArgumentException("empty HAProxy command");
        }
        if (command.chars().anyMatch(c -> c == ';' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("HAProxy command must be one line without ';' or control characters: "
                    + escape(command));
        }
        String stripped = command.strip();
        if (stripped.endsWith("<<")) {
            throw new IllegalArgumentException("HAProxy payload commands (ending in '<<') are not supported: " + command);
        }
        String verb = stripped.split(" +", 2)[0];
        if (verb.equals("prompt") || verb.equals("quit")) {
            throw new IllegalArgumentException("'" + verb + "' is reserved for the client's own session: " + command);
        }
    }

    /** Whether a reply (as returned by {@link #execute}) is one of HAProxy's error messages. */
    public static boolean isErrorReply(String reply) {
        String line = reply.lines().findFirst().orElse("");
        Matcher severity = SEVERITY.matcher(line);
        if (severity.find()) {
            if (ERROR_SEVERITIES.contains(severity.group(1))) {
                return true;
            }
            line = line.substring(severity.end());
        }
        String text = line;
        return ERROR_PREFIXES.stream().anyMatch(text::startsWith) || ERROR_FRAGMENTS.stream().anyMatch(text::contains);
    }

    /** Throws, listing every command of the batch HAProxy answered with an error. */
    public static void requireNoErrorReplies(String socket, List<String> commands, List<String> replies) {
        List<HaproxySocketException.FailedCommand> failed = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            if (isErrorReply(replies.get(i))) {
                failed.add(new HaproxySocketException.FailedCommand(commands.get(i), replies.get(i)));
            }
        }
        if (!failed.isEmpty()) {
            throw new HaproxySocketException(socket, failed);
        }
    }

    /**
     * Writes the request while reading the answer: with a large batch HAProxy stops reading
     * commands once its output is not being consumed, so write-then-read could deadlock.
     * The timeout bounds each wait, not the whole batch, so big batches are not cut short
     * while HAProxy keeps answering.
     */
    private byte[] exchange(Path socket, ByteBuffer request) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            boolean connected;
            try {
                connected = channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new HaproxySocketException(socket.toString(), "cannot connect: " + reason(e), e);
            }
            SelectionKey key = channel.register(selector,
                    connected ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT);
            ByteArrayOutputStream transcript = new ByteArrayOutputStream();
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long lastProgress = System.nanoTime();
            while (true) {
                long waitMillis = timeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgress);
                if (waitMillis <= 0) {
                    throw new HaproxySocketException(socket.toString(), (channel.isConnected() ? "no answer from HAProxy"
                            : "could not connect") + " within " + timeout.toMillis() + " ms", null);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new HaproxySocketException(socket.toString(), "interrupted while talking to HAProxy", null);
                }
                if (selector.select(waitMillis) == 0) {
                    continue; // woken early without anything ready: the deadline above decides
                }
                lastProgress = System.nanoTime();
                selector.selectedKeys().clear();
                if (key.isConnectable()) {
                    channel.finishConnect();
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    continue;
                }
                if (key.isWritable()) {
                    channel.write(request);
                    if (!request.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isReadable()) {
                    chunk.clear();
                    int read = channel.read(chunk);
                    if (read < 0) {
                        return transcript.toByteArray();
                    }
                    transcript.write(chunk.array(), 0, read);
                }
            }
        } catch (IOException e) {
            throw new HaproxySocketException(socket.toString(), "cannot talk to HAProxy: " + reason(e), e);
        }
    }

    /** A batch's transcript split at the prompts: one reply per command, or an exception naming the socket. */
    static List<String> replies(String socket, int expected, String transcript) {
        String[] parts = transcript.split(Pattern.quote(PROMPT), -1);
        // parts[0] answers "prompt", the last part is what follows the final prompt: nothing
        int replies = parts.length - 2;
        if (replies != expected || !parts[parts.length - 1].isEmpty()) {
            throw new HaproxySocketException(socket, "expected " + expected + " replies separated by prompts but got "
                    + Math.max(replies, 0) + " (HAProxy closed early, or a reply contained a line starting with '> ');"
                    + " answer ends with: " + escape(tail(transcript)), null);
        }
        List<String> result = new ArrayList<>(expected);
        for (int i = 1; i <= expected; i++) {
            String reply = parts[i];
            result.add(reply.endsWith("\n") ? reply.substring(0, reply.length() - 1) : reply);
        }
        return result;
    }

    private static String reason(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String tail(String text) {
        return text.length() <= 200 ? text : "..." + text.substring(text.length() - 200);
    }

    /** Makes control characters visible in messages, so a rejected command prints on one line. */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        });
        return out.toString();
    }
}
