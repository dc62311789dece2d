package io.ep2camel.config;

import io.ep2camel.model.HostNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
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
        for (ConfigKey k : new ConfigKey[] {ConfigKey.CONSUL_NAMESPACE, ConfigKey.CONSUL_PARTITION}) {
            String n = v.get(k);
            if (n != null && !CONSUL_NAME.matcher(n).matches()) {
                throw ConfigException.forKey(file, section, k, "not a Consul name (letters, digits, '-', '_', '.'): '" + n + "'");
            }
        }
        String token = v.get(ConfigKey.CONSUL_ACL_TOKEN);
        if (token != null && !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ConfigException.forKey(file, section, ConfigKey.CONSUL_ACL_TOKEN,
                    "must be printable ASCII without spaces (value not shown)");
        }
    }

    /**
     * The agent connection, checked once a pool uses orchestrator consul: the address parses,
     * cert_file and key_file come together, every file named is readable, and the secret files
     * (key_file, token_file) are not readable by group or others unless
     * allow_world_readable_secrets says so — as ssh does with a private key.
     */
    static void checkAgent(String file, Map<ConfigKey, String> v) throws ConfigException {
        String address = v.get(ConfigKey.CONSUL_ADDRESS);
        if (address != null) {
            try {
                ConsulAddress.parse(address);
            } catch (IllegalArgumentException e) {
                throw ConfigException.forKey(file, null, ConfigKey.CONSUL_ADDRESS, e.getMessage());
            }
        }
        boolean cert = v.containsKey(ConfigKey.CONSUL_CERT_FILE);
        boolean key = v.containsKey(ConfigKey.CONSUL_KEY_FILE);
        if (cert != key) {
            throw ConfigException.forKey(file, null, cert ? ConfigKey.CONSUL_KEY_FILE : ConfigKey.CONSUL_CERT_FILE,
                    "required with " + (cert ? "cert_file" : "key_file") + " (a client certificate needs its key)");
        }
        for (ConfigKey k : new ConfigKey[] {ConfigKey.CONSUL_CA_FILE, ConfigKey.CONSUL_CERT_FILE, ConfigKey.CONSUL_KEY_FILE,
                ConfigKey.CONSUL_TOKEN_FILE}) {
            String p = v.get(k);
            if (p != null && !Files.isRegularFile(Path.of(p))) {
                throw ConfigException.forKey(file, null, k, "no such file: " + p);
            }
            if (p != null && !Files.isReadable(Path.of(p))) {
                throw ConfigException.forKey(file, null, k, "not readable: " + p);
            }
        }
        String caPath = v.get(ConfigKey.CONSUL_CA_PATH);
        if (caPath != null && !Files.isDirectory(Path.of(caPath))) {
            throw ConfigException.forKey(file, null, ConfigKey.CONSUL_CA_PATH, "no such directory: " + caPath);
        }
        if (!Boolean.parseBoolean(v.get(ConfigKey.CONSUL_ALLOW_WORLD_READABLE_SECRETS))) {
            for (ConfigKey k : new ConfigKey[] {ConfigKey.CONSUL_KEY_FILE, ConfigKey.CONSUL_TOKEN_FILE}) {
                String p = v.get(k);
                if (p != null) {
                    checkPrivate(file, k, Path.of(p));
                }
            }
        }
        // the TLS files are read now, so a bad one stops the start (exit 2) before anything runs
        readable(file, ConfigKey.CONSUL_CA_FILE, v, p -> ConsulTls.certificates(p));
        readable(file, ConfigKey.CONSUL_CERT_FILE, v, p -> ConsulTls.certificates(p));
        readable(file, ConfigKey.CONSUL_KEY_FILE, v, p -> ConsulTls.privateKey(p));
        if (caPath != null) {
            try (java.util.stream.Stream<Path> files = Files.list(Path.of(caPath))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    try {
                        ConsulTls.certificates(f);
                    } catch (IllegalArgumentException e) {
                        throw ConfigException.forKey(file, null, ConfigKey.CONSUL_CA_PATH, e.getMessage());
                    }
                }
            } catch (IOException e) {
                throw ConfigException.forKey(file, null, ConfigKey.CONSUL_CA_PATH, "cannot be listed: " + e.getMessage());
            }
        }
        if (Integer.parseInt(v.get(ConfigKey.CONSUL_MAX_STALE)) > 86400) {
            throw ConfigException.forKey(file, null, ConfigKey.CONSUL_MAX_STALE, "at most 86400 seconds, not "
                    + v.get(ConfigKey.CONSUL_MAX_STALE));
        }
    }

    private static void readable(String file, ConfigKey k, Map<ConfigKey, String> v,
                                 java.util.function.Consumer<Path> read) throws ConfigException {
        String p = v.get(k);
        if (p == null) {
            return;
        }
        try {
            read.accept(Path.of(p));
        } catch (IllegalArgumentException e) {
            throw ConfigException.forKey(file, null, k, e.getMessage());
        }
    }

    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private static void checkPrivate(String file, ConfigKey k, Path p) throws ConfigException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(p, new LinkOption[0]);
        } catch (UnsupportedOperationException | IOException e) {
            return; // no POSIX modes here (a non-POSIX file system): nothing to check against
        }
        if (perms.stream().anyMatch(OTHERS::contains)) {
            throw ConfigException.forKey(file, null, k, p + " has mode " + PosixFilePermissions.toString(perms)
                    + ": a secret readable or writable by group or others is refused; chmod 600 it, or set "
                    + "allow_world_readable_secrets = True");
        }
    }
}
