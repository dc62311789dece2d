package io.ep2camel.config;

import io.ep2camel.model.HostNames;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * [CONSUL], whatever the orchestrator: an agent address that is a host, a service name and a
 * datacenter that fit in a URL, a blocking wait Consul accepts (at most 10 minutes), an ACL
 * token that can travel as an HTTP header. The token's value is never part of a message.
 */
final class ConsulChecks {
    private static final Pattern CONSUL_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private ConsulChecks() {
    }

    /** @param section where the values came from, a [pool:NAME] (null: [CONSUL]) */
    static void check(String file, String section, Map<ConfigKey, String> v) throws ConfigException {
        String ip = v.get(ConfigKey.CONSUL_IP);
        if (!HostNames.isValid(ip)) {
            throw ConfigException.forKey(file, section, ConfigKey.CONSUL_IP, "not an IPv4/IPv6 address or host name: '"
                    + HostNames.sanitize(ip) + "'");
        }
        String service = v.get(ConfigKey.CONSUL_SERVICE_NAME);
        if (service != null && !CONSUL_NAME.matcher(service).matches()) {
            throw ConfigException.forKey(file, section, ConfigKey.CONSUL_SERVICE_NAME,
                    "not a Consul service name (letters, digits, '-', '_', '.'): '" + service + "'");
        }
        String dc = v.get(ConfigKey.CONSUL_DATACENTER);
        if (dc != null && !CONSUL_NAME.matcher(dc).matches()) {
            throw ConfigException.forKey(file, section, ConfigKey.CONSUL_DATACENTER,
                    "not a Consul datacenter name (letters, digits, '-', '_', '.'): '" + dc + "'");
        }
        String tags = v.get(ConfigKey.TAGS);
        if (tags != null && Arrays.stream(tags.split(",")).map(String::trim).anyMatch(String::isEmpty)) {
            throw ConfigException.forKey(file, section, ConfigKey.TAGS,
                    "empty tag in '" + tags + "' (comma separated tags, none empty)");
        }
        if (Integer.parseInt(v.get(ConfigKey.CONSUL_WAIT)) > 600) {
            throw ConfigException.forKey(file, section, ConfigKey.CONSUL_WAIT,
                    "at most 600 seconds (Consul's limit), not " + v.get(ConfigKey.CONSUL_WAIT));
        }
        String token = v.get(ConfigKey.CONSUL_ACL_TOKEN);
        if (token != null && !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ConfigException.forKey(file, section, ConfigKey.CONSUL_ACL_TOKEN,
                    "must be printable ASCII without spaces (value not shown)");
        }
    }
}
