package io.ep2camel.config;

import io.ep2camel.model.HaproxyAddress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A checked ep2.conf: every value normalised, defaults filled in, relative paths resolved
 * against the directory of the config file. Built only by {@link Ep2ConfigLoader}.
 */
public final class Ep2Config {
    private final Path source;
    private final Map<ConfigKey, String> values;
    private final Map<String, Map<String, String>> routeSections;
    private final List<PoolSpec> pools;
    private final List<String> warnings;

    Ep2Config(Path source, Map<ConfigKey, String> values, Map<String, Map<String, String>> routeSections,
              List<PoolSpec> pools, List<String> warnings) {
        this.source = source;
        this.values = new EnumMap<>(values);
        this.routeSections = Map.copyOf(routeSections);
        this.pools = List.copyOf(pools);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * What the config runs as EP2 ran it although a better setting exists (an EP2 default kept
     * for compatibility): logged once at start, each naming the key and the better setting.
     */
    public List<String> warnings() {
        return warnings;
    }

    /** EP2's own pool first, then one per [pool:NAME] section, in file order. */
    public List<PoolSpec> pools() {
        return pools;
    }

    /** The orchestrators the pools use, each once: their route files are the ones loaded. */
    public List<String> orchestrators() {
        return pools.stream().map(PoolSpec::orchestrator).distinct().toList();
    }

    public Path source() {
        return source;
    }

    public Optional<String> get(ConfigKey key) {
        return Optional.ofNullable(values.get(key));
    }

    public String require(ConfigKey key) {
        return get(key).orElseThrow(() -> new IllegalStateException(key.key() + " is not set"));
    }

    private Path path(ConfigKey key) {
        return Path.of(require(key));
    }

    public Path haproxyConfigFile() {
        return path(ConfigKey.HAPROXY_CONFIG_FILE);
    }

    public Path templateFile() {
        return path(ConfigKey.TEMPLATE_FILE);
    }

    public Path haproxyBinary() {
        return path(ConfigKey.HAPROXY_BINARY);
    }

    public Path pidFile() {
        return path(ConfigKey.PID_FILE);
    }

    /** start_by=binary: HAProxy's master CLI socket, master_socket, else beside the pid file. */
    public Path masterSocket() {
        return get(ConfigKey.MASTER_SOCKET).map(Path::of).orElseGet(() -> {
            String name = pidFile().getFileName().toString();
            return pidFile().resolveSibling((name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name)
                    + "-master.sock");
        });
    }

    /** update_by_config's servers' state file: server_state_file, else beside the HAProxy config. */
    public Path serverStateFile() {
        return get(ConfigKey.SERVER_STATE_FILE).map(Path::of)
                .orElseGet(() -> haproxyConfigFile().resolveSibling(haproxyConfigFile().getFileName() + ".state"));
    }

    /** HAProxy's max-spread-checks as ep2.conf gives it (a HAProxy time): how soon a new server is first checked. */
    public String maxSpreadChecks() {
        return require(ConfigKey.MAX_SPREAD_CHECKS);
    }

    public Path lockDir() {
        return path(ConfigKey.LOCK_DIR);
    }

    public Path logFile() {
        return path(ConfigKey.LOG_FILE);
    }

    /** haproxy_socket_file: every stats socket, UNIX and TCP, in the order given. */
    public List<HaproxyAddress> socketAddresses() {
        return get(ConfigKey.HAPROXY_SOCKET_FILE).map(v -> HaproxyAddress.parseList(v, null)).orElse(List.of());
    }

    /** The UNIX ones among them: only those can hand listening sockets over (-x) on a reload. */
    public List<Path> socketFiles() {
        return socketAddresses().stream().filter(HaproxyAddress::isUnix).map(HaproxyAddress::path).toList();
    }

    public String observeHost() {
        return require(ConfigKey.OBSERVE_HOST);
    }

    public int observePort() {
        return Integer.parseInt(require(ConfigKey.OBSERVE_PORT));
    }

    /** Basic auth users for /observe/jolokia; empty: Jolokia read-only without login. */
    public Optional<Path> observeCredentialsFile() {
        return get(ConfigKey.OBSERVE_CREDENTIALS_FILE).map(Path::of);
    }

    /** observe_route_control: Jolokia may exec Camel's route operations (for logged-in users). */
    public boolean observeRouteControl() {
        return get(ConfigKey.OBSERVE_ROUTE_CONTROL).map(Boolean::parseBoolean).orElse(false);
    }

    public Optional<String> serviceName() {
        return get(ConfigKey.SERVICE_NAME);
    }

    public StartBy startBy() {
        return StartBy.valueOf(require(ConfigKey.START_BY).toUpperCase(Locale.ROOT));
    }

    public UpdateType updateType() {
        return UpdateType.valueOf(require(ConfigKey.UPDATE_TYPE).toUpperCase(Locale.ROOT));
    }

    public Duration sleepBeforeNextRun() {
        return seconds(ConfigKey.SLEEP_BEFORE_NEXT_RUN);
    }

    /** While another controller holds the lock: the pause between two tries, and how long to keep trying. */
    public Duration lockRetryInterval() {
        return seconds(ConfigKey.SLEEP_BEFORE_NEXT_LOCK_ATTEMPT);
    }

    public Duration lockWaitTimeout() {
        return seconds(ConfigKey.LOCK_WAIT_TIMEOUT);
    }

    public Duration drainTimeout() {
        return seconds(ConfigKey.DRAIN_TIMEOUT);
    }

    public Duration lifecycleLaunchTimeout() {
        return seconds(ConfigKey.LIFECYCLE_LAUNCH_TIMEOUT);
    }

    /** Debounce and reload rate limit (README, "Debounce and reload rate limit"). */
    public Duration debounceMin() {
        return seconds(ConfigKey.DEBOUNCE_MIN);
    }

    public Duration debounceMax() {
        return get(ConfigKey.DEBOUNCE_MAX).isPresent() ? seconds(ConfigKey.DEBOUNCE_MAX) : debounceMin().multipliedBy(4);
    }

    public Duration reloadMinInterval() {
        return seconds(ConfigKey.RELOAD_MIN_INTERVAL);
    }

    public Duration reloadCoalesce() {
        return seconds(ConfigKey.RELOAD_COALESCE);
    }

    private Duration seconds(ConfigKey key) {
        return Duration.ofMillis(Math.round(Double.parseDouble(require(key)) * 1000));
    }

    /**
     * The config as Camel properties: {@code ep2.<section>.<key>} for every set key, plus
     * {@code ep2.poll_period_ms} for timers and {@code ep2.poll.enabled} (false when every pool's
     * orchestrator watches, see {@link PoolSpec#watches()}). Secrets are left out: routes that need them get
     * them from {@link #get(ConfigKey)} through a bean, so they never show up in property dumps.
     */
    public Properties toCamelProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (k != ConfigKey.AWS_SECRET_ACCESS_KEY && k != ConfigKey.CONSUL_ACL_TOKEN) {
                p.setProperty(k.property(), v);
            }
        });
        routeSections.forEach((section, keys) -> keys.forEach((k, v) -> p.setProperty("ep2." + section + "." + k, v)));
        p.setProperty("ep2.poll_period_ms", Long.toString(sleepBeforeNextRun().toMillis()));
        p.setProperty(PoolSpec.LIFECYCLE_PROPERTY, Boolean.toString(values.containsKey(ConfigKey.LIFECYCLE_QUEUE_URL)));
        p.setProperty("ep2.poll.enabled", Boolean.toString(pools.stream().anyMatch(pool -> !pool.watches())));
        return p;
    }
}
