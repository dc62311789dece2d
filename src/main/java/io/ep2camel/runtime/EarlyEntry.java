package io.ep2camel.runtime;

import io.ep2camel.model.Backend;
import io.ep2camel.render.ServerLineFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * update_by_config: the servers a round adds enter the running HAProxy over its socket before the
 * round's reload, health-gated as update_by_runtime adds them ({@code add server} with weight 0,
 * checks on, DOWN until the first check passes, then the wanted weight). The reload still follows and
 * the config file stays the truth; what this buys is the reload's time (render, {@code haproxy -c},
 * the master's reload: about half a second under load) — a new server is checked and serves as soon
 * as it answers instead of after the reload. The new workers take the entered server's state (UP or
 * still DOWN) from the state file the reload saves, so the gate holds across the reload.
 * <p>
 * Where HAProxy refuses a command (older than 2.4, a backend whose balance algorithm cannot take
 * dynamic servers, a server of that name still there) the server simply enters with the reload, as
 * before. If the round then fails, the servers it entered are withdrawn ({@link #withdrawal}): a
 * failed round leaves HAProxy as it was.
 */
public final class EarlyEntry {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyEntry.class);
    /**
     * HAProxy's answer to an {@code add server} it carried out (2.4 to 3.x). Read positively: a
     * refusal is worded per cause and version ("Backend must use a dynamic load balancing ...",
     * "Already exists a server ...", an unknown keyword), and a server counted as entered that is not
     * would be withdrawn by name after a failed round.
     */
    static final String ADDED = "New server registered.";

    /** One pool's new servers: its backend, its server line options, the backends it gains. */
    public record NewServers(String backend, ServerLineFormat format, List<Backend> added) {
        public NewServers {
            added = List.copyOf(added);
        }
    }

    private EarlyEntry() {
    }

    /** One {@code show servers state <backend>} per pool: which of its new servers HAProxy already has. */
    public static List<String> stateQueries(List<NewServers> pools) {
        return pools.stream().map(p -> "show servers state " + p.backend()).toList();
    }

    /**
     * The new servers HAProxy does not have yet. One it already has (kept in maintenance, put there
     * by hand) is left to the reload: the follow-up commands would otherwise act on that server. A
     * pool whose backend HAProxy does not know (a new backend the reload brings) is left out whole.
     *
     * @param replies the answers to {@link #stateQueries}, in order
     */
    public static List<NewServers> absent(List<NewServers> pools, List<String> replies) {
        List<NewServers> out = new ArrayList<>();
        for (int i = 0; i < pools.size() && i < replies.size(); i++) {
            NewServers p = pools.get(i);
            Set<String> known;
            try {
                known = RuntimeReplies.serversState(replies.get(i)).stream().map(ServerState::name).collect(Collectors.toSet());
            } catch (IllegalArgumentException e) {
                LOG.debug("{}: its servers enter with the reload ({})", p.backend(), e.getMessage());
                continue;
            }
            List<Backend> added = p.added().stream().filter(b -> !known.contains(b.serverName())).toList();
            if (!added.isEmpty()) {
                out.add(new NewServers(p.backend(), p.format(), added));
            }
        }
        return out;
    }

    /**
     * The batch that enters every new server: {@code experimental-mode on} first (HAProxy 2.4 and
     * 2.5 need it for {@code add server}; later versions accept it), then each server as
     * update_by_runtime adds one ({@link SlotPlanner#gatedAdd}).
     */
    public static List<String> commands(List<NewServers> pools) {
        List<String> cmds = new ArrayList<>();
        for (NewServers p : pools) {
            for (Backend b : p.added()) {
                if (cmds.isEmpty()) {
                    cmds.add(SlotPlanner.EXPERIMENTAL_MODE);
                }
                cmds.addAll(SlotPlanner.gatedAdd(p.backend(), b.serverName(), b, p.format()));
            }
        }
        return cmds;
    }

    /**
     * The servers ({@code backend/name}) HAProxy added ({@link #ADDED}), read from its replies to {@link #commands};
     * each one it refused is logged with its reply: that server enters with the reload.
     */
    public static List<String> entered(List<String> commands, List<String> replies) {
        List<String> entered = new ArrayList<>();
        for (int i = 0; i < commands.size() && i < replies.size(); i++) {
            if (!commands.get(i).startsWith("add server ")) {
                continue;
            }
            String server = commands.get(i).split(" ", 4)[2];
            if (replies.get(i).contains(ADDED)) {
                entered.add(server);
            } else {
                LOG.info("{} not added ahead of the reload ({}): it enters with the reload", server,
                        replies.get(i).lines().findFirst().orElse("(no answer)").strip());
            }
        }
        return entered;
    }

    /** The batch that takes entered servers out again (maintenance, then deleted) after a failed round. */
    public static List<String> withdrawal(List<String> entered) {
        List<String> cmds = new ArrayList<>();
        cmds.add(SlotPlanner.EXPERIMENTAL_MODE);
        for (String server : entered) {
            cmds.add("set server " + server + " state maint");
            cmds.add("shutdown sessions server " + server);
            cmds.add("del server " + server);
        }
        return cmds;
    }
}
