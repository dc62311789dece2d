package io.ep2camel.config;

import io.ep2camel.model.HaproxyAddress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared values (EP2's own pool), given or default, make sense together: how HAProxy is
 * started and updated, the orchestrator and what it needs, [AWS] and [CONSUL], the template,
 * the log file, the debounce window. Every [haproxy] key has EP2's default, so nothing there
 * can be missing.
 */
final class ModeChecks {

    private ModeChecks() {
    }

    /**
     * Normalises orchestrator (the route's spelling) and asg_name on the way.
     * @return the template's text, for the checks of the pools it must place
     */
    static String check(String file, Map<ConfigKey, String> v, Orchestrators orchestrators) throws ConfigException {
        String backend = v.get(ConfigKey.BACKEND_NAME);
        if (!backend.matches("[A-Za-z0-9_.:-]+")) {
            throw ConfigException.forKey(file, null, ConfigKey.BACKEND_NAME, "not a valid HAProxy proxy name: '" + backend + "'");
        }
        String startBy = v.get(ConfigKey.START_BY);
        if (!Set.of("binary", "systemd").contains(startBy)) {
            throw ConfigException.forKey(file, null, ConfigKey.START_BY, "must be binary or systemd, not '" + startBy + "'");
        }
        if (startBy.equals("binary") && sockets(v).stream().noneMatch(HaproxyAddress::isUnix)) {
            throw ConfigException.forKey(file, null, ConfigKey.HAPROXY_SOCKET_FILE, "start_by = binary hands the listening"
                    + " sockets to the new HAProxy over a UNIX stats socket (-x), and '" + v.get(ConfigKey.HAPROXY_SOCKET_FILE)
                    + "' has none; add the template's UNIX stats socket to the list (or use start_by = systemd)");
        }
        String updateType = v.get(ConfigKey.UPDATE_TYPE);
        if (!Set.of("update_by_config", "update_by_runtime").contains(updateType)) {
            throw ConfigException.forKey(file, null, ConfigKey.UPDATE_TYPE,
                    "must be update_by_config or update_by_runtime, not '" + updateType + "'");
        }
        String orchestrator = orchestrators.named(file, null, v.get(ConfigKey.ORCHESTRATOR));
        v.put(ConfigKey.ORCHESTRATOR, orchestrator);
        for (ConfigKey k : Orchestrators.requiredKeys(orchestrator)) {
            if (!v.containsKey(k)) {
                throw ConfigException.forKey(file, null, k, "required when orchestrator = " + orchestrator);
            }
        }
        AwsChecks.check(file, v);
        AwsChecks.checkAsgNames(file, null, v);
        AwsChecks.checkLifecycleQueue(file, null, v);
        if (v.containsKey(ConfigKey.LIFECYCLE_QUEUE_URL) && !orchestrator.equals("aws")) {
            throw ConfigException.forKey(file, null, ConfigKey.LIFECYCLE_QUEUE_URL, "[AWS]'s serves the [haproxy] pool, "
                    + "whose orchestrator is " + orchestrator + ", not aws; an aws pool sets its own in its [pool:NAME] section");
        }
        ConsulChecks.check(file, null, v);
        String templateText = TemplateChecks.checkPlaceholder(file, Path.of(v.get(ConfigKey.TEMPLATE_FILE)));
        checkWritableParent(file, ConfigKey.LOG_FILE, Path.of(v.get(ConfigKey.LOG_FILE)));
        checkObserveAccess(file, v);
        String max = v.get(ConfigKey.DEBOUNCE_MAX);
        if (max != null && Double.parseDouble(max) < Double.parseDouble(v.get(ConfigKey.DEBOUNCE_MIN))) {
            throw ConfigException.forKey(file, null, ConfigKey.DEBOUNCE_MAX, "must not be less than debounce_min ("
                    + v.get(ConfigKey.DEBOUNCE_MIN) + "), not " + max);
        }
        return templateText;
    }

    /** What runs but should not: a TCP stats socket off loopback (HAProxy's CLI has no authentication). */
    static List<String> socketWarnings(Map<ConfigKey, String> v) {
        return sockets(v).stream().filter(a -> !a.isLoopback()).map(a -> "[haproxy] haproxy_socket_file: " + a
                + " is not a loopback address. HAProxy's CLI has no authentication: at level admin, whoever reaches "
                + "it controls HAProxy; bind that stats socket to loopback or a private interface only").toList();
    }

    /**
     * Jolokia can change the controller only for users who log in, and their passwords are read
     * by the controller's user only: route control needs the credentials file, which must be
     * a regular file no one but its owner can read.
     */
    private static void checkObserveAccess(String file, Map<ConfigKey, String> v) throws ConfigException {
        String credentials = v.get(ConfigKey.OBSERVE_CREDENTIALS_FILE);
        if (credentials == null || credentials.isEmpty()) {
            if (Boolean.parseBoolean(v.get(ConfigKey.OBSERVE_ROUTE_CONTROL))) {
                throw ConfigException.forKey(file, null, ConfigKey.OBSERVE_ROUTE_CONTROL, "route control through Jolokia"
                        + " needs a login: set observe_credentials_file (a file readable by its owner only)");
            }
            return;
        }
        Path path = Path.of(credentials);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw ConfigException.forKey(file, null, ConfigKey.OBSERVE_CREDENTIALS_FILE, path + " is not a readable file");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
            others.retainAll(perms);
            if (!others.isEmpty()) {
                throw ConfigException.forKey(file, null, ConfigKey.OBSERVE_CREDENTIALS_FILE, path + " has mode "
                        + PosixFilePermissions.toString(perms) + ": others can read or change the passwords in it;"
                        + " chmod 600 it (owner only)");
            }
        } catch (java.io.IOException e) {
            throw ConfigException.forKey(file, null, ConfigKey.OBSERVE_CREDENTIALS_FILE, "cannot read the mode of " + path
                    + ": " + e.getMessage());
        }
    }

    /** haproxy_socket_file's addresses, already checked and resolved. */
    private static List<HaproxyAddress> sockets(Map<ConfigKey, String> v) {
        return HaproxyAddress.parseList(v.get(ConfigKey.HAPROXY_SOCKET_FILE), null);
    }

    /** Checked without creating anything: a bad config must leave no trace. */
    private static void checkWritableParent(String file, ConfigKey key, Path path) throws ConfigException {
        if (Files.exists(path)) {
            if (!Files.isWritable(path)) {
                throw ConfigException.forKey(file, null, key, path + " is not writable");
            }
            return;
        }
        Path dir = path.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw ConfigException.forKey(file, null, key, "cannot create " + path + ": " + dir + " is not a writable directory");
        }
    }
}
