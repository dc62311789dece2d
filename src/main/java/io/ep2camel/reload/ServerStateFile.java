package io.ep2camel.reload;

import io.ep2camel.render.ServerStateLines;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The servers' state file update_by_config saves before each reload ({@code show servers state},
 * all backends) and the new config loads. Written where the config about to be loaded reads it
 * (its {@code server-state-file}), atomically. What HAProxy answered is checked before it is
 * written: HAProxy reads the file back, so a reply that is not a state dump never reaches it.
 * When nothing can be saved (HAProxy not running, socket not answering), the file is emptied:
 * an old dump would give the new workers stale states, no dump gives them the config's.
 */
public class ServerStateFile {
    private static final Logger LOG = LoggerFactory.getLogger(ServerStateFile.class);
    /** HAProxy's state file format version: the first line of the dump and of the file. */
    private static final String VERSION = "1";
    /** A state file without servers: what HAProxy itself reads without a warning. */
    private static final String EMPTY = VERSION + "\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state\n";

    private final boolean enabled;
    private final AtomicBoolean unknownPathLogged = new AtomicBoolean();

    /** @param enabled update_by_config: its reloads carry the state over; update_by_runtime has no reloads to bridge */
    public ServerStateFile(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Writes HAProxy's {@code show servers state} answer to the state file of the config in
     * {@code content}; returns the number of servers saved.
     * @throws IOException when the answer is not a state dump, or the file cannot be written
     */
    public int save(@Body String reply, @ExchangeProperty(ConfigFiles.CONTENT) String content) throws IOException {
        Optional<Path> file = file(content);
        if (file.isEmpty()) {
            return 0;
        }
        List<String> lines = reply.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2 || !lines.get(0).strip().equals(VERSION) || !lines.get(1).startsWith("# ")) {
            throw new IOException("HAProxy's 'show servers state' answer is not a version " + VERSION + " state dump: "
                    + lines.stream().findFirst().orElse("(empty)"));
        }
        int columns = lines.get(1).substring(2).trim().split("\\s+").length;
        for (String row : lines.subList(2, lines.size())) {
            if (row.trim().split("\\s+").length < columns || row.chars().anyMatch(Character::isISOControl)) {
                throw new IOException("HAProxy's 'show servers state' answer has a malformed row: " + row);
            }
        }
        List<String> down = NewServerStates.downLines(content, lines.get(1), lines.subList(2, lines.size()));
        List<String> all = new java.util.ArrayList<>(lines);
        all.addAll(down);
        write(file.get(), String.join("\n", all) + "\n");
        LOG.info("servers' state saved for the reload: {} server(s) in {}{}", lines.size() - 2, file.get(),
                down.isEmpty() ? "" : "; " + down.size() + " new server(s) start DOWN until their check passes");
        return lines.size() - 2;
    }

    /** Empties the state file (HAProxy not running, or its state could not be read). */
    public void clear(@ExchangeProperty(ConfigFiles.CONTENT) String content) throws IOException {
        Optional<Path> file = file(content);
        if (file.isPresent()) {
            write(file.get(), EMPTY);
        }
    }

    private Optional<Path> file(String content) {
        Optional<Path> file = ServerStateLines.stateFile(content);
        if (file.isEmpty() && unknownPathLogged.compareAndSet(false, true)) {
            LOG.warn("the template sets its own server-state-file (relative, or with server-state-base): ep2-camel does "
                    + "not save the servers' state before reloads; use an absolute path, or leave the line to ep2-camel");
        }
        return file;
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
