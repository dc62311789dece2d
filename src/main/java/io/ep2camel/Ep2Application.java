package io.ep2camel;

import io.ep2camel.config.Ep2Config;
import io.ep2camel.config.UpdateType;
import io.ep2camel.model.BackendSet;
import io.ep2camel.observe.ConsoleMBeans;
import io.ep2camel.observe.ObserveServer;
import io.ep2camel.pipeline.PipelineRoutes;
import io.ep2camel.pipeline.Pool;
import io.ep2camel.pipeline.Pools;
import io.ep2camel.pipeline.Round;
import io.ep2camel.pipeline.Stages;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.observe.PoolStatus;
import io.ep2camel.runtime.RuntimePlan;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The controller's run modes over one {@link ControllerWiring}: run until stopped, one round
 * (--once), or a dry run (--dry-run) that takes the answers through the same diff and plan
 * steps as a round and prints what the round would write and send instead of applying it.
 */
public final class Ep2Application {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Ep2Application.class);

    /** How long the heap release waits for the first round (an orchestrator that never answers). */
    private static final Duration BOOTSTRAP_WAIT = Duration.ofSeconds(120);

    /** RUN: the controller; ONCE: one real round, then stop; DRY_RUN: show what a round would do, touch nothing. */
    public enum Mode { RUN, ONCE, DRY_RUN }

    private final Ep2Config cfg;
    private final ControllerWiring wiring;
    private final Main main;
    private final Pools pools;

    public Ep2Application(Ep2Config cfg, RouteLocator routes) {
        this(cfg, routes, Mode.RUN);
    }

    public Ep2Application(Ep2Config cfg, RouteLocator routes, Mode mode) {
        this.cfg = cfg;
        // a dry run writes nothing, not even a log line to log_file
        Logging.logTo(mode == Mode.DRY_RUN ? Path.of("/dev/null") : cfg.logFile());
        cfg.warnings().forEach(LOG::warn);
        wiring = new ControllerWiring(cfg, routes);
        main = wiring.main;
        pools = wiring.pools;
        if (mode == Mode.DRY_RUN) {
            // nothing starts by itself: the dry run starts the fetch and diff routes by hand
            main.configure().withAutoStartup(false);
        }
        // after Camel's JMX is set up and before the routes start: their producers are not registered
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                ConsoleMBeans.installIn(m.getCamelContext());
            }
        });
        observeServer(mode).ifPresent(server -> main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    m.getCamelContext().addService(server, true, true);
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeException(e);
                }
            }
        }));
    }

    /**
     * The operators' HTTP endpoints under /observe (health, metrics, Jolokia), bound to observe_host
     * (loopback by default); observe_port = 0 turns them off. With observe_credentials_file, Jolokia
     * asks for a login; health and metrics stay open. A dry run brings them up as a real run does,
     * but on an ephemeral loopback port: the install step makes the jar's class-data archive from a
     * dry run (etc/ep2.service), and an archive without these classes left a real start-up loading
     * them from the jar.
     */
    private Optional<ObserveServer> observeServer(Mode mode) {
        if (cfg.observePort() <= 0) {
            return Optional.empty();
        }
        InetSocketAddress address = mode == Mode.DRY_RUN ? new InetSocketAddress("127.0.0.1", 0)
                : new InetSocketAddress(cfg.observeHost(), cfg.observePort());
        return Optional.of(new ObserveServer(address, cfg.observeCredentialsFile(), cfg.observeRouteControl(),
                wiring.meters));
    }

    /** Starts Camel and returns; the pipeline runs on its own threads. */
    public void start() throws Exception {
        registerPoolStatus();
        main.start();
    }

    /**
     * Starts and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). Once every pool's
     * first round is applied, the heap the start-up grew goes back to the OS ({@link IdleHeap});
     * from the start, the JIT compiles with C1 alone unless the command line chose ({@link IdleJit}).
     */
    public void run() throws Exception {
        IdleJit.c1OnlyUnlessChosen();
        registerPoolStatus();
        Thread release = new Thread(this::releaseHeapAfterBootstrap, "ep2-idle-heap");
        release.setDaemon(true);
        release.start();
        try {
            main.run();
        } finally {
            release.interrupt();
            unregisterPoolStatus();
        }
    }

    /**
     * Waits (bounded) for the bootstrap to be applied, then releases the heap once, and trims the
     * native heap from then on ({@link IdleHeap#nextTrimPause}).
     */
    private void releaseHeapAfterBootstrap() {
        long deadline = System.nanoTime() + BOOTSTRAP_WAIT.toNanos();
        try {
            while (!pools.neverApplied().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            IdleHeap.release();
            Duration pause = null;
            while (IdleHeap.trimNativeHeap()) {
                pause = IdleHeap.nextTrimPause(pause);
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
     * DRY_RUN: fetches once through each orchestrator's route, takes the answers through route
     * ep2-diff as a round does, plans the round (reading HAProxy's state, never changing it) and
     * prints what it would write (the config) and send (runtime commands).
     */
    public void dryRun(PrintStream out) throws Exception {
        main.start();
        try {
            CamelContext ctx = main.getCamelContext();
            ctx.getRouteController().startRoute("ep2-diff");
            ProducerTemplate producer = ctx.createProducerTemplate();
            for (Pool pool : pools.all()) {
                Exchange answer = producer.request(startFetchRoute(ctx, pool), e -> e.getMessage()
                        .setHeader(PipelineRoutes.ORCHESTRATOR_HEADER, pool.orchestrator()));
                if (answer.getException() != null) {
                    throw answer.getException();
                }
                // as a push source hands an answer over: the pool named by its header
                answer.getMessage().setHeader(PipelineRoutes.BACKEND_HEADER, pool.backend());
                Exchange diffed = producer.send(PipelineRoutes.DIFF, answer.copy());
                if (diffed.getException() != null) {
                    throw diffed.getException();
                }
                BackendSet set = diffed.getMessage().getBody(BackendSet.class);
                out.println("# orchestrator " + pool.orchestrator() + (pools.all().size() > 1 ? " (backend "
                        + pool.backend() + ")" : "") + ": " + set.size() + " backends " + set);
            }
            Round round = wiring.pending.takeNow();
            List<Pool> held = pools.all().stream().filter(p -> !round.wanted().containsKey(p)).toList();
            held.forEach(p -> out.println("# backend " + p.backend() + ": answer held back (not applied by a round)"));
            print(round, out);
        } finally {
            main.stop();
        }
    }

    /** The pool's fetch route, started by hand (nothing starts by itself in a dry run). */
    private static String startFetchRoute(CamelContext ctx, Pool pool) throws Exception {
        String fetch = pool.spec().fetchUri();
        String endpoint = fetch.replace("direct:", "direct://");
        Route route = ctx.getRoutes().stream().filter(r -> r.getEndpoint().getEndpointUri().equals(endpoint))
                .findFirst().orElseThrow(() -> new IllegalStateException("orchestrator route '"
                        + pool.orchestrator() + "' has no " + fetch + " endpoint to fetch from"));
        ctx.getRouteController().startRoute(route.getRouteId());
        return fetch;
    }

    /** What the round would do: the plan of update_by_runtime (a preview) or the rendered config. */
    private void print(Round round, PrintStream out) throws Exception {
        Stages stages = wiring.stages;
        String config;
        if (cfg.updateType() == UpdateType.UPDATE_BY_CONFIG) {
            config = stages.renderer().render(round.configLines());
        } else {
            RuntimePlan plan = stages.runtime().preview(PipelineRoutes.targets(round));
            out.println(plan.outcome() == RuntimePlan.Outcome.RELOAD
                    ? "# would write the config below and start or reload HAProxy"
                    : "# would send " + plan.plannedCommands().size() + " commands over " + stages.runtime().socketUri());
            plan.plannedCommands().forEach(c -> out.println("  " + c));
            config = stages.renderer().render(plan.configLines());
        }
        boolean same = Files.isRegularFile(cfg.haproxyConfigFile())
                && Files.readString(cfg.haproxyConfigFile()).equals(config);
        out.println("# " + cfg.haproxyConfigFile() + (same ? ": unchanged" : ": would become"));
        if (!same) {
            out.print(config);
        }
    }

    private void registerPoolStatus() throws javax.management.JMException {
        for (PoolStatus status : wiring.poolStatus) {
            status.register();
        }
    }

    private void unregisterPoolStatus() {
        wiring.poolStatus.forEach(PoolStatus::unregister);
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
