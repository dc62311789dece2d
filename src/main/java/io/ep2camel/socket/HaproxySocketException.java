package io.ep2camel.socket;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A batch could not be run on an HAProxy socket (missing socket, refused, timeout, broken reply
 * framing), or HAProxy answered some of its commands with an error message. In the latter case
 * the whole batch did run and {@link #getFailures()} holds each rejected command with its reply.
 */
public class HaproxySocketException extends RuntimeException {

    /** One command HAProxy rejected, with its full reply text. */
    public record FailedCommand(String command, String reply) implements Serializable {
    }

    private final String socket;
    private final List<FailedCommand> failures;

    /** @param socket the socket's address as HAProxy writes it (a path, ipv4@host:port ...) */
    public HaproxySocketException(String socket, String problem, Throwable cause) {
        super(socket + ": " + problem, cause);
        this.socket = socket;
        this.failures = List.of();
    }

    public HaproxySocketException(String socket, List<FailedCommand> failures) {
        super(socket + ": HAProxy rejected " + failures.size() + " command(s): " + describe(failures));
        this.socket = socket;
        this.failures = List.copyOf(failures);
    }

    /** The socket (path or ipv4@/ipv6@ address) the failure happened on. */
    public String getSocket() {
        return socket;
    }

    /** Commands HAProxy answered with an error, in batch order; empty for I/O failures. */
    public List<FailedCommand> getFailures() {
        return failures;
    }

    /** Whether HAProxy answered (some commands were rejected), as opposed to not being reached at all. */
    public boolean isErrorReply() {
        return !failures.isEmpty();
    }

    // First reply line only: "Unknown command" replies go on with HAProxy's whole help text
    private static String describe(List<FailedCommand> failures) {
        return failures.stream()
                .map(f -> "[" + f.command() + "] -> " + f.reply().lines().findFirst().orElse(""))
                .collect(Collectors.joining("; "));
    }
}
