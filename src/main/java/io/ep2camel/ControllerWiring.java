package io.ep2camel;

import io.ep2camel.config.Ep2Config;
import io.ep2camel.config.PoolSpec;
import io.ep2camel.config.StartBy;
import io.ep2camel.config.UpdateType;
import io.ep2camel.fetch.AwsClients;
import io.ep2camel.lifecycle.HookProgress;
import io.ep2camel.lifecycle.LifecycleHooks;
import io.ep2camel.fetch.BackendLines;
import io.ep2camel.fetch.ConsulAgent;
import io.ep2camel.observe.Ep2Metrics;
import io.ep2camel.observe.HaproxyHealthCheck;
import io.ep2camel.observe.LastApplyHealthCheck;
import io.ep2camel.observe.OrchestratorHealthCheck;
import io.ep2camel.observe.PoolStatus;
import io.ep2camel.pipeline.ApplyWindow;
import io.ep2camel.pipeline.BackendSetReader;
import io.ep2camel.pipeline.PendingChanges;
import io.ep2camel.pipeline.PipelineRoutes;
import io.ep2camel.pipeline.Pool;
import io.ep2camel.pipeline.Pools;
import io.ep2camel.pipeline.Stages;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.EmptyAnswerGuard;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.pool.PoolSlots;
import io.ep2camel.reload.ConfigFileWriter;
import io.ep2camel.reload.ConfigFiles;
import io.ep2camel.reload.ExecCommandRunner;
import io.ep2camel.reload.HaproxyCheck;
import io.ep2camel.reload.HaproxyCommands;
import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.reload.ServerStateFile;
import io.ep2camel.render.HaproxyConfigRenderer;
import io.ep2camel.render.DefaultServerOptions;
import io.ep2camel.render.ServerLineFormat;
import io.ep2camel.render.TemplateRenderer;
import io.ep2camel.runtime.RuntimeUpdate;
import io.ep2camel.runtime.SlotPlanner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Optional;

/**
 * Wires one controller from a checked config into a Camel Main: the stage beans, each pool's
 * state, the operators' view (metrics, health checks, pool MBeans), the Java pipeline and the
 * orchestrators' YAML routes. Building it starts nothing; {@link Ep2Application} runs it.
 */
final class ControllerWiring {
    /** The systemctl executable; a system property so tests can put a recording fake in its place. */
    static final String SYSTEMCTL_PROPERTY = "ep2.systemctl";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /** The Camel property holding the stats sockets' haproxy-socket endpoint URI. */
    static final String SOCKET_URI_PROPERTY = "ep2.haproxy_socket_uri";

    final Main main = new Main();
    final Pools pools;
    final PendingChanges pending;
    final Stages stages;
    /** The registry Camel's route metrics and ours go to, scraped at /observe/metrics. */
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final List<PoolStatus> poolStatus = new ArrayList<>();
    /** Clients built here rather than by a route's beans, closed once Camel has stopped. */
    private final List<SdkAutoCloseable> closeOnStop = new ArrayList<>();

    ControllerWiring(Ep2Config cfg, RouteLocator routes) {
        main.configure().withName("ep2-camel");
        main.configure().withRoutesIncludePattern(String.join(",",
                cfg.orchestrators().stream().map(routes::location).toList()));
        Properties properties = cfg.toCamelProperties();
        // the stats sockets as the haproxy-socket endpoint: routes/aws.camel.yaml's lifecycle progress reads through it
        properties.setProperty(SOCKET_URI_PROPERTY, socketUri(cfg));
        main.setInitialProperties(properties);

        ExecCommandRunner runner = new ExecCommandRunner(main::getCamelContext, COMMAND_TIMEOUT);
        HaproxyCommands commands = new HaproxyCommands(cfg.haproxyBinary(),
                System.getProperty(SYSTEMCTL_PROPERTY, "systemctl"));
        HaproxyControl control = new HaproxyControl(runner, commands, cfg.startBy(), cfg.haproxyConfigFile(),
                cfg.pidFile(), cfg.socketFiles().stream().findFirst(), cfg.serviceName().orElse(null),
                cfg.startBy() == StartBy.BINARY ? Optional.of(cfg.masterSocket()) : Optional.empty());
        // update_by_config reloads carry the servers' state over; update_by_runtime's slots live in HAProxy itself
        boolean keepState = cfg.updateType() == UpdateType.UPDATE_BY_CONFIG;
        stages = new Stages(new HaproxyConfigRenderer(new TemplateRenderer(cfg.templateFile()),
                        keepState ? Optional.of(cfg.serverStateFile()) : Optional.empty(), Optional.of(cfg.maxSpreadChecks())),
                new HaproxyCheck(commands, runner), new ConfigFiles(new ConfigFileWriter(cfg.haproxyConfigFile()), control),
                control, new RuntimeUpdate(control, socketUri(cfg), main::getCamelContext), new ServerStateFile(keepState));

        main.bind("backendLines", new BackendLines());
        // orchestrator aws: [AWS] settings only, secret included; routes/aws.camel.yaml builds (and
        // closes) the SDK clients from it, so no client exists for any other orchestrator
        AwsClients awsClients = AwsClients.from(cfg);
        main.bind("awsClients", awsClients);
        // orchestrator consul: [CONSUL] agent settings, ACL token included; routes/consul.camel.yaml
        // builds its client from it. Also an event notifier: cancels blocking queries when Camel stops
        main.bind("consulAgent", ConsulAgent.from(cfg));

        // operators: the registry camel-micrometer-prometheus fills, our health checks, the pool MBeans
        main.bind("metricsRegistry", meters);
        // the stats sockets must answer where the controller works through them; in update_by_config
        // haproxy_socket_file (EP2's default path included) serves only -x on reloads, and may not exist
        List<HealthCheck> checks = new ArrayList<>(List.of(new HaproxyHealthCheck(
                cfg.updateType() == UpdateType.UPDATE_BY_RUNTIME ? Optional.of(socketUri(cfg)) : Optional.empty(), control)));
        List<Pool> all = new ArrayList<>();
        String template = templateText(cfg);   // read once: every pool's server lines look at the same template
        for (PoolSpec spec : cfg.pools()) {
            Pool pool = pool(spec, cfg, template, meters);
            all.add(pool);
            // per-pool beans the orchestrator routes refer to as fetchHealth{{suffix}}, appliedBackends{{suffix}}
            main.bind("fetchHealth" + spec.suffix(), pool.fetchHealth());
            main.bind("appliedBackends" + spec.suffix(), pool.applied());
            if (spec.lifecycleQueueUrl().isPresent()) {
                bindLifecycle(spec, cfg, awsClients, control, meters);
            }
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

            @Override
            public void afterStop(BaseMainSupport m) {
                closeOnStop.forEach(SdkAutoCloseable::close);
            }
        });

