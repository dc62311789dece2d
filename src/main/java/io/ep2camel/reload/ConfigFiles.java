package io.ep2camel.reload;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file steps of the config routes, around {@link ConfigFileWriter}: a rendered config
 * becomes a candidate beside HAProxy's file, is swapped in once {@code haproxy -c} accepted it,
 * and is put back when a later step fails. The route keeps the step's state in exchange
 * properties ({@link #CONTENT}, {@link #CANDIDATE}, {@link #INSTALLED}), so a failure at any
 * step knows what to undo.
 */
public class ConfigFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFiles.class);
    public static final String CONTENT = "ep2.content";
    public static final String CANDIDATE = "ep2.candidate";
    public static final String INSTALLED = "ep2.installed";

    private final ConfigFileWriter writer;
    private final HaproxyControl control;
    private final LoadedConfigMarker loaded;
    private volatile String lastWritten;

    public ConfigFiles(ConfigFileWriter writer, HaproxyControl control) {
        this.writer = writer;
        this.control = control;
        this.loaded = new LoadedConfigMarker(writer.target());
    }

    /**
     * True when the file holds this content and the running master was started with it: e.g. a
     * controller killed right after its reload. HAProxy already runs exactly this config.
     */
    public boolean alreadyLoaded(@ExchangeProperty(CONTENT) String content) {
        boolean same = writer.holds(content) && control.masterPid().map(pid -> loaded.matches(pid, content)).orElse(false);
        if (same) {
            LOG.info("HAProxy already runs this config ({}): no reload needed", writer.target());
        }
        return same;
    }

    /** False when the file on disk already holds this content (nothing to write). */
    public boolean differs(@ExchangeProperty(CONTENT) String content) {
        return !writer.holds(content);
    }

    /** The content as a candidate beside the config; nothing the running HAProxy reads is touched yet. */
    public Path writeCandidate(@ExchangeProperty(CONTENT) String content, Exchange exchange)
            throws IOException {
        Path candidate = writer.writeCandidate(content);
        exchange.setProperty(CANDIDATE, candidate);
        return candidate;
    }

    /** Swaps the validated candidate in, atomically; the previous file is kept as .bak. */
    public void install(@ExchangeProperty(CANDIDATE) Path candidate, Exchange exchange)
            throws IOException {
        writer.install(candidate);
        exchange.removeProperty(CANDIDATE);
        exchange.setProperty(INSTALLED, true);
    }

    /** After a successful start/reload: which content the (new) master runs, for a restarted controller. */
    public void recordLoaded(@ExchangeProperty(CONTENT) String content) {
        try {
            Optional<Long> master = control.masterPid();
            if (master.isPresent()) {
                loaded.record(master.get(), content);
            }
        } catch (IOException e) {
            LOG.warn("cannot record the loaded config in {}: {} (a restarted controller will reload once)",
                    loaded.file(), e.getMessage());
        }
    }

    /** The config file now holds what this controller wrote: the reference for {@link #fileDrifted}. */
    public void written(@ExchangeProperty(CONTENT) String content) {
        lastWritten = content;
    }

    /**
     * True when the config file no longer holds what this controller last wrote: edited by hand
     * or by another tool. The controller owns the file, so the next round writes it again.
     */
    public boolean fileDrifted() {
        String last = lastWritten;
        return last != null && !writer.holds(last);
    }

    /**
     * A step failed: the candidate goes, the previous config comes back when it was already
     * replaced. Returns what was done, for the branch's error line.
     */
    public String rollback(@ExchangeProperty(CANDIDATE) Path candidate, @ExchangeProperty(INSTALLED) Boolean installed) {
        if (candidate != null) {
            writer.discard(candidate);
        }
        if (!Boolean.TRUE.equals(installed)) {
            return "";
        }
        try {
            return writer.restoreBackup() ? "; previous config restored" : "";
        } catch (IOException e) {
            return "; could NOT restore previous config from " + writer.backup() + ": " + e.getMessage();
        }
    }
}
