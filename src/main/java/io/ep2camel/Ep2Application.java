package io.ep2camel;

import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.EmptyAnswerGuard;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.config.Ep2Config;
import io.ep2camel.fetch.AwsClients;
import io.ep2camel.fetch.BackendLines;
import io.ep2camel.fetch.ConsulAgent;
import io.ep2camel.pipeline.BackendSetReader;
import io.ep2camel.pipeline.ConfigUpdate;
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
import io.ep2camel.observe.Ep2Metrics;
import io.ep2camel.observe.HaproxyHealthCheck;
import io.ep2camel.observe.LastApplyHealthCheck;
import io.ep2camel.observe.OrchestratorHealthCheck;
import io.ep2camel.observe.PoolStatus;
import io.ep2camel.config.PoolSpec;
import io.ep2camel.pipeline.ApplyWindow;
import io.ep2camel.pipeline.PendingChanges;
import io.ep2camel.pipeline.Pool;
import io.ep2camel.pipeline.Pools;
import io.ep2camel.pipeline.Round;
import io.ep2camel.runtime.PoolSlots;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ep2camel.config.UpdateType;
import io.ep2camel.model.BackendSet;
import io.ep2camel.runtime.SlotPlan;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.Main;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Wires one controller from a checked config: the beans of each stage, the Java pipeline and
 * the orchestrator's YAML route, in a Camel Main.
 */