        boolean reloads = cfg.updateType() == UpdateType.UPDATE_BY_CONFIG;
        // coalescing only where every apply is a reload: runtime commands cost too little to wait for
        ApplyWindow window = new ApplyWindow(cfg.debounceMin(), cfg.debounceMax(), cfg.reloadMinInterval(),
                reloads ? cfg.reloadCoalesce() : Duration.ZERO);
        pending = new PendingChanges(pools, window, reloads, Clock.systemUTC());
        main.configure().addRoutesBuilder(new PipelineRoutes(pools, pending, cfg.updateType(), stages));
    }

    /**
     * lifecycle_queue_url: the beans routes/aws.camel.yaml's lifecycle routes use for this pool —
     * the actions it holds, when they are over, and its SQS client (closed when Camel stops).
     */
    private void bindLifecycle(PoolSpec spec, Ep2Config cfg, AwsClients aws, HaproxyControl control,
                               PrometheusMeterRegistry meters) {
        LifecycleHooks hooks = new LifecycleHooks(spec.backendName(), spec.asgName().orElse(""), Clock.systemUTC(), meters);
        main.bind("lifecycleHooks" + spec.suffix(), hooks);
        main.bind("lifecycleProgress" + spec.suffix(), new HookProgress(hooks, control, cfg.drainTimeout(),
                cfg.lifecycleLaunchTimeout(), Clock.systemUTC()));
        SqsClient sqs;
        try {
            sqs = aws.newSqsClient();
        } catch (RuntimeException e) {
            throw new IllegalStateException("lifecycle_queue_url of " + spec + ": no SQS client (" + e.getMessage()
                    + "); set region_name, or AWS_REGION", e);
        }
        main.bind("lifecycleSqs" + spec.suffix(), sqs);
        closeOnStop.add(sqs);
    }

    private static String templateText(Ep2Config cfg) {
        try {
            return Files.readString(cfg.templateFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template_file " + cfg.templateFile() + ": " + e.getMessage(), e);
        }
    }

    /** One pool's state and the stage objects made for it; its metrics carry its backend name. */
    private static Pool pool(PoolSpec spec, Ep2Config cfg, String template, PrometheusMeterRegistry meters) {
        Optional<String> downCheck = ServerLineFormat.notSlowerThan(spec.downCheckInterval(), spec.checkInterval());
        ServerLineFormat format = new ServerLineFormat(spec.backendMaxconn(), spec.checkInterval(),
                ServerLineFormat.downInterval(downCheck, template),
                ServerLineFormat.fastInterval(downCheck, template),
                DefaultServerOptions.of(template, spec.backendName()));
        AppliedBackends applied = new AppliedBackends();
        FetchHealth fetchHealth = new FetchHealth();
        BackendSetReader reader = new BackendSetReader(spec.backendPort().orElse(0));
        PoolSlots slots = new PoolSlots();
        SlotPlanner planner = new SlotPlanner(spec.backendName(), format, spec.nodeSlots(), cfg.drainTimeout());
        Ep2Metrics metrics = new Ep2Metrics(meters, spec.backendName());
        metrics.bind(applied, fetchHealth, reader::rejected, slots::layout);
        return new Pool(spec, reader, applied, new EmptyAnswerGuard(spec.emptyConfirmations()), fetchHealth, format,
                slots, planner, metrics);
    }

    /** All sockets of haproxy_socket_file (nbproc): each gets every batch. */
    private static String socketUri(Ep2Config cfg) {
        return "haproxy-socket:" + String.join(",", cfg.socketAddresses().stream().map(Object::toString).toList())
                + "?timeout=" + SOCKET_TIMEOUT.toMillis();
    }
}
