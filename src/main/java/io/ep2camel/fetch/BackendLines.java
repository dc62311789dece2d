package io.ep2camel.fetch;

import io.ep2camel.model.Backend;
import io.ep2camel.model.HostNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file orchestrator's format: one backend per line, {@code host} (port = backend_port) or
 * {@code host:port} ({@code [v6]:port} for IPv6), {@code #} starts a comment. A bad line is
 * skipped with a log line naming file and line number; the rest of the file still counts.
 */
public final class BackendLines {
    private static final Logger LOG = LoggerFactory.getLogger(BackendLines.class);

    /** Reads the file now (the route calls this every round). A missing file is an error, not an empty list. */
    public List<Backend> read(String path, int defaultPort) throws IOException {
        Path file = Path.of(path);
        return parse(file.toString(), Files.readAllLines(file), defaultPort);
    }

    public List<Backend> parse(String source, List<String> lines, int defaultPort) {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                out.add(Backend.parse(entry, defaultPort));
            } catch (IllegalArgumentException e) {
                LOG.warn("{} line {}: skipped '{}': {}", source, i + 1, HostNames.sanitize(entry), e.getMessage());
            }
        }
        return out;
    }
}
