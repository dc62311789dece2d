package io.ep2camel.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The orchestrators a config may name: those with a route (routes/NAME.camel.yaml), and what
 * the built-in ones (aws, consul, file) need from it.
 */
final class Orchestrators {
    private static final Map<String, String> BUILT_IN_SECTIONS = Map.of("aws", "AWS", "consul", "CONSUL", "file", "FILE");
    /** The key that says what a built-in orchestrator watches: given in each pool, never inherited. */
    private static final Map<String, ConfigKey> IDENTITY_KEYS = Map.of("aws", ConfigKey.ASG_NAME,
            "consul", ConfigKey.CONSUL_SERVICE_NAME, "file", ConfigKey.FILE_PATH);

    private final Set<String> names;

    Orchestrators(Set<String> names) {
        this.names = names;
    }

    /** Whether a section is named after a route, in any case. */
    boolean hasRoute(String section) {
        return names.stream().anyMatch(section::equalsIgnoreCase);
    }

    List<String> sorted() {
        return names.stream().sorted().toList();
    }

    /**
     * The orchestrator a value names, matched without regard to case as EP2 compares it
     * ({@code orchestrator = AWS} is aws); the route's own spelling is the one kept.
     * @param section where it was given when not in [haproxy] (a [pool:NAME])
     */
    String named(String file, String section, String value) throws ConfigException {
        return names.stream().filter(value::equalsIgnoreCase).findFirst()
                .orElseThrow(() -> ConfigException.forKey(file, section, ConfigKey.ORCHESTRATOR, "unknown orchestrator '"
                        + value + "'; available: " + sorted()));
    }

    /** The section of a built-in orchestrator's keys ([AWS]...), null for a custom route. */
    static String builtInSection(String orchestrator) {
        return BUILT_IN_SECTIONS.get(orchestrator);
    }

    /** Every built-in orchestrator's "what it watches" key. */
    static Iterable<ConfigKey> identityKeys() {
        return IDENTITY_KEYS.values();
    }

    /**
     * The keys a built-in orchestrator cannot run without: what it watches (every other key has
     * a default). A custom orchestrator route reads its own keys.
     */
    static List<ConfigKey> requiredKeys(String orchestrator) {
        return Optional.ofNullable(IDENTITY_KEYS.get(orchestrator)).map(List::of).orElse(List.of());
    }
}
