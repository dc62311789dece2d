package io.ep2camel.lifecycle;

import java.time.Instant;
import java.util.Optional;

/**
 * One lifecycle action ep2-camel holds: the notice, the SQS message it came in (kept in the
 * queue until the action is completed, so a controller restarted meanwhile reads it again), and
 * what the progress checks learnt on the way.
 */
public final class PendingHook {
    private final LifecycleNotice notice;
    private final Instant receivedAt;
    private volatile String receiptHandle;
    private volatile Instant lastHeartbeat;
    private volatile String address;
    private volatile boolean instanceGone;
    private volatile Instant nextLookup;

    PendingHook(LifecycleNotice notice, String receiptHandle, Instant receivedAt) {
        this.notice = notice;
        this.receiptHandle = receiptHandle;
        this.receivedAt = receivedAt;
        this.lastHeartbeat = startedAt();
        this.nextLookup = receivedAt;
    }

    /**
     * When Auto Scaling started the action (the notification's Time): its heartbeat timeout and a
     * launch's lifecycle_launch_timeout run from there, however late the message was read (a
     * controller restarted mid-hook). A Time ahead of this host's clock counts as the receipt.
     */
    public Instant startedAt() {
        return notice.time().isBefore(receivedAt) ? notice.time() : receivedAt;
    }

    public LifecycleNotice notice() {
        return notice;
    }

    /** When this controller first read the message: a terminating instance's drain runs from there. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** The newest receipt handle: SQS deletes a message redelivered since only with its latest one. */
    public String receiptHandle() {
        return receiptHandle;
    }

    void receivedAgain(String handle) {
        if (handle != null) {
            receiptHandle = handle;
        }
    }

    public Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    public void heartbeatSent(Instant at) {
        lastHeartbeat = at;
    }

    /** The instance's server address (host:port) as the aws orchestrator writes it, once EC2 told it. */
    public Optional<String> address() {
        return Optional.ofNullable(address);
    }

    /** EC2 no longer reports the instance running: there is no server left to wait for. */
    public boolean instanceGone() {
        return instanceGone;
    }

    void located(String address) {
        this.address = address;
    }

    void gone() {
        this.instanceGone = true;
    }

    /** When EC2 may be asked again after a failed lookup (no call every progress tick). */
    Instant nextLookup() {
        return nextLookup;
    }

    void lookupFailed(Instant retryAt) {
        nextLookup = retryAt;
    }

    @Override
    public String toString() {
        return notice.toString();
    }
}
