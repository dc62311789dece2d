package io.ep2camel.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The consul CLI's environment variables (CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN, ...) for the
 * [CONSUL] keys ep2.conf leaves unset: the same settings every Consul tool reads, so an agent
 * host configured once for the CLI configures the controller too. A key in ep2.conf always wins.
 * The environment is a function (System::getenv in production) so tests pass their own.
 */
final class ConsulEnv {
    /** Key → the consul CLI's variable, in the README's order. */
    static final Map<ConfigKey, String> VARIABLES;

    static {
        Map<ConfigKey, String> m = new LinkedHashMap<>();
        m.put(ConfigKey.CONSUL_ADDRESS, "CONSUL_HTTP_ADDR");
        m.put(ConfigKey.CONSUL_CA_FILE, "CONSUL_CACERT");
        m.put(ConfigKey.CONSUL_CA_PATH, "CONSUL_CAPATH");
        m.put(ConfigKey.CONSUL_CERT_FILE, "CONSUL_CLIENT_CERT");
        m.put(ConfigKey.CONSUL_KEY_FILE, "CONSUL_CLIENT_KEY");
        m.put(ConfigKey.CONSUL_TLS_SERVER_NAME, "CONSUL_TLS_SERVER_NAME");
        m.put(ConfigKey.CONSUL_HTTPS, "CONSUL_HTTP_SSL");
        m.put(ConfigKey.CONSUL_ACL_TOKEN, "CONSUL_HTTP_TOKEN");
        m.put(ConfigKey.CONSUL_TOKEN_FILE, "CONSUL_HTTP_TOKEN_FILE");
        m.put(ConfigKey.CONSUL_NAMESPACE, "CONSUL_NAMESPACE");
        m.put(ConfigKey.CONSUL_PARTITION, "CONSUL_PARTITION");
        VARIABLES = Map.copyOf(m);
    }

    private ConsulEnv() {
    }

    /**
     * Fills the keys ep2.conf did not set from the environment, before defaults are applied.
     * CONSUL_HTTP_ADDR counts as unset address only when consul_ip and consul_port are unset too:
     * EP2's own keys in the file win over the environment as well. Relative paths resolve against
     * the working directory, as the consul CLI resolves them.
     */
    static void fill(String file, Map<ConfigKey, String> values, Function<String, String> env)
            throws ConfigException {
        for (Map.Entry<ConfigKey, String> e : VARIABLES.entrySet()) {
            ConfigKey k = e.getKey();
            if (values.containsKey(k)) { // set in ep2.conf ("key =" is EP2's "not set")
                continue;
            }
            if (k == ConfigKey.CONSUL_ADDRESS && (values.containsKey(ConfigKey.CONSUL_IP) || values.containsKey(ConfigKey.CONSUL_PORT))) {
                continue;
            }
            String v = env.apply(e.getValue());
            if (v == null || v.isBlank()) {
                continue;
            }
            v = v.trim();
            if (k == ConfigKey.CONSUL_HTTPS) {
                v = switch (v.toLowerCase(java.util.Locale.ROOT)) { // the CLI's strconv.ParseBool
                    case "1", "t", "true" -> "True";
                    case "0", "f", "false" -> "False";
                    default -> throw new ConfigException(file, "CONSUL", k.key(), "environment variable "
                            + e.getValue() + " is not a boolean: '" + v + "'");
                };
            }
            try {
                values.put(k, TypedValues.kept(k, v, Path.of("").toAbsolutePath()));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(file, "CONSUL", k.key(), "from environment variable " + e.getValue() + ": "
                        + (k == ConfigKey.CONSUL_ACL_TOKEN ? "not a valid token (value not shown)" : ex.getMessage()));
            }
        }
    }
}
