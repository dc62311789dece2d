package io.ep2camel.lifecycle;

import io.ep2camel.model.HostNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lifecycle actions one pool holds, by token. The queue route hands every message to
 * {@link #receive}, which says what it is: a new action (held; its message stays in the queue
 * until the action is completed), one already held (SQS delivers an unfinished message again
 * after its visibility timeout: only the newer receipt handle is kept), one completed before, a
 * test notification, another group's, or a malformed message — the last four are dropped.
 */
public final class LifecycleHooks {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleHooks.class);
    /** Tokens completed lately, to know a late duplicate; older ones AWS refuses itself. */
    private static final int REMEMBERED = 1000;

    public enum Outcome {
        NEW, HELD, DONE_BEFORE, TEST, FOREIGN, MALFORMED
    }

    /** What a message was; {@code text} is the log line. */
    public record Receipt(Outcome outcome, String text) {
        /** A new action: fetch and apply at once. */
        public boolean startsRound() {
            return outcome == Outcome.NEW;
        }

        /** Nothing to act on: the message is deleted. */
        public boolean dropped() {
            return outcome != Outcome.NEW && outcome != Outcome.HELD;
        }
    }

    private final String backend;
    private final Set<String> groups;
    private final Clock clock;
    private final Map<String, PendingHook> held = new ConcurrentHashMap<>();
    private final Set<String> completed = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));
    private final MeterRegistry meters;

    /** @param groups the pool's asg_name: one group or several, comma separated */
    public LifecycleHooks(String backend, String groups, Clock clock, MeterRegistry meters) {
        this.backend = backend;
        this.groups = Set.copyOf(Arrays.stream(groups.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList());
        this.clock = clock;
        this.meters = meters;
    }

    public String backend() {
        return backend;
    }

    /** Reads one message; says, and logs, what it is. */
    public Receipt receive(String body, String receiptHandle) {
        Receipt r = read(body, receiptHandle);
        switch (r.outcome()) {
            case NEW, TEST -> LOG.info(r.text());
            case HELD -> LOG.debug(r.text());
            default -> LOG.warn(r.text());
        }
        return r;
    }

    private Receipt read(String body, String receiptHandle) {
        LifecycleNotice.Read read = LifecycleNotice.read(body);
        if (read instanceof LifecycleNotice.Malformed m) {
            count("dropped", "malformed");
            return new Receipt(Outcome.MALFORMED, "lifecycle: message dropped, not a lifecycle notification for "
                    + backend + ": " + m.reason());
        }
        if (read instanceof LifecycleNotice.Test t) {
            if (!groups.contains(t.group())) {
                count("dropped", "foreign");
                return new Receipt(Outcome.FOREIGN, "lifecycle: test notification of Auto Scaling group '"
                        + HostNames.sanitize(t.group()) + "' dropped: " + backend + " watches " + groups);
            }
            return new Receipt(Outcome.TEST, "lifecycle: Auto Scaling's test notification for group '" + t.group()
                    + "' received: the queue reaches ep2-camel");
        }
        LifecycleNotice n = ((LifecycleNotice.Notice) read).notice();
        if (!groups.contains(n.group())) {
            count("dropped", "foreign");
            return new Receipt(Outcome.FOREIGN, "lifecycle: " + n.transition().name().toLowerCase(java.util.Locale.ROOT)
                    + " notification of Auto Scaling group '" + HostNames.sanitize(n.group()) + "' dropped: " + backend
                    + " watches " + groups);
        }
        if (completed.contains(n.token())) {
            count("dropped", "duplicate");
            return new Receipt(Outcome.DONE_BEFORE, "lifecycle: " + n + " dropped: its action " + n.token()
                    + " was completed already (a duplicate)");
        }
        PendingHook before = held.putIfAbsent(n.token(), new PendingHook(n, receiptHandle, clock.instant()));
        if (before != null) {
            before.receivedAgain(receiptHandle);
            return new Receipt(Outcome.HELD, "lifecycle: " + n + " delivered again while held (SQS visibility "
                    + "timeout); still waiting for it");
        }
        count("received", n.transition().name().toLowerCase(java.util.Locale.ROOT));
        return new Receipt(Outcome.NEW, "lifecycle: " + n + " received (action " + n.token() + "): fetch + apply now");
    }

    /** Whether any action is held: the progress route has work. */
    public boolean waiting() {
        return !held.isEmpty();
    }

    public List<PendingHook> pending() {
        return List.copyOf(held.values());
    }

    /** The action is over (completed here, or found completed): it is let go and remembered. */
    public void completed(HookStep step) {
        LifecycleNotice n = step.hook().notice();
        completed.add(n.token());
        held.remove(n.token());
        count("completed", n.transition().name().toLowerCase(java.util.Locale.ROOT) + "_" + step.result().toLowerCase(java.util.Locale.ROOT));
        if (step.lost()) {
            LOG.warn("lifecycle: {} let go: {}", n, step.why());
        } else if (step.kind() == HookStep.Kind.ABANDON) {
            LOG.warn("lifecycle: {} completed with ABANDON: {}", n, step.why());
        } else {
            LOG.info("lifecycle: {} completed with CONTINUE: {}", n, step.why());
        }
    }

    private void count(String event, String kind) {
        Counter.builder("ep2_lifecycle_messages").description("lifecycle notifications: received, dropped, completed")
                .tag("backend", backend).tag("event", event).tag("kind", kind).register(meters).increment();
    }
}
