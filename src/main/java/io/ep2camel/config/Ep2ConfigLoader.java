package io.ep2camel.config;

import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.ep2camel.model.HaproxyAddress;

/**
 * Reads EP2's INI ep2.conf unchanged and checks all of it before anything runs: unknown
 * sections and keys, types, the keys each mode needs, the template. The first problem found
 * is reported as one {@link ConfigException} naming file, key and reason.
 */
public final class Ep2ConfigLoader {
    private static final Pattern JINJA_NODES = Pattern.compile("\\{\\{\\s*nodes\\s*}}");
    private static final Pattern FTL_NODES = Pattern.compile("\\$\\{\\s*nodes\\s*}");
    private static final Pattern CONSUL_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

    private static final String POOL_PREFIX = "pool:";
    private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    /** [haproxy] keys a pool may set for itself: what its servers look like. */
    private static final Set<ConfigKey> POOL_KEYS = Set.of(ConfigKey.BACKEND_NAME, ConfigKey.ORCHESTRATOR,
            ConfigKey.BACKEND_PORT, ConfigKey.BACKEND_MAXCONN, ConfigKey.CHECK_INTERVAL, ConfigKey.NODE_SLOTS,
            ConfigKey.EMPTY_CONFIRMATIONS);
    /** Orchestrator keys a pool may set for itself: what to watch; connections and credentials are shared. */
    private static final Set<ConfigKey> POOL_ROUTE_KEYS = Set.of(ConfigKey.ASG_NAME, ConfigKey.IP_TYPE, ConfigKey.USE_PUBLIC_IP,
            ConfigKey.CONSUL_SERVICE_NAME, ConfigKey.ONLY_PASSING, ConfigKey.TAGS, ConfigKey.CONSUL_DATACENTER,
            ConfigKey.CONSUL_WATCH, ConfigKey.CONSUL_WAIT, ConfigKey.FILE_PATH);
    private static final Map<String, String> BUILT_IN_SECTIONS = Map.of("aws", "AWS", "consul", "CONSUL", "file", "FILE");
    /** The key that says what a built-in orchestrator watches: given in each pool, never inherited. */
    private static final Map<String, ConfigKey> IDENTITY_KEYS = Map.of("aws", ConfigKey.ASG_NAME,
            "consul", ConfigKey.CONSUL_SERVICE_NAME, "file", ConfigKey.FILE_PATH);


    private final Set<String> orchestrators;

    /** @param orchestrators the orchestrator names that have a route (routes/NAME.camel.yaml) */
    public Ep2ConfigLoader(Set<String> orchestrators) {
        this.orchestrators = orchestrators;
    }

    public Ep2Config load(Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        String name = abs.toString();
        INIConfiguration ini = read(abs, name);
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);

