package io.ep2camel.pipeline;

import io.ep2camel.reload.CommandFailedException;
import io.ep2camel.reload.ConfigFileWriter;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.reload.LoadedConfigMarker;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.render.TemplateRenderer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * update_by_config, as steps the route calls in order: render the template into a candidate
 * beside the config, have {@code haproxy -c} accept it, swap it in atomically, reload. Any
 * failure puts the previous config back; HAProxy keeps serving what it had.
 */
public class ConfigUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigUpdate.class);
    static final String CANDIDATE = "ep2.candidate";
    static final String INSTALLED = "ep2.installed";
    static final String CONTENT = "ep2.content";
    static final String UP_TO_DATE = "ep2.upToDate";

    private volatile String lastWritten;

    private final HaproxyConfigRenderer renderer;
    private final ConfigFileWriter writer;
    private final HaproxyControl control;

    private final LoadedConfigMarker loaded;

    public ConfigUpdate(HaproxyConfigRenderer renderer, ConfigFileWriter writer, HaproxyControl control) {
        this.renderer = renderer;
        this.writer = writer;
        this.control = control;
        this.loaded = new LoadedConfigMarker(writer.target());
    }

    /** Step 1: render and validate; nothing the running HAProxy reads is touched yet. */
    public void renderAndValidate(Exchange exchange) throws TemplateRenderer.RenderException, IOException,
            CommandFailedException {
        String content = renderer.render(exchange.getMessage().getBody(Round.class).configLines());
        exchange.setProperty(CONTENT, content);
        if (writer.holds(content) && control.masterPid().map(pid -> loaded.matches(pid, content)).orElse(false)) {
            // e.g. a controller killed right after its reload: HAProxy already runs exactly this
            LOG.info("HAProxy already runs this config ({}): no reload needed", writer.target());
            exchange.setProperty(UP_TO_DATE, true);
            return;
        }
        Path candidate = writer.writeCandidate(content);
        exchange.setProperty(CANDIDATE, candidate);
        control.validate(candidate);
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
     * update_by_runtime: brings the file on disk to what HAProxy already runs, without a reload,
     * so a later reload or restart keeps the same servers in the same slots. False when the file
     * already matched.
     */
    public boolean writeWithoutReload(String content) throws IOException, CommandFailedException {
        if (writer.holds(content)) {
            return false;
        }
        writer.install(validated(content));
        return true;
    }

    /** update_by_runtime's start, and its fallback when slots must grow: write, then reload or start. */
    public void writeAndReload(String content) throws IOException, CommandFailedException {
        writer.install(validated(content));
        try {
            control.reloadOrStart();
        } catch (IOException | CommandFailedException e) {
            writer.restoreBackup();
            throw e;
        }
        recordLoaded(content);
    }

    /** After a successful start/reload: which content the (new) master runs, for a restarted controller. */
    private void recordLoaded(String content) {
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

    private Path validated(String content) throws IOException, CommandFailedException {
        Path candidate = writer.writeCandidate(content);
        try {
            control.validate(candidate);
            return candidate;
        } catch (IOException | CommandFailedException e) {
            writer.discard(candidate);
            throw e;
        }
    }

    /** Step 2: swap the candidate in (old one kept as .bak) and reload or start HAProxy. */
    public void installAndReload(Exchange exchange) throws IOException, CommandFailedException {
        String content = exchange.getProperty(CONTENT, String.class);
        if (!exchange.getProperty(UP_TO_DATE, false, Boolean.class)) {
            writer.install(exchange.getProperty(CANDIDATE, Path.class));
            exchange.setProperty(INSTALLED, true);
            control.reloadOrStart();
            recordLoaded(content);
        }
        lastWritten = content;
    }

    /** On failure: drop the candidate, put the previous config back when it was already replaced. */
    public void rollback(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Path candidate = exchange.getProperty(CANDIDATE, Path.class);
        if (candidate != null) {
            writer.discard(candidate);
        }
        String restored = "";
        if (exchange.getProperty(INSTALLED, false, Boolean.class)) {
            try {
                restored = writer.restoreBackup() ? "; previous config restored" : "";
            } catch (IOException e) {
                restored = "; could NOT restore previous config from " + writer.backup() + ": " + e.getMessage();
            }
        }
        LOG.error("update_by_config failed, a running HAProxy keeps its current config{}; retrying next round: {}",
                restored, cause == null ? "unknown error" : cause.getMessage());
    }
}
