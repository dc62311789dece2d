package io.ep2camel.config;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One {@code [pool:NAME]} section: another backend of the same HAProxy, fed by its own
 * orchestrator. Its keys are laid over the shared ones: the server-line keys of [haproxy],
 * and the keys of its orchestrator's section that say what to watch (service_name,
 * asg_name, path, ...). The orchestrator's own "what" key must be given here, never inherited,
 * so two pools cannot silently watch the same thing; connection settings stay shared.
 */
final class PoolOverlay {
    private static final String POOL_PREFIX = "pool:";
    private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    /** [haproxy] keys a pool may set for itself: what its servers look like. */
    private static final Set<ConfigKey> POOL_KEYS = Set.of(ConfigKey.BACKEND_NAME, ConfigKey.ORCHESTRATOR,
            ConfigKey.BACKEND_PORT, ConfigKey.BACKEND_MAXCONN, ConfigKey.CHECK_INTERVAL, ConfigKey.DOWN_CHECK_INTERVAL, ConfigKey.NODE_SLOTS,
            ConfigKey.EMPTY_CONFIRMATIONS);
    /** Orchestrator keys a pool may set for itself: what to watch; connections and credentials are shared. */
    private static final Set<ConfigKey> POOL_ROUTE_KEYS = Set.of(ConfigKey.ASG_NAME, ConfigKey.IP_TYPE, ConfigKey.USE_PUBLIC_IP,
            ConfigKey.LIFECYCLE_QUEUE_URL,
            ConfigKey.CONSUL_SERVICE_NAME, ConfigKey.ONLY_PASSING, ConfigKey.TAGS, ConfigKey.CONSUL_DATACENTER,
            ConfigKey.CONSUL_WATCH, ConfigKey.CONSUL_WAIT, ConfigKey.CONSUL_NAMESPACE, ConfigKey.CONSUL_PARTITION,
            ConfigKey.FILE_PATH);

    private final String file;
    private final Path base;
    private final Orchestrators orchestrators;
    private final Map<ConfigKey, String> shared;
    private final Map<String, Map<String, String>> routeSections;

    /**
     * @param shared        the checked values of [haproxy] and the orchestrator sections
     * @param routeSections the custom routes' sections, by lower-cased name
     */
    PoolOverlay(String file, Path base, Orchestrators orchestrators, Map<ConfigKey, String> shared,
                Map<String, Map<String, String>> routeSections) {
        this.file = file;
        this.base = base;
        this.orchestrators = orchestrators;
        this.shared = shared;
        this.routeSections = routeSections;
    }

    static boolean isPoolSection(String section) {
        return section.regionMatches(true, 0, POOL_PREFIX, 0, POOL_PREFIX.length());
    }

    /** The pool a section describes, its values checked as the shared ones are. */
    PoolSpec pool(IniSectionReader.IniSection poolSection) throws ConfigException {
        String section = poolSection.name();
        String poolName = section.substring(POOL_PREFIX.length()).trim();
        if (!POOL_NAME.matcher(poolName).matches()) {
            throw new ConfigException(file, section, null, "pool name must be letters, digits, '_', '.', '-'");
        }
        Map<String, String> raw = poolSection.keys();
        if (raw.getOrDefault("orchestrator", "").isEmpty()) {
            throw new ConfigException(file, section, "orchestrator", "required in every pool");
        }
        String orchestrator = orchestrators.named(file, section, raw.get("orchestrator"));
        raw.put("orchestrator", orchestrator);
        String orchestratorSection = Orchestrators.builtInSection(orchestrator);
        Map<ConfigKey, String> v = new EnumMap<>(shared);
        Orchestrators.identityKeys().forEach(v::remove);
        // a queue carries one group's notifications: a pool reads its own, never [AWS]'s (two
        // consumers of one queue would each take, and drop as foreign, the other's messages)
        v.remove(ConfigKey.LIFECYCLE_QUEUE_URL);
        if (AwsAddressing.givenIn(raw)) {
            // a pool that says how to address its instances says it whole: nothing inherited to contradict
            v.remove(ConfigKey.IP_TYPE);
            v.remove(ConfigKey.USE_PUBLIC_IP);
        }
        v.put(ConfigKey.BACKEND_NAME, poolName);
        Map<String, String> routeKeys = new TreeMap<>(routeSections.getOrDefault(orchestrator, Map.of()));
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            Optional<ConfigKey> own = ConfigKey.find("haproxy", key).filter(POOL_KEYS::contains)
                    .or(() -> orchestratorSection == null ? Optional.empty()
                            : ConfigKey.find(orchestratorSection, key).filter(POOL_ROUTE_KEYS::contains));
            if (own.isPresent()) {
                ConfigKey ck = own.get();
                if (e.getValue().isEmpty()) {
                    v.remove(ck);
                    continue;
                }
                v.put(ck, TypedValues.given(file, section, ck, e.getValue(), base));
            } else if (orchestratorSection == null && key.matches("[a-z0-9_]+")) {
                routeKeys.put(key, TypedValues.routeKey(file, section, key, e.getValue()));
            } else {
                List<String> sharedIn = ConfigKey.sections().stream()
                        .filter(s -> ConfigKey.find(s, key).isPresent()).map(s -> "[" + s + "]").toList();
                Optional<String> ownerSection = ConfigKey.sections().stream()
                        .filter(s -> ConfigKey.find(s, key).filter(POOL_ROUTE_KEYS::contains).isPresent()).findFirst();
                throw new ConfigException(file, section, key, ownerSection.isPresent() && sharedIn.size() == 1
                        ? "a key of pools whose orchestrator reads [" + ownerSection.get() + "], not of orchestrator " + orchestrator
                        : sharedIn.isEmpty() ? "unknown key for a pool of orchestrator " + orchestrator
                        : "shared by all pools; set it in " + String.join(" or ", sharedIn));
            }
        }
        String backend = v.get(ConfigKey.BACKEND_NAME);
        if (!POOL_NAME.matcher(backend).matches()) {
            throw new ConfigException(file, section, "backend_name",
                    "must be letters, digits, '_', '.', '-' in a pool: '" + backend + "'");
        }
        for (ConfigKey k : Orchestrators.requiredKeys(orchestrator)) {
            if (!v.containsKey(k)) {
                throw new ConfigException(file, section, k.key(), "required in a pool of orchestrator " + orchestrator);
            }
        }
        ConsulChecks.check(file, section, v);
        AwsChecks.checkAsgNames(file, section, v);
        AwsChecks.checkLifecycleQueue(file, section, v);
        AwsAddressing.settle(file, section, v);
        return new PoolSpec(section, false, v, routeKeys);
    }
}