        java.util.Set<String> seen = new java.util.HashSet<>();
        Map<String, Map<String, String>> routeSections = new java.util.TreeMap<>();
        Map<String, SubnodeConfiguration> poolSections = new java.util.LinkedHashMap<>();
        if (!ini.getSection(null).isEmpty()) {
            throw new ConfigException(name, null, ini.getSection(null).getKeys().next(),
                    "key outside any section; EP2 keys go under [haproxy]");
        }
        for (String section : ini.getSections()) {
            if (section == null) {
                continue;
            }
            SubnodeConfiguration sub = ini.getSection(section);
            if (section.regionMatches(true, 0, POOL_PREFIX, 0, POOL_PREFIX.length())) {
                poolSections.put(section, sub);
                continue;
            }
            if (ConfigKey.sections().stream().noneMatch(section::equalsIgnoreCase)) {
                routeSections.put(section.toLowerCase(Locale.ROOT), routeSection(name, section, sub));
                continue;
            }
            for (Iterator<String> it = sub.getKeys(); it.hasNext(); ) {
                String rawKey = it.next();
                String key = rawKey.toLowerCase(Locale.ROOT); // configparser lower-cases keys
                ConfigKey ck = ConfigKey.find(section, key)
                        .orElseThrow(() -> new ConfigException(name, section, key, "unknown key"));
                List<Object> given = sub.getList(rawKey);
                // configparser lower-cases before its duplicate check: Backend_Name repeats backend_name
                if (given.size() > 1 || !seen.add(ck.name())) {
                    throw new ConfigException(name, section, key, "given more than once");
                }
                String value = given.isEmpty() || given.get(0) == null ? "" : given.get(0).toString().trim();
                if (value.isEmpty()) {
                    continue; // EP2 writes "key =" for "not set"
                }
                try {
                    values.put(ck, resolve(ck, ck.type().check(value), abs.getParent()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, section, key, e.getMessage());
                }
            }
        }
        for (ConfigKey k : ConfigKey.values()) {
            k.defaultValue().ifPresent(d -> values.putIfAbsent(k, resolve(k, k.type().check(d), abs.getParent())));
        }
        String templateText = checkModes(name, values);
        boolean publicByDefault = AwsAddressing.settle(name, null, values);
        Path template = Path.of(values.get(ConfigKey.TEMPLATE_FILE));
        List<PoolSpec> pools = new java.util.ArrayList<>();
        pools.add(new PoolSpec("haproxy", true, values, routeSections.getOrDefault(values.get(ConfigKey.ORCHESTRATOR), Map.of())));
        boolean warnPublic = publicByDefault && values.get(ConfigKey.ORCHESTRATOR).equals("aws");
        for (Map.Entry<String, SubnodeConfiguration> pool : poolSections.entrySet()) {
            PoolSpec spec = pool(name, abs.getParent(), pool.getKey(), pool.getValue(), values, routeSections);
            if (pools.stream().anyMatch(p -> p.backendName().equals(spec.backendName()))) {
                throw new ConfigException(name, pool.getKey(), "backend_name",
                        "backend '" + spec.backendName() + "' is already fed by another pool");
            }
            checkTemplateMentions(name, pool.getKey(), template, templateText, spec.backendName());
            pools.add(spec);
            warnPublic |= publicByDefault && spec.orchestrator().equals("aws")
                    && !AwsAddressing.givenIn(keyValues(name, pool.getKey(), pool.getValue()));
        }
        List<String> warnings = new java.util.ArrayList<>();
        if (warnPublic) {
            warnings.add(AwsAddressing.PUBLIC_BY_DEFAULT);
        }
        sockets(values).stream().filter(a -> !a.isLoopback()).forEach(a -> warnings.add("[haproxy] haproxy_socket_file: "
                + a + " is not a loopback address. HAProxy's CLI has no authentication: at level admin, whoever reaches "
                + "it controls HAProxy; bind that stats socket to loopback or a private interface only"));
        return new Ep2Config(abs, values, routeSections, pools, warnings);
    }

