package io.ep2camel.reload;

/** A command ended with a non-zero exit code; the message carries the command's own output. */
public class CommandFailedException extends Exception {
    public CommandFailedException(String what, CommandResult result) {
        super(what + " failed (exit " + result.exitCode() + "): " + result.message());
    }
}
