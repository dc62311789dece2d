package io.ep2camel.lifecycle;

import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.runtime.RuntimeReplies;
import io.ep2camel.runtime.ServerState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, from what HAProxy reports now, which held lifecycle actions are over:
 * <ul>
 *   <li>launching: CONTINUE once the instance's server is UP and has passed its health check
 *   (not merely started: a server a reload has just added counts as UP before its first check);
 *   ABANDON when lifecycle_launch_timeout passed first, counted from the action's start;</li>
 *   <li>terminating: CONTINUE once its server takes no more requests and has none left: gone from
 *   the backend, or in maintenance without sessions (update_by_runtime), and after a reload no
 *   soft-stopped worker still runs (update_by_config: they may be finishing a request to it); or
 *   when drain_timeout passed since the notification was read, sessions or not (as
 *   update_by_runtime's drain does; a message read late must not skip the drain).</li>
 * </ul>
 * Everything else waits. One reading of HAProxy serves every held action.
 */
public final class HookProgress {
    static final Duration ROUND_EVERY = Duration.ofSeconds(1);
    /** How often "HAProxy's state not read" is said while it lasts (the route tries every 250 ms). */
    static final Duration UNREAD_WARN_EVERY = Duration.ofSeconds(30);
    private final LifecycleHooks hooks;
    private final String backend;
    private final HaproxyControl control;
    private final Duration drainTimeout;
    private final Duration launchTimeout;
    private final Clock clock;
    /** A terminating action's server drains without sessions: a round would put it in maintenance. */
    private volatile boolean roundWanted;
    private volatile Instant lastRound = Instant.EPOCH;
    /** When "not read" was last said; cleared by a reading, so the next failure is said at once. */
    private volatile Instant lastUnreadWarn;

    public HookProgress(LifecycleHooks hooks, HaproxyControl control, Duration drainTimeout, Duration launchTimeout,
                        Clock clock) {
        this.hooks = hooks;
        this.backend = hooks.backend();
        this.control = control;
        this.drainTimeout = drainTimeout;
        this.launchTimeout = launchTimeout;
        this.clock = clock;
    }

    /** The progress route's read: the backend's servers and their current sessions. */
    public List<String> reads() {
        return List.of("show servers state " + backend, "show stat " + backend + " 4 -1");
    }

    /** @param replies the answers to {@link #reads()} */
    public List<HookStep> decide(List<String> replies) {
        if (replies == null || replies.size() < 2) {
            throw new IllegalArgumentException("HAProxy answered " + (replies == null ? 0 : replies.size())
                    + " of the 2 reads of backend " + backend);
        }
        List<ServerState> servers = RuntimeReplies.serversState(replies.get(0));
        Map<String, Integer> sessions = RuntimeReplies.currentSessions(replies.get(1));
        lastUnreadWarn = null;      // read: a later failure is said at once
        Instant now = clock.instant();
        List<HookStep> steps = new ArrayList<>();
        for (PendingHook h : hooks.pending()) {
            steps.add(h.notice().transition() == LifecycleNotice.Transition.LAUNCHING
                    ? launching(h, servers, now) : terminating(h, servers, sessions, now));
        }
        return steps;
    }

    private HookStep launching(PendingHook h, List<ServerState> servers, Instant now) {
        Optional<ServerState> s = h.address().flatMap(a -> find(servers, a));
        if (s.isPresent() && s.get().live() && s.get().upAfterCheck()) {
            return new HookStep(h, HookStep.Kind.CONTINUE, "HAProxy has " + s.get().name() + " (" + s.get().address()
                    + ") UP after its health check, " + Duration.between(h.receivedAt(), now).toMillis()
                    + " ms after the notification was read");
        }
        if (!now.isBefore(h.startedAt().plus(launchTimeout))) {
            String where = s.map(x -> x.name() + " (" + x.address() + ") not UP").orElseGet(() -> h.address()
                    .map(a -> "no server " + a + " in " + backend).orElse("its address unknown (EC2)"));
            return new HookStep(h, HookStep.Kind.ABANDON, "lifecycle_launch_timeout (" + launchTimeout.toSeconds()
                    + " s) passed, " + where);
        }
        return new HookStep(h, HookStep.Kind.WAIT, "not UP yet");
    }

    private HookStep terminating(PendingHook h, List<ServerState> servers, Map<String, Integer> sessions, Instant now) {
        if (h.instanceGone()) {
            return new HookStep(h, HookStep.Kind.CONTINUE, "EC2 no longer reports the instance running");
        }
        if (h.address().isEmpty()) {
            return timedOutOr(h, now, "address not known yet");
        }
        Optional<ServerState> s = find(servers, h.address().get());
        if (s.isPresent()) {
            ServerState server = s.get();
            int left = sessions.getOrDefault(server.name(), 0);
            if (server.draining() && left == 0) {
                roundWanted = true;
            }
            if (server.inMaintenance() && left == 0) {
                return new HookStep(h, HookStep.Kind.CONTINUE, server.name() + " (" + server.address()
                        + ") drained: in maintenance, no sessions left");
            }
            return timedOutOr(h, now, server.name() + (server.inMaintenance() ? " in maintenance with " + left
                    + " session(s)" : " still takes requests"));
        }
        Optional<Boolean> previous = control.softStoppedRunning();
        if (previous.isPresent() && !previous.get()) {
            return new HookStep(h, HookStep.Kind.CONTINUE, h.address().get() + " no longer in " + backend
                    + " and no previous worker still runs");
        }
        return timedOutOr(h, now, previous.isEmpty() ? "gone from " + backend + "; whether previous workers still "
                + "finish requests is unknown (systemd reload): waiting for drain_timeout"
                : "gone from " + backend + "; previous workers still finish their connections");
    }

    /**
     * Whether to run a round now: a terminating action's server was found draining without
     * sessions, and the last such round is {@link #ROUND_EVERY} ago (update_by_runtime puts a
     * drained server in maintenance only in a round).
     */
    public boolean roundDue() {
        Instant now = clock.instant();
        if (!roundWanted || now.isBefore(lastRound.plus(ROUND_EVERY))) {
            return false;
        }
        roundWanted = false;
        lastRound = now;
        return true;
    }

    /**
     * Whether the progress route says now that HAProxy's state could not be read: at the first
     * failure after a reading, then every {@link #UNREAD_WARN_EVERY} while it lasts (not four
     * lines a second while HAProxy is down or restarting).
     */
    public boolean unreadWarnDue() {
        Instant now = clock.instant();
        Instant last = lastUnreadWarn;
        if (last != null && now.isBefore(last.plus(UNREAD_WARN_EVERY))) {
            return false;
        }
        lastUnreadWarn = now;
        return true;
    }

    private HookStep timedOutOr(PendingHook h, Instant now, String waiting) {
        if (!now.isBefore(h.receivedAt().plus(drainTimeout))) {
            return new HookStep(h, HookStep.Kind.CONTINUE, "drain_timeout (" + drainTimeout.toSeconds()
                    + " s) passed: " + waiting);
        }
        return new HookStep(h, HookStep.Kind.WAIT, waiting);
    }

    private static Optional<ServerState> find(List<ServerState> servers, String address) {
        return servers.stream().filter(s -> s.address().equals(address)).findFirst();
    }
}
