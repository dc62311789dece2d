package io.ep2camel.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The [AWS] values and asg_name: what the SDK and Auto Scaling would otherwise reject late. */
final class AwsChecks {
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}(\\.fifo)?");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

    private AwsChecks() {
    }

    /**
     * [AWS], whatever the orchestrator: the two keys come as a pair (neither = the SDK's default
     * chain), endpoints are plain http(s) URLs, a region looks like one. The secret's value is
     * never part of a message.
     */
    static void check(String file, Map<ConfigKey, String> v) throws ConfigException {
        boolean keyId = v.containsKey(ConfigKey.AWS_ACCESS_KEY_ID);
        boolean secret = v.containsKey(ConfigKey.AWS_SECRET_ACCESS_KEY);
        if (keyId != secret) {
            ConfigKey missing = keyId ? ConfigKey.AWS_SECRET_ACCESS_KEY : ConfigKey.AWS_ACCESS_KEY_ID;
            ConfigKey given = keyId ? ConfigKey.AWS_ACCESS_KEY_ID : ConfigKey.AWS_SECRET_ACCESS_KEY;
            throw ConfigException.forKey(file, null, missing, "required when " + given.key()
                    + " is set (leave both empty to use the SDK's default credentials chain)");
        }
        for (ConfigKey k : List.of(ConfigKey.ENDPOINT_URL, ConfigKey.AUTOSCALING_ENDPOINT_URL, ConfigKey.EC2_ENDPOINT_URL,
                ConfigKey.SQS_ENDPOINT_URL)) {
            String url = v.get(k);
            if (url != null) {
                checkHttpUrl(file, k, url);
            }
        }
        String region = v.get(ConfigKey.REGION_NAME);
        if (region != null && !AWS_REGION.matcher(region).matches()) {
            throw ConfigException.forKey(file, null, ConfigKey.REGION_NAME,
                    "not an AWS region name (like us-east-1): '" + region + "'");
        }
    }

    /**
     * asg_name is EP2's comma separated list of groups (their instances share the one backend):
     * each name non-empty, no name twice; kept as "a,b,c".
     * @param section where the value was given, when not in [AWS] (a [pool:NAME])
     */
    static void checkAsgNames(String file, String section, Map<ConfigKey, String> v) throws ConfigException {
        String names = v.get(ConfigKey.ASG_NAME);
        if (names == null) {
            return;
        }
        List<String> list = Arrays.stream(names.split(",", -1)).map(String::trim).toList();
        if (list.stream().anyMatch(String::isEmpty)) {
            throw ConfigException.forKey(file, section, ConfigKey.ASG_NAME, "empty group name in '" + names
                    + "' (one Auto Scaling group, or several comma separated, none empty)");
        }
        if (list.stream().distinct().count() < list.size()) {
            throw ConfigException.forKey(file, section, ConfigKey.ASG_NAME, "a group is named twice in '" + names + "'");
        }
        v.put(ConfigKey.ASG_NAME, String.join(",", list));
    }

    /**
     * lifecycle_queue_url ([AWS] or a pool's): an SQS queue URL, scheme://host[:port]/[account/]name,
     * the name as SQS allows it (letters, digits, '-', '_', up to 80, ".fifo" for a FIFO queue).
     */
    static void checkLifecycleQueue(String file, String section, Map<ConfigKey, String> v) throws ConfigException {
        String url = v.get(ConfigKey.LIFECYCLE_QUEUE_URL);
        if (url == null) {
            return;
        }
        checkHttpUrl(file, section, ConfigKey.LIFECYCLE_QUEUE_URL, url);
        String path = URI.create(url).getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (!QUEUE_NAME.matcher(name).matches()) {
            throw ConfigException.forKey(file, section, ConfigKey.LIFECYCLE_QUEUE_URL, "not an SQS queue URL (like "
                    + "https://sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle): '" + url + "' names no queue");
        }
    }

    private static void checkHttpUrl(String file, ConfigKey k, String url) throws ConfigException {
        checkHttpUrl(file, null, k, url);
    }

    private static void checkHttpUrl(String file, String section, ConfigKey k, String url) throws ConfigException {
        String shown = url.replaceAll("//[^/]*@", "//***@");   // a password in the URL is not echoed
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ConfigException.forKey(file, section, k, "not a URL: '" + shown + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!Set.of("http", "https").contains(scheme) || uri.getHost() == null) {
            throw ConfigException.forKey(file, section, k, "must be an http:// or https:// URL with a host, not '" + shown + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ConfigException.forKey(file, section, k, "must be scheme://host[:port][/path], without user, query or fragment");
        }
    }
}
