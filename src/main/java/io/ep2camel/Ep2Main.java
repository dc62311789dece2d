package io.ep2camel;

import io.ep2camel.config.ConfigException;
import io.ep2camel.config.Ep2Config;
import io.ep2camel.config.Ep2ConfigLoader;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code java -jar ep2-camel.jar -f ep2.conf [--routes DIR]}. Exit codes: 0 stopped cleanly,
 * 1 could not run (lock held, start-up failure), 2 bad command line or config.
 */
public final class Ep2Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    private static final java.time.Duration ONCE_TIMEOUT = java.time.Duration.ofSeconds(60);
    static final String USAGE = "usage: java -jar ep2-camel.jar -f ep2.conf [--routes DIR] [--once | --dry-run]\n"
            + "  --once     apply one round, then exit (0 when HAProxy has the orchestrator's backends)\n"
            + "  --dry-run  print what one round would write and send, then exit; touches nothing";

    private Ep2Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        Logging.stop(); // flushes log_file after Camel's own shutdown lines
        System.exit(code);
    }

    /**
     * The JVM's platform MBean server, made on a thread of its own while the main thread reads the
     * config and starts Camel: making it (the JDK's two dozen MXBeans) took 110-140 ms in a
     * throwaway program with the unit's flags, and Camel's JMX, Jolokia and the pool MBeans all
     * wait for it. On the second core it is ready by the time they ask; ManagementFactory makes
     * it once, whichever thread asks first.
     */
    private static void startPlatformMBeanServer() {
        Thread t = new Thread(() -> {
            try {
                ManagementFactory.getPlatformMBeanServer();
            } catch (RuntimeException | LinkageError e) {
                // not reported here: Camel's JMX set-up asks for it again and fails with the cause
            }
        }, "ep2-jmx-start");
        t.setDaemon(true);
        t.start();
    }

    static int run(String[] args) {
        Path conf = Path.of("/etc/ep2/ep2.conf");
        Optional<Path> routesDir = Optional.empty();
        Ep2Application.Mode mode = Ep2Application.Mode.RUN;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("-f") || a.equals("--routes")) && i + 1 < args.length) {
                if (a.equals("-f")) {
                    conf = Path.of(args[++i]);
                } else {
                    routesDir = Optional.of(Path.of(args[++i]));
                }
            } else if (a.equals("--once")) {
                mode = Ep2Application.Mode.ONCE;
            } else if (a.equals("--dry-run")) {
                mode = Ep2Application.Mode.DRY_RUN;
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.println(USAGE);
                return EXIT_OK;
            } else {
                System.err.println("unknown argument '" + a + "'\n" + USAGE);
                return EXIT_USAGE;
            }
        }
        startPlatformMBeanServer();
        RouteLocator routes = RouteLocator.detect(routesDir);
        Ep2Config cfg;
        try {
            cfg = new Ep2ConfigLoader(routes.orchestrators()).load(conf);
        } catch (ConfigException e) {
            System.err.println("ep2-camel: bad config: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (mode == Ep2Application.Mode.DRY_RUN) {
            try {
                new Ep2Application(cfg, routes, mode).dryRun(System.out);
                return EXIT_OK;
            } catch (Exception e) {
                System.err.println("ep2-camel: dry run failed: " + e.getMessage());
                return EXIT_FAILED;
            }
        }
        try (InstanceLock lock = InstanceLock.acquire(cfg.lockDir(), cfg.lockRetryInterval(), cfg.lockWaitTimeout(),
                waiting -> System.err.println("ep2-camel: " + waiting))) {
            Ep2Application app = new Ep2Application(cfg, routes, mode);
            if (mode == Ep2Application.Mode.ONCE) {
                return app.runOnce(ONCE_TIMEOUT) ? EXIT_OK : EXIT_FAILED;
            }
            app.run();
            return EXIT_OK;
        } catch (InstanceLock.LockedException e) {
            System.err.println("ep2-camel: " + e.getMessage());
            LoggerFactory.getLogger(Ep2Main.class).error(e.getMessage());
            return EXIT_FAILED;
        } catch (Exception e) {
            LoggerFactory.getLogger(Ep2Main.class).error("ep2-camel stopped on an error", e);
            return EXIT_FAILED;
        }
    }
}
