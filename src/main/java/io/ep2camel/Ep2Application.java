package io.ep2camel;

import io.ep2camel.config.Ep2Config;
import io.ep2camel.fetch.BackendLines;
import io.ep2camel.pipeline.AppliedBackends;
import io.ep2camel.pipeline.BackendSetReader;
import io.ep2camel.pipeline.ConfigUpdate;
import io.ep2camel.pipeline.EmptyAnswerGuard;
import io.ep2camel.pipeline.FetchHealth;
import io.ep2camel.pipeline.PipelineRoutes;
import io.ep2camel.reload.ConfigFileWriter;
import io.ep2camel.reload.ExecCommandRunner;
import io.ep2camel.reload.HaproxyCommands;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.render.ServerLineFormat;
import io.ep2camel.render.TemplateRenderer;
import io.ep2camel.runtime.RuntimeUpdate;
import io.ep2camel.runtime.SlotPlanner;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.time.Duration;

/**
 * Wires one controller from a checked config: the beans of each stage, the Java pipeline and
 * the orchestrator's YAML route, in a Camel Main.
 */
public final class Ep2Application {
    /** The systemctl executable; a system property so tests can put a recording fake in its place. */
    static final String SYSTEMCTL_PROPERTY = "ep2.systemctl";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    private final Main main = new Main();
    private final AppliedBackends applied = new AppliedBackends();

    public Ep2Application(Ep2Config cfg, RouteLocator routes) {
        Logging.logTo(cfg.logFile());
        main.configure().withName("ep2-camel");
        main.configure().withRoutesIncludePattern(routes.location(cfg.orchestrator()));
        main.setInitialProperties(cfg.toCamelProperties());

        ExecCommandRunner runner = new ExecCommandRunner(main::getCamelContext, COMMAND_TIMEOUT);
        HaproxyControl control = new HaproxyControl(runner,
                new HaproxyCommands(cfg.haproxyBinary(), System.getProperty(SYSTEMCTL_PROPERTY, "systemctl")),
                cfg.startBy(), cfg.haproxyConfigFile(), cfg.pidFile(),
                cfg.socketFiles().stream().findFirst(), cfg.serviceName().orElse(null));
        HaproxyConfigRenderer renderer = new HaproxyConfigRenderer(new TemplateRenderer(cfg.templateFile()),
                new ServerLineFormat(cfg.backendMaxconn(), cfg.checkInterval()), cfg.backendName());
        ConfigUpdate configUpdate = new ConfigUpdate(renderer, new ConfigFileWriter(cfg.haproxyConfigFile()), control);
        RuntimeUpdate runtimeUpdate = new RuntimeUpdate(
                new SlotPlanner(cfg.backendName(), renderer.format(), cfg.nodeSlots().orElse(0), cfg.drainTimeout()),
                renderer, configUpdate, control, applied, socketUri(cfg), cfg.backendName(), main::getCamelContext);

        FetchHealth fetchHealth = new FetchHealth();
        main.bind("fetchHealth", fetchHealth);
        main.bind("backendLines", new BackendLines());
        main.bind("appliedBackends", applied);
        main.configure().addRoutesBuilder(new PipelineRoutes(cfg.orchestrator(), cfg.updateType(),
                new BackendSetReader(cfg.backendPort().orElse(0)), applied, configUpdate, runtimeUpdate, control,
                fetchHealth, new EmptyAnswerGuard(cfg.emptyConfirmations())));
    }

    /** All sockets of haproxy_socket_file (nbproc): each gets every batch. */
    private static String socketUri(Ep2Config cfg) {
        return "haproxy-socket:" + String.join(",", cfg.socketFiles().stream().map(Object::toString).toList())
                + "?timeout=" + SOCKET_TIMEOUT.toMillis();
    }

    /** Starts Camel and returns; the pipeline runs on its own threads. */
    public void start() throws Exception {
        main.start();
    }

    /** Starts and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void run() throws Exception {
        main.run();
    }

    public void stop() throws Exception {
        main.stop();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public AppliedBackends applied() {
        return applied;
    }
}
