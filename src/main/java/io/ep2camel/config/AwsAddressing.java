package io.ep2camel.config;

import java.util.Locale;
import java.util.Map;

/**
 * Which address of an instance the aws orchestrator uses. Two keys say it: EP2's {@code ip_type}
 * ({@code private} = PrivateIpAddress, anything else = PublicIpAddress in EP2's code; here only
 * private or public, in any case) and ep2-camel's {@code use_public_ip}. Given both, they must agree.
 * Given neither, EP2's code takes the public address, and so does ep2-camel — with a warning,
 * since the private address is what a load balancer inside the VPC should use.
 */
final class AwsAddressing {
    static final String PUBLIC_BY_DEFAULT = "[AWS] ip_type is not set: instances are addressed by their public "
            + "IPv4, as EP2 does; set ip_type = private to reach them on their private address inside the VPC";

    private AwsAddressing() {
    }

    /**
     * Checks ip_type and use_public_ip and fills in both, so that each says the same.
     * @param section where the values were given, when not in [AWS] (a [pool:NAME])
     * @return true when neither was given and the public address was taken by EP2's default
     */
    static boolean settle(String name, String section, Map<ConfigKey, String> v) throws ConfigException {
        String ipType = v.get(ConfigKey.IP_TYPE);
        String usePublic = v.get(ConfigKey.USE_PUBLIC_IP);
        Boolean fromType = null;
        if (ipType != null) {
            String t = ipType.toLowerCase(Locale.ROOT);
            if (!t.equals("private") && !t.equals("public")) {
                throw ConfigException.forKey(name, section, ConfigKey.IP_TYPE,
                        "must be private or public, not '" + ipType + "'");
            }
            fromType = t.equals("public");
        }
        if (fromType != null && usePublic != null && fromType != Boolean.parseBoolean(usePublic)) {
            throw ConfigException.forKey(name, section, ConfigKey.USE_PUBLIC_IP, "is " + usePublic
                    + " but ip_type = " + ipType + " says the " + (fromType ? "public" : "private")
                    + " address; set only one of them");
        }
        boolean isPublic = fromType != null ? fromType : usePublic == null || Boolean.parseBoolean(usePublic);
        v.put(ConfigKey.IP_TYPE, isPublic ? "public" : "private");
        v.put(ConfigKey.USE_PUBLIC_IP, Boolean.toString(isPublic));
        return ipType == null && usePublic == null;
    }

    /** Whether a section's keys (lower-cased, values trimmed) give ip_type or use_public_ip a value of its own. */
    static boolean givenIn(Map<String, String> keys) {
        return !keys.getOrDefault(ConfigKey.IP_TYPE.key(), "").isEmpty()
                || !keys.getOrDefault(ConfigKey.USE_PUBLIC_IP.key(), "").isEmpty();
    }
}
