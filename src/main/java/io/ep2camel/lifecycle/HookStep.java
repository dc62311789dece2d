package io.ep2camel.lifecycle;

/**
 * What the progress check decided for one held action: wait (with a heartbeat when one is due),
 * complete it with CONTINUE or ABANDON, or let it go because Auto Scaling no longer has it
 * (LOST: completed by another node, or timed out); {@code why} is the log line's reason.
 */
public record HookStep(PendingHook hook, Kind kind, String why) {
    public enum Kind {
        WAIT, CONTINUE, ABANDON, LOST
    }

    /** To be completed with CompleteLifecycleAction. */
    public boolean finished() {
        return kind == Kind.CONTINUE || kind == Kind.ABANDON;
    }

    public boolean waiting() {
        return kind == Kind.WAIT;
    }

    public boolean lost() {
        return kind == Kind.LOST;
    }

    /** CompleteLifecycleAction's LifecycleActionResult. */
    public String result() {
        return kind.name();
    }

    public String receiptHandle() {
        return hook.receiptHandle();
    }
}