    /**
     * One {@code [pool:NAME]} section: another backend of the same HAProxy, fed by its own
     * orchestrator. Its keys are laid over the shared ones: the server-line keys of [haproxy],
     * and the keys of its orchestrator's section that say what to watch (service_name,
     * asg_name, path, ...). The orchestrator's own "what" key must be given here, never inherited,
     * so two pools cannot silently watch the same thing; connection settings stay shared.
     */
    private PoolSpec pool(String name, Path base, String section, SubnodeConfiguration sub,
                          Map<ConfigKey, String> shared, Map<String, Map<String, String>> routeSections)
            throws ConfigException {
        String poolName = section.substring(POOL_PREFIX.length()).trim();
        if (!POOL_NAME.matcher(poolName).matches()) {
            throw new ConfigException(name, section, null, "pool name must be letters, digits, '_', '.', '-'");
        }
        Map<String, String> raw = keyValues(name, section, sub);
        if (raw.getOrDefault("orchestrator", "").isEmpty()) {
            throw new ConfigException(name, section, "orchestrator", "required in every pool");
        }
        String orchestrator = orchestrator(name, section, raw.get("orchestrator"));
        raw.put("orchestrator", orchestrator);
        String orchestratorSection = BUILT_IN_SECTIONS.get(orchestrator);
        Map<ConfigKey, String> v = new EnumMap<>(shared);
        IDENTITY_KEYS.values().forEach(v::remove);
        if (AwsAddressing.givenIn(raw)) {
            // a pool that says how to address its instances says it whole: nothing inherited to contradict
            v.remove(ConfigKey.IP_TYPE);
            v.remove(ConfigKey.USE_PUBLIC_IP);
        }
        v.put(ConfigKey.BACKEND_NAME, poolName);
        Map<String, String> routeKeys = new java.util.TreeMap<>(routeSections.getOrDefault(orchestrator, Map.of()));
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
                try {
                    v.put(ck, resolve(ck, ck.type().check(e.getValue()), base));
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(name, section, key, ex.getMessage());
                }
            } else if (orchestratorSection == null && key.matches("[a-z0-9_]+")) {
                routeKeys.put(key, routeKey(name, section, key, e.getValue()));
            } else {
                List<String> sharedIn = ConfigKey.sections().stream()
                        .filter(s -> ConfigKey.find(s, key).isPresent()).map(s -> "[" + s + "]").toList();
                throw new ConfigException(name, section, key, sharedIn.isEmpty()
                        ? "unknown key for a pool of orchestrator " + orchestrator
                        : "shared by all pools; set it in " + String.join(" or ", sharedIn));
            }
        }
        String backend = v.get(ConfigKey.BACKEND_NAME);
        if (!POOL_NAME.matcher(backend).matches()) {
            throw new ConfigException(name, section, "backend_name",
                    "must be letters, digits, '_', '.', '-' in a pool: '" + backend + "'");
        }
        for (ConfigKey k : requiredKeys(orchestrator)) {
            if (!v.containsKey(k)) {
                throw new ConfigException(name, section, k.key(), "required in a pool of orchestrator " + orchestrator);
            }
        }
        checkConsul(name, section, v);
        checkAsgNames(name, section, v);
        AwsAddressing.settle(name, section, v);
        return new PoolSpec(section, false, v, routeKeys);
    }

    /** A second pool's servers must have a place in the template, or they would silently go nowhere. */
    private static void checkTemplateMentions(String name, String section, Path template, String text, String backend)
            throws ConfigException {
        String q = Pattern.quote(backend);
        boolean ftl = template.toString().endsWith(".ftl");
        Pattern mention = Pattern.compile(ftl ? "pools\\s*(\\." + q + "\\b|\\[\\s*\"" + q + "\"\\s*])"
                : "pools\\s*(\\.\\s*" + q + "\\b|\\[\\s*['\"]" + q + "['\"]\\s*])");
        if (!mention.matcher(text).find()) {
            throw new ConfigException(name, section, "backend_name", "template " + template + " does not place pool '"
                    + backend + "': add " + (ftl ? "${pools[\"" + backend + "\"].nodes}" : "{{ pools['" + backend + "'].nodes }}")
                    + " to its backend section");
        }
    }

    /**
     * A section named after an orchestrator route that ep2-camel does not know itself (a YAML
     * file dropped into routes/): its keys are the route's own, passed on as
     * {@code ep2.<section>.<key>} after the checks every value gets.
     */
    private Map<String, String> routeSection(String name, String section, SubnodeConfiguration sub)
            throws ConfigException {
        if (orchestrators.stream().noneMatch(section::equalsIgnoreCase)) {
            throw new ConfigException(name, section, null, "unknown section; known sections: "
                    + ConfigKey.sections() + " and one per orchestrator route " + orchestrators.stream().sorted().toList());
        }
        Map<String, String> keys = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : keyValues(name, section, sub).entrySet()) {
            keys.put(e.getKey(), routeKey(name, section, e.getKey(), e.getValue()));
        }
        return keys;
    }

    /** A custom route's own key: a plain name, a value that passes the checks every value gets. */
    private static String routeKey(String name, String section, String key, String value) throws ConfigException {
        if (!key.matches("[a-z0-9_]+")) {
            throw new ConfigException(name, section, key, "key must be letters, digits and '_'");
        }
        try {
            return KeyType.TEXT.check(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, section, key, e.getMessage());
        }
    }

    /** A section's keys, lower-cased as configparser does, each given once, values trimmed ("" when empty). */
    private static Map<String, String> keyValues(String name, String section, SubnodeConfiguration sub)
            throws ConfigException {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (Iterator<String> it = sub.getKeys(); it.hasNext(); ) {
            String rawKey = it.next();
            String key = rawKey.toLowerCase(Locale.ROOT);
            List<Object> given = sub.getList(rawKey);
            if (given.size() > 1 || keys.containsKey(key)) {
                throw new ConfigException(name, section, key, "given more than once");
            }
            keys.put(key, given.isEmpty() || given.get(0) == null ? "" : given.get(0).toString().trim());
        }
        return keys;
    }

    private static INIConfiguration read(Path abs, String name) throws ConfigException {
        if (!Files.isRegularFile(abs)) {
            throw new ConfigException(name, null, null, "config file not found");
        }
        INIConfiguration ini = new INIConfiguration();
        try (Reader r = Files.newBufferedReader(abs, StandardCharsets.UTF_8)) {
            ini.read(r);
        } catch (IOException e) {
            throw new ConfigException(name, null, null, "cannot read: " + e.getMessage());
        } catch (ConfigurationException e) {
            throw new ConfigException(name, null, null, "not a valid INI file: " + e.getMessage());
        }
        return ini;
    }

    private static String resolve(ConfigKey k, String value, Path base) {
        if (k.type() == KeyType.PATH) {
            return base.resolve(value).normalize().toString();
        }
        if (k.type() == KeyType.SOCKET_LIST) {
            return String.join(",", HaproxyAddress.parseList(value, base).stream().map(Object::toString).toList());
        }
        return value;
    }

    /**
     * Every [haproxy] key has EP2's default, so nothing there can be missing; what is checked is
     * that the values (given or default) make sense together.
     * @return the template's text, for the checks of the pools it must place
     */
    private String checkModes(String name, Map<ConfigKey, String> v) throws ConfigException {
        String backend = v.get(ConfigKey.BACKEND_NAME);
        if (!backend.matches("[A-Za-z0-9_.:-]+")) {
            throw error(name, ConfigKey.BACKEND_NAME, "not a valid HAProxy proxy name: '" + backend + "'");
        }
        String startBy = v.get(ConfigKey.START_BY);
        if (!Set.of("binary", "systemd").contains(startBy)) {
            throw error(name, ConfigKey.START_BY, "must be binary or systemd, not '" + startBy + "'");
        }
        if (startBy.equals("binary") && sockets(v).stream().noneMatch(HaproxyAddress::isUnix)) {
            throw error(name, ConfigKey.HAPROXY_SOCKET_FILE, "start_by = binary hands the listening sockets to the "
                    + "new HAProxy over a UNIX stats socket (-x), and '" + v.get(ConfigKey.HAPROXY_SOCKET_FILE)
                    + "' has none; add the template's UNIX stats socket to the list (or use start_by = systemd)");
        }
        String updateType = v.get(ConfigKey.UPDATE_TYPE);
        if (!Set.of("update_by_config", "update_by_runtime").contains(updateType)) {
            throw error(name, ConfigKey.UPDATE_TYPE,
                    "must be update_by_config or update_by_runtime, not '" + updateType + "'");
        }
        String orchestrator = orchestrator(name, null, v.get(ConfigKey.ORCHESTRATOR));
        v.put(ConfigKey.ORCHESTRATOR, orchestrator);
        for (ConfigKey k : requiredKeys(orchestrator)) {
            required(name, v, k, "orchestrator = " + orchestrator);
        }
        checkAws(name, v);
        checkAsgNames(name, null, v);
        checkConsul(name, null, v);
        String templateText = checkTemplate(name, Path.of(v.get(ConfigKey.TEMPLATE_FILE)));
        checkWritableParent(name, ConfigKey.LOG_FILE, Path.of(v.get(ConfigKey.LOG_FILE)));
        String max = v.get(ConfigKey.DEBOUNCE_MAX);
        if (max != null && Double.parseDouble(max) < Double.parseDouble(v.get(ConfigKey.DEBOUNCE_MIN))) {
            throw error(name, ConfigKey.DEBOUNCE_MAX, "must not be less than debounce_min ("
                    + v.get(ConfigKey.DEBOUNCE_MIN) + "), not " + max);
        }
        return templateText;
    }

    /**
     * [AWS], whatever the orchestrator: the two keys come as a pair (neither = the SDK's default
     * chain), endpoints are plain http(s) URLs, a region looks like one. The secret's value is
     * never part of a message.
     */
    private static void checkAws(String name, Map<ConfigKey, String> v) throws ConfigException {
        boolean keyId = v.containsKey(ConfigKey.AWS_ACCESS_KEY_ID);
        boolean secret = v.containsKey(ConfigKey.AWS_SECRET_ACCESS_KEY);
        if (keyId != secret) {
            ConfigKey missing = keyId ? ConfigKey.AWS_SECRET_ACCESS_KEY : ConfigKey.AWS_ACCESS_KEY_ID;
            ConfigKey given = keyId ? ConfigKey.AWS_ACCESS_KEY_ID : ConfigKey.AWS_SECRET_ACCESS_KEY;
            throw error(name, missing, "required when " + given.key()
                    + " is set (leave both empty to use the SDK's default credentials chain)");
        }
        for (ConfigKey k : List.of(ConfigKey.ENDPOINT_URL, ConfigKey.AUTOSCALING_ENDPOINT_URL, ConfigKey.EC2_ENDPOINT_URL)) {
            String url = v.get(k);
            if (url != null) {
                checkHttpUrl(name, k, url);
            }
        }
        String region = v.get(ConfigKey.REGION_NAME);
        if (region != null && !AWS_REGION.matcher(region).matches()) {
            throw error(name, ConfigKey.REGION_NAME, "not an AWS region name (like us-east-1): '" + region + "'");
        }
    }

    /**
     * [CONSUL], whatever the orchestrator: an agent address that is a host, a service name and a
     * datacenter that fit in a URL, a blocking wait Consul accepts (at most 10 minutes), an ACL
     * token that can travel as an HTTP header. The token's value is never part of a message.
     * {@code section}: where the values came from, a [pool:NAME] (null: [CONSUL]).
     */
    private static void checkConsul(String name, String section, Map<ConfigKey, String> v) throws ConfigException {
        String ip = v.get(ConfigKey.CONSUL_IP);
        if (!io.ep2camel.model.HostNames.isValid(ip)) {
            throw error(name, section, ConfigKey.CONSUL_IP, "not an IPv4/IPv6 address or host name: '"
                    + io.ep2camel.model.HostNames.sanitize(ip) + "'");
        }
        String service = v.get(ConfigKey.CONSUL_SERVICE_NAME);
        if (service != null && !CONSUL_NAME.matcher(service).matches()) {
            throw error(name, section, ConfigKey.CONSUL_SERVICE_NAME,
                    "not a Consul service name (letters, digits, '-', '_', '.'): '" + service + "'");
        }
        String dc = v.get(ConfigKey.CONSUL_DATACENTER);
        if (dc != null && !CONSUL_NAME.matcher(dc).matches()) {
            throw error(name, section, ConfigKey.CONSUL_DATACENTER,
                    "not a Consul datacenter name (letters, digits, '-', '_', '.'): '" + dc + "'");
        }
        String tags = v.get(ConfigKey.TAGS);
        if (tags != null && java.util.Arrays.stream(tags.split(",")).map(String::trim).anyMatch(String::isEmpty)) {
            throw error(name, section, ConfigKey.TAGS, "empty tag in '" + tags + "' (comma separated tags, none empty)");
        }
        if (Integer.parseInt(v.get(ConfigKey.CONSUL_WAIT)) > 600) {
            throw error(name, section, ConfigKey.CONSUL_WAIT, "at most 600 seconds (Consul's limit), not " + v.get(ConfigKey.CONSUL_WAIT));
        }
        String token = v.get(ConfigKey.CONSUL_ACL_TOKEN);
        if (token != null && !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw error(name, section, ConfigKey.CONSUL_ACL_TOKEN, "must be printable ASCII without spaces (value not shown)");
        }
    }

    private static void checkHttpUrl(String name, ConfigKey k, String url) throws ConfigException {
        String shown = url.replaceAll("//[^/]*@", "//***@");   // a password in the URL is not echoed
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw error(name, k, "not a URL: '" + shown + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!Set.of("http", "https").contains(scheme) || uri.getHost() == null) {
            throw error(name, k, "must be an http:// or https:// URL with a host, not '" + shown + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw error(name, k, "must be scheme://host[:port][/path], without user, query or fragment");
        }
    }

    /** haproxy_socket_file's addresses, already checked and resolved. */
    private static List<HaproxyAddress> sockets(Map<ConfigKey, String> v) {
        return HaproxyAddress.parseList(v.get(ConfigKey.HAPROXY_SOCKET_FILE), null);
    }

    /**
     * The orchestrator a value names, matched without regard to case as EP2 compares it
     * ({@code orchestrator = AWS} is aws); the route's own spelling is the one kept.
     * @param section where it was given when not in [haproxy] (a [pool:NAME])
     */
    private String orchestrator(String name, String section, String value) throws ConfigException {
        return orchestrators.stream().filter(value::equalsIgnoreCase).findFirst()
                .orElseThrow(() -> error(name, section, ConfigKey.ORCHESTRATOR, "unknown orchestrator '" + value
                        + "'; available: " + orchestrators.stream().sorted().toList()));
    }

    /**
     * asg_name is EP2's comma separated list of groups (their instances share the one backend):
     * each name non-empty, no name twice; kept as "a,b,c".
     */
    private static void checkAsgNames(String name, String section, Map<ConfigKey, String> v) throws ConfigException {
        String names = v.get(ConfigKey.ASG_NAME);
        if (names == null) {
            return;
        }
        List<String> list = java.util.Arrays.stream(names.split(",", -1)).map(String::trim).toList();
        if (list.stream().anyMatch(String::isEmpty)) {
            throw error(name, section, ConfigKey.ASG_NAME, "empty group name in '" + names
                    + "' (one Auto Scaling group, or several comma separated, none empty)");
        }
        if (list.stream().distinct().count() < list.size()) {
            throw error(name, section, ConfigKey.ASG_NAME, "a group is named twice in '" + names + "'");
        }
        v.put(ConfigKey.ASG_NAME, String.join(",", list));
    }

    /**
     * The keys a built-in orchestrator cannot run without: what it watches (every other key has
     * a default). A custom orchestrator route reads its own keys.
     */
    private static List<ConfigKey> requiredKeys(String orchestrator) {
        return Optional.ofNullable(IDENTITY_KEYS.get(orchestrator)).map(List::of).orElse(List.of());
    }

    /** Readable, with the servers' placeholder; returns its text. */
    private static String checkTemplate(String name, Path template) throws ConfigException {
        String text;
        try {
            text = Files.readString(template);
        } catch (IOException e) {
            throw error(name, ConfigKey.TEMPLATE_FILE, "cannot read template " + template + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        boolean ftl = template.toString().endsWith(".ftl");
        if (!(ftl ? FTL_NODES : JINJA_NODES).matcher(text).find()) {
            throw error(name, ConfigKey.TEMPLATE_FILE, "template " + template + " has no "
                    + (ftl ? "${nodes}" : "{{nodes}}") + " placeholder for the servers");
        }
        return text;
    }

    /** Checked without creating anything: a bad config must leave no trace. */
    private static void checkWritableParent(String name, ConfigKey key, Path file) throws ConfigException {
        if (Files.exists(file)) {
            if (!Files.isWritable(file)) {
                throw error(name, key, file + " is not writable");
            }
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw error(name, key, "cannot create " + file + ": " + dir + " is not a writable directory");
        }
    }

    private static void required(String name, Map<ConfigKey, String> v, ConfigKey k, String when)
            throws ConfigException {
        if (!v.containsKey(k)) {
            throw error(name, k, "required when " + when);
        }
    }

    private static ConfigException error(String name, ConfigKey k, String reason) {
        return error(name, null, k, reason);
    }

    /** @param section where the value was given, when not in its own section (a [pool:NAME]) */
    static ConfigException error(String name, String section, ConfigKey k, String reason) {
        return new ConfigException(name, section == null ? k.section() : section, k.key(), reason);
    }
}