public final class Ep2Application {
    /** The systemctl executable; a system property so tests can put a recording fake in its place. */
    static final String SYSTEMCTL_PROPERTY = "ep2.systemctl";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Ep2Application.class);

    /** RUN: the controller; ONCE: one real round, then stop; DRY_RUN: show what a round would do, touch nothing. */
    public enum Mode { RUN, ONCE, DRY_RUN }

    private final Main main = new Main();
    private final Ep2Config cfg;
    private final Mode mode;
    private final Pools pools;
    private final HaproxyConfigRenderer renderer;
    private final RuntimeUpdate runtimeUpdate;
    private final List<PoolStatus> poolStatus = new ArrayList<>();

    public Ep2Application(Ep2Config cfg, RouteLocator routes) {
        this(cfg, routes, Mode.RUN);
    }

    public Ep2Application(Ep2Config cfg, RouteLocator routes, Mode mode) {
        this.cfg = cfg;
        this.mode = mode;
        // a dry run writes nothing, not even a log line to log_file
        Logging.logTo(mode == Mode.DRY_RUN ? Path.of("/dev/null") : cfg.logFile());
        cfg.warnings().forEach(LOG::warn);
        main.configure().withName("ep2-camel");
        main.configure().withRoutesIncludePattern(String.join(",",
                cfg.orchestrators().stream().map(routes::location).toList()));
        main.setInitialProperties(cfg.toCamelProperties());

        ExecCommandRunner runner = new ExecCommandRunner(main::getCamelContext, COMMAND_TIMEOUT);
        HaproxyControl control = new HaproxyControl(runner,
                new HaproxyCommands(cfg.haproxyBinary(), System.getProperty(SYSTEMCTL_PROPERTY, "systemctl")),
                cfg.startBy(), cfg.haproxyConfigFile(), cfg.pidFile(),
                cfg.socketFiles().stream().findFirst(), cfg.serviceName().orElse(null));
        renderer = new HaproxyConfigRenderer(new TemplateRenderer(cfg.templateFile()));
        ConfigUpdate configUpdate = new ConfigUpdate(renderer, new ConfigFileWriter(cfg.haproxyConfigFile()), control);
        runtimeUpdate = new RuntimeUpdate(renderer, configUpdate, control, socketUri(cfg), main::getCamelContext);

        main.bind("backendLines", new BackendLines());
        // orchestrator aws: [AWS] settings only, secret included; routes/aws.camel.yaml builds (and
        // closes) the SDK clients from it, so no client exists for any other orchestrator
        main.bind("awsClients", AwsClients.from(cfg));
        // orchestrator consul: [CONSUL] agent settings, ACL token included; routes/consul.camel.yaml
        // builds its client from it. Also an event notifier: cancels blocking queries when Camel stops
        main.bind("consulAgent", ConsulAgent.from(cfg));

        // operators: the registry camel-micrometer-prometheus serves, our health checks, the pool MBeans
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        main.bind("metricsRegistry", meters);
        // the stats sockets must answer where the controller works through them; in update_by_config
        // haproxy_socket_file (EP2's default path included) serves only -x on reloads, and may not exist
        List<HealthCheck> checks = new ArrayList<>(List.of(new HaproxyHealthCheck(
                cfg.updateType() == UpdateType.UPDATE_BY_RUNTIME ? Optional.of(socketUri(cfg)) : Optional.empty(), control)));
        List<Pool> all = new ArrayList<>();
        for (PoolSpec spec : cfg.pools()) {
            Pool pool = pool(spec, cfg, meters);
            all.add(pool);
            // per-pool beans the orchestrator routes refer to as fetchHealth{{suffix}}, appliedBackends{{suffix}}
            main.bind("fetchHealth" + spec.suffix(), pool.fetchHealth());
            main.bind("appliedBackends" + spec.suffix(), pool.applied());
            poolStatus.add(new PoolStatus(pool.backend(), cfg.updateType().configValue(), spec.orchestrator(),
                    pool.applied(), pool.fetchHealth(), pool.slots()::layout));
            checks.add(new OrchestratorHealthCheck(pool.fetchHealth(), spec.orchestrator(), spec.suffix()));
            checks.add(new LastApplyHealthCheck(pool.applied(), spec.suffix()));
        }
        pools = new Pools(all);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                HealthCheckRegistry registry = HealthCheckRegistry.get(m.getCamelContext());
                checks.forEach(registry::register);
                new OrchestratorRoutes(m.getCamelContext()).instantiate(cfg.pools());
            }
        });
        if (mode == Mode.DRY_RUN) {
            // nothing starts by itself: only the orchestrators' fetch routes are started, by hand;
            // nothing to watch either (application.properties turns these on for real runs)
            main.configure().withAutoStartup(false);
            main.addOverrideProperty("camel.main.jmxEnabled", "false");
            main.addOverrideProperty("camel.health.enabled", "false");
            main.addOverrideProperty("camel.metrics.enabled", "false");
        } else {
            managementServer(cfg).forEach(main::addInitialProperty);
        }

        ApplyWindow window = new ApplyWindow(cfg.debounceMin(), cfg.debounceMax(), cfg.reloadMinInterval());
        boolean reloads = cfg.updateType() == UpdateType.UPDATE_BY_CONFIG;
        main.configure().addRoutesBuilder(new PipelineRoutes(pools,
                new PendingChanges(pools, window, reloads, java.time.Clock.systemUTC()), cfg.updateType(),
                configUpdate, runtimeUpdate, control));
    }

    /** One pool's stages and state; its metrics carry its backend name. */
    private static Pool pool(PoolSpec spec, Ep2Config cfg, PrometheusMeterRegistry meters) {
        ServerLineFormat format = new ServerLineFormat(spec.backendMaxconn(), spec.checkInterval());
        AppliedBackends applied = new AppliedBackends();
        FetchHealth fetchHealth = new FetchHealth();
        BackendSetReader reader = new BackendSetReader(spec.backendPort().orElse(0));
        PoolSlots slots = new PoolSlots(new SlotPlanner(spec.backendName(), format, spec.nodeSlots(), cfg.drainTimeout()));
        Ep2Metrics metrics = new Ep2Metrics(meters, spec.backendName());
        metrics.bind(applied, fetchHealth, reader, slots::layout);
        return new Pool(spec, reader, applied, new EmptyAnswerGuard(spec.emptyConfirmations()), fetchHealth, format,
                slots, metrics);
    }

    /**
     * The embedded management server (what it carries under /observe: application.properties),
     * bound to observe_host (loopback by default); observe_port = 0 turns it off.
     */
    private static Map<String, String> managementServer(Ep2Config cfg) {
        Map<String, String> p = new LinkedHashMap<>();
        int port = cfg.observePort();
        p.put("camel.management.enabled", Boolean.toString(port > 0));
        if (port > 0) {
            p.put("camel.management.host", cfg.observeHost());
            p.put("camel.management.port", Integer.toString(port));
        }
        return p;
    }

    /** All sockets of haproxy_socket_file (nbproc): each gets every batch. */
    private static String socketUri(Ep2Config cfg) {
        return "haproxy-socket:" + String.join(",", cfg.socketAddresses().stream().map(Object::toString).toList())
                + "?timeout=" + SOCKET_TIMEOUT.toMillis();
    }

    /** Starts Camel and returns; the pipeline runs on its own threads. */
    public void start() throws Exception {
        registerPoolStatus();
        main.start();
    }

    private void registerPoolStatus() throws javax.management.JMException {
        for (PoolStatus status : poolStatus) {
            status.register();
        }
    }

    private void unregisterPoolStatus() {
        poolStatus.forEach(PoolStatus::unregister);
    }

    /** Starts and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void run() throws Exception {
        registerPoolStatus();
        try {
            main.run();
        } finally {
            unregisterPoolStatus();
        }
    }

    /**
     * ONCE: starts, waits for the first round to apply (or to fail), stops.
     * @return true when HAProxy was brought to the backends of every pool's orchestrator
     */
    public boolean runOnce(Duration timeout) throws Exception {
        start();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!pools.neverApplied().isEmpty()
                    && pools.all().stream().allMatch(p -> p.fetchHealth().consecutiveFailures() == 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return pools.neverApplied().isEmpty();
        } finally {
            stop();
        }
    }

    /**
     * DRY_RUN: fetches once through the orchestrator's route and prints what a round would write
     * (the config) and send (runtime commands), without writing, sending, or starting anything.
     */
    public void dryRun(PrintStream out) throws Exception {
        main.start();
        try {
            CamelContext ctx = main.getCamelContext();
            Map<Pool, BackendSet> wanted = new LinkedHashMap<>();
            for (Pool pool : pools.all()) {
                String fetch = pool.spec().fetchUri();
                String endpoint = fetch.replace("direct:", "direct://");
                Route route = ctx.getRoutes().stream().filter(r -> r.getEndpoint().getEndpointUri().equals(endpoint))
                        .findFirst().orElseThrow(() -> new IllegalStateException("orchestrator route '"
                                + pool.orchestrator() + "' has no " + fetch + " endpoint to fetch from"));
                ctx.getRouteController().startRoute(route.getRouteId());
                org.apache.camel.Exchange answer = ctx.createProducerTemplate().request(fetch,
                        e -> e.getMessage().setHeader(PipelineRoutes.ORCHESTRATOR_HEADER, pool.orchestrator()));
                if (answer.getException() != null) {
                    throw answer.getException();
                }
                BackendSet set = PipelineRoutes.answer(pool, answer.getMessage(), fetch);
                out.println("# orchestrator " + pool.orchestrator() + (pools.all().size() > 1 ? " (backend "
                        + pool.backend() + ")" : "") + ": " + set.size() + " backends " + set);
                wanted.put(pool, set);
            }
            Round round = new Round(wanted, Map.of(), pools.all());
            String config;
            if (cfg.updateType() == UpdateType.UPDATE_BY_CONFIG) {
                config = renderer.render(round.configLines());
            } else {
                Map<Pool, SlotPlan> plans = runtimeUpdate.preview(round);
                List<String> commands = plans.values().stream().flatMap(p -> p.commands().stream()).toList();
                out.println(plans.values().stream().anyMatch(SlotPlan::needsReload)
                        ? "# would write the config below and start or reload HAProxy"
                        : "# would send " + commands.size() + " commands over " + runtimeUpdate.socketUri());
                commands.forEach(c -> out.println("  " + c));
                config = runtimeUpdate.render(round, plans);
            }
            boolean same = Files.isRegularFile(cfg.haproxyConfigFile())
                    && Files.readString(cfg.haproxyConfigFile()).equals(config);
            out.println("# " + cfg.haproxyConfigFile() + (same ? ": unchanged" : ": would become") + "");
            if (!same) {
                out.print(config);
            }
        } finally {
            main.stop();
        }
    }

    public void stop() throws Exception {
        main.stop();
        unregisterPoolStatus();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** EP2's own pool's applied state. */
    public AppliedBackends applied() {
        return pools.first().applied();
    }
}
