package io.ep2camel.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every key ep2.conf may hold: EP2's own, with EP2's defaults, plus ep2-camel's additions.
 * This table is the single source for parsing, defaults, the Camel properties the routes
 * see ({@code ep2.<section>.<key>}) and the README's config reference.
 */
public enum ConfigKey {
    HAPROXY_CONFIG_FILE("haproxy", "haproxy_config_file", KeyType.PATH, "/etc/haproxy/haproxy.cfg",
            "HAProxy config file written from the template"),
    TEMPLATE_FILE("haproxy", "template_file", KeyType.PATH, "/etc/ep2/ep2.template",
            "template with {{nodes}} (Jinja) or ${nodes} (FreeMarker, file name ending in .ftl)"),
    BACKEND_PORT("haproxy", "backend_port", KeyType.PORT, "6003",
            "port of the backend servers: every aws instance, file/consul entries without a port of their own"),
    HAPROXY_BINARY("haproxy", "haproxy_binary", KeyType.PATH, "/usr/sbin/haproxy",
            "haproxy executable, used for haproxy -c and start_by=binary"),
    START_BY("haproxy", "start_by", KeyType.TEXT, "binary", "how to start/reload HAProxy: binary or systemd"),
    HAPROXY_SOCKET_FILE("haproxy", "haproxy_socket_file", KeyType.SOCKET_LIST, "/var/run/haproxy/haproxy.sock",
            "HAProxy stats socket(s), comma separated, as HAProxy writes them: a path or unix@/path, ipv4@host:port, "
                    + "ipv6@[addr]:port (TCP); used by update_by_runtime, every batch goes to each; the first UNIX one "
                    + "is passed as -x on binary reloads so listening sockets are handed over"),
    PID_FILE("haproxy", "pid_file", KeyType.PATH, "/run/haproxy.pid", "HAProxy pid file (start_by=binary)"),
    MASTER_SOCKET("haproxy", "master_socket", KeyType.PATH, null,
            "start_by=binary: HAProxy's master CLI (-S), through which it is reloaded: same master, new workers "
                    + "(unset: beside pid_file, <pid file name>-master.sock)"),
    SERVER_STATE_FILE("haproxy", "server_state_file", KeyType.PATH, null,
            "update_by_config: the servers' state (show servers state) is saved here before each reload and loaded by "
                    + "the new workers (unset: haproxy_config_file + .state); the template's own absolute server-state-file wins"),
    BACKEND_NAME("haproxy", "backend_name", KeyType.TEXT, "haproxynode",
            "HAProxy backend/listen section holding the servers"),
    BACKEND_MAXCONN("haproxy", "backend_maxconn", KeyType.POSITIVE_INT, null,
            "maxconn on every server line (unset: HAProxy's default)"),
    CHECK_INTERVAL("haproxy", "check_interval", KeyType.HAPROXY_TIME, null,
            "health check interval, inter on every server line: milliseconds or HAProxy time (2s)"),
    DOWN_CHECK_INTERVAL("haproxy", "down_check_interval", KeyType.HAPROXY_TIME, "200ms",
            "downinter (and fastinter) on every server line: how often a server that is DOWN, or on its way up or"
                    + " down, is checked — a new one until it passes its checks (rise), so it takes traffic as soon as it"
                    + " is ready, not whole inters later; servers that are UP keep inter. Capped at check_interval when"
                    + " that is shorter; either is not written when the template sets it itself"),
    MAX_SPREAD_CHECKS("haproxy", "max_spread_checks", KeyType.HAPROXY_TIME, "20ms",
            "max-spread-checks written in global: the longest HAProxy waits for a server's first check after a start,"
                    + " a reload or an add server (HAProxy's own spread: up to the smallest inter), so a new server is"
                    + " checked at once and served once it passes; every server is first checked within it after a"
                    + " reload. Not written when the template sets max-spread-checks itself"),
    UPDATE_TYPE("haproxy", "update_type", KeyType.TEXT, "update_by_runtime",
            "update_by_config (render + reload) or update_by_runtime (stats socket, no reload)"),
    NODE_SLOTS("haproxy", "node_slots", KeyType.POSITIVE_INT, "50",
            "server slots in the backend for update_by_runtime (more backends than slots are added at runtime)"),
    DRAIN_TIMEOUT("haproxy", "drain_timeout", KeyType.SECONDS, "30",
            "update_by_runtime: seconds a removed server drains before it is put in maintenance even with sessions left"),
    EMPTY_CONFIRMATIONS("haproxy", "empty_confirmations", KeyType.POSITIVE_INT, "3",
            "an answer with no backends at all is applied only after this many consecutive fetches gave it (1 = at once, as EP2)"),
    DEBOUNCE_MIN("haproxy", "debounce_min", KeyType.SECONDS_OR_ZERO, "0",
            "a change is applied once no further change came for this many seconds (0 = at once); a burst becomes one apply"),
    DEBOUNCE_MAX("haproxy", "debounce_max", KeyType.SECONDS_OR_ZERO, null,
            "the longest a change waits under continuous churn; default 4 x debounce_min"),
    RELOAD_MIN_INTERVAL("haproxy", "reload_min_interval", KeyType.SECONDS_OR_ZERO, "1",
            "update_by_config: at least this many seconds between two reloads; changes meanwhile are applied together"),
    RELOAD_COALESCE("haproxy", "reload_coalesce", KeyType.SECONDS_OR_ZERO, "0.1",
            "update_by_config: a pushed change (a watch's, a route's) waits this many seconds for the changes that"
                    + " come with it (a rolling step's register and deregister), so they go out in one reload (0 = at"
                    + " once); a poll tick's answers do not wait"),
    SERVICE_NAME("haproxy", "service_name", KeyType.TEXT, "haproxy",
            "systemd unit of HAProxy, for start_by=systemd"),
    LOCK_DIR("haproxy", "lock_dir", KeyType.PATH, "/run",
            "directory of the lock file ep2.lock that keeps one controller per directory"),
    ORCHESTRATOR("haproxy", "orchestrator", KeyType.TEXT, "aws",
            "aws, consul, file, or the name of any routes/<name>.camel.yaml"),
    SLEEP_BEFORE_NEXT_RUN("haproxy", "sleep_before_next_run", KeyType.SECONDS, "5",
            "seconds between two polls of the orchestrator"),
    SLEEP_BEFORE_NEXT_LOCK_ATTEMPT("haproxy", "sleep_before_next_lock_attempt", KeyType.SECONDS, "5",
            "while another controller holds ep2.lock, seconds between two tries to take it"),
    LOCK_WAIT_TIMEOUT("haproxy", "lock_wait_timeout", KeyType.SECONDS_OR_ZERO, "60",
            "how long a second controller keeps trying for ep2.lock before it exits with code 1 (0 = exit at once)"),
    OBSERVE_HOST("haproxy", "observe_host", KeyType.TEXT, "127.0.0.1",
            "address of the HTTP endpoints /observe/health, /observe/metrics, /observe/jolokia"),
    OBSERVE_PORT("haproxy", "observe_port", KeyType.NON_NEGATIVE_PORT, "8778",
            "port of those endpoints; 0 turns them off (JMX stays on)"),
    OBSERVE_CREDENTIALS_FILE("haproxy", "observe_credentials_file", KeyType.PATH, null,
            "users allowed on /observe/jolokia (Basic auth), lines 'user.NAME = PASSWORD'; readable by its owner only;"
                    + " empty: Jolokia is read-only and needs no login"),
    OBSERVE_ROUTE_CONTROL("haproxy", "observe_route_control", KeyType.BOOLEAN, "False",
            "True: those users may start, stop, suspend and resume routes through Jolokia (Hawtio);"
                    + " needs observe_credentials_file"),
    LOG_FILE("haproxy", "log_file", KeyType.PATH, "/var/log/ep2/ep2.log", "log file (rolled at 10 MB, 5 kept)"),

    AWS_ACCESS_KEY_ID("AWS", "aws_access_key_id", KeyType.TEXT, null,
            "access key, set together with aws_secret_access_key; both empty: the SDK default chain "
                    + "(system properties, environment, profile, instance role)"),
    AWS_SECRET_ACCESS_KEY("AWS", "aws_secret_access_key", KeyType.TEXT, null,
            "secret key; never logged, never a Camel property, not shown over JMX"),
    ASG_NAME("AWS", "asg_name", KeyType.TEXT, null,
            "Auto Scaling group, or several comma separated (their instances share the one backend); required for orchestrator=aws"),
    REGION_NAME("AWS", "region_name", KeyType.TEXT, null,
            "AWS region of the group (us-east-1); empty: the SDK's region chain (AWS_REGION, profile)"),
    ENDPOINT_URL("AWS", "endpoint_url", KeyType.TEXT, null,
            "http(s) URL used instead of AWS's own endpoints for every API used (Auto Scaling, EC2, SQS: VPC endpoints, tests)"),
    AUTOSCALING_ENDPOINT_URL("AWS", "autoscaling_endpoint_url", KeyType.TEXT, null,
            "http(s) URL for the Auto Scaling API only (e.g. its VPC endpoint); overrides endpoint_url"),
    EC2_ENDPOINT_URL("AWS", "ec2_endpoint_url", KeyType.TEXT, null,
            "http(s) URL for the EC2 API only (e.g. its VPC endpoint); overrides endpoint_url"),
    SQS_ENDPOINT_URL("AWS", "sqs_endpoint_url", KeyType.TEXT, null,
            "http(s) URL for the SQS API only (lifecycle_queue_url; e.g. its VPC endpoint); overrides endpoint_url"),
    LIFECYCLE_QUEUE_URL("AWS", "lifecycle_queue_url", KeyType.TEXT, null,
            "SQS queue URL receiving the group's lifecycle hook notifications: a launching instance is served once"
                    + " HAProxy has it UP and then let go (CompleteLifecycleAction CONTINUE), a terminating one is drained"
                    + " first; each notification starts a fetch + apply at once (unset: polling only)"),
    LIFECYCLE_COMPLETE("AWS", "lifecycle_complete", KeyType.BOOLEAN, "True",
            "False: this controller serves and drains on lifecycle notifications but leaves CompleteLifecycleAction"
                    + " and heartbeats to another node's (several HAProxy nodes behind one group; README)"),
    LIFECYCLE_LAUNCH_TIMEOUT("AWS", "lifecycle_launch_timeout", KeyType.SECONDS, "300",
            "seconds a launching instance may take to pass HAProxy's checks before its hook is completed with ABANDON"),
    IP_TYPE("AWS", "ip_type", KeyType.TEXT, null,
            "EP2's key: private (the instance's private IPv4) or public (its public IPv4); "
                    + "unset, and use_public_ip unset too: public, as EP2 does (with a warning)"),
    USE_PUBLIC_IP("AWS", "use_public_ip", KeyType.BOOLEAN, null,
            "True: address instances by their public IPv4, False: by their private one; the same as ip_type"),

    CONSUL_SERVICE_NAME("CONSUL", "service_name", KeyType.TEXT, null, "Consul service; required for orchestrator=consul"),
    CONSUL_IP("CONSUL", "consul_ip", KeyType.TEXT, "127.0.0.1", "Consul agent address"),
    CONSUL_PORT("CONSUL", "consul_port", KeyType.PORT, "8500", "Consul HTTP API port"),
    ONLY_PASSING("CONSUL", "only_passing", KeyType.BOOLEAN, "True", "only instances whose checks pass"),
    TAGS("CONSUL", "tags", KeyType.TEXT, null,
            "comma separated tags an instance must all carry (sent as Consul's tag filter, checked again here)"),
    CONSUL_DATACENTER("CONSUL", "datacenter", KeyType.TEXT, null,
            "Consul datacenter to ask (the dc parameter); empty: the agent's own"),
    CONSUL_ACL_TOKEN("CONSUL", "acl_token", KeyType.TEXT, null,
            "ACL token, sent as X-Consul-Token (needs service:read and node:read); never logged, "
                    + "never a Camel property, not shown over JMX (env CONSUL_HTTP_TOKEN)"),
    CONSUL_HTTPS("CONSUL", "https", KeyType.BOOLEAN, "False",
            "talk to the agent over HTTPS (certificate checked against ca_file/ca_path, else the JVM's trust store; env CONSUL_HTTP_SSL)"),
    CONSUL_WATCH("CONSUL", "watch", KeyType.BOOLEAN, "True",
            "True: blocking queries, a change is applied as soon as Consul reports it; "
                    + "False: poll every sleep_before_next_run"),
    CONSUL_WAIT("CONSUL", "wait", KeyType.POSITIVE_INT, "30",
            "watch: seconds (1-600) a blocking query waits for a change before Consul answers unchanged"),
    CONSUL_ADDRESS("CONSUL", "address", KeyType.TEXT, null,
            "agent address as host:port or an http(s):// URL (env CONSUL_HTTP_ADDR); set, it replaces consul_ip/consul_port, "
                    + "and an https:// URL turns https on"),
    CONSUL_CA_FILE("CONSUL", "ca_file", KeyType.PATH, null,
            "PEM CA certificate(s) the agent's certificate is checked against instead of the JVM's trust store (env CONSUL_CACERT)"),
    CONSUL_CA_PATH("CONSUL", "ca_path", KeyType.PATH, null,
            "directory of PEM CA certificates, each file read, added to ca_file's (env CONSUL_CAPATH)"),
    CONSUL_CERT_FILE("CONSUL", "cert_file", KeyType.PATH, null,
            "PEM client certificate (chain) for agents with verify_incoming; needs key_file (env CONSUL_CLIENT_CERT)"),
    CONSUL_KEY_FILE("CONSUL", "key_file", KeyType.PATH, null,
            "PEM private key of cert_file: RSA or EC, PKCS#8 or PKCS#1/SEC1; must not be readable by others (env CONSUL_CLIENT_KEY)"),
    CONSUL_TLS_SERVER_NAME("CONSUL", "tls_server_name", KeyType.TEXT, null,
            "name the agent's certificate is checked against instead of the address' host (env CONSUL_TLS_SERVER_NAME)"),
    CONSUL_TOKEN_FILE("CONSUL", "token_file", KeyType.PATH, null,
            "file holding the ACL token, re-read when it changes (a rotated token needs no restart); acl_token wins "
                    + "when both are set; must not be readable by others (env CONSUL_HTTP_TOKEN_FILE)"),
    CONSUL_NAMESPACE("CONSUL", "namespace", KeyType.TEXT, null, "Consul Enterprise namespace (the ns parameter; env CONSUL_NAMESPACE)"),
    CONSUL_PARTITION("CONSUL", "partition", KeyType.TEXT, null,
            "Consul Enterprise admin partition (the partition parameter; env CONSUL_PARTITION)"),
    CONSUL_STALE("CONSUL", "stale", KeyType.BOOLEAN, "False",
            "True: any server may answer (?stale), for large fleets; answers older than max_stale or without a known leader are errors"),
    CONSUL_MAX_STALE("CONSUL", "max_stale", KeyType.POSITIVE_INT, "10",
            "stale = True: seconds an answer's X-Consul-LastContact may reach before it is refused (backends kept)"),
    CONSUL_ALLOW_WORLD_READABLE_SECRETS("CONSUL", "allow_world_readable_secrets", KeyType.BOOLEAN, "False",
            "True: accept a key_file/token_file that others may read (refused otherwise, exit 2)"),

    FILE_PATH("FILE", "path", KeyType.PATH, null,
            "file listing one backend per line (host or host:port, # comments); required for orchestrator=file");

    private final String section;
    private final String key;
    private final KeyType type;
    private final String defaultValue;
    private final String meaning;

    ConfigKey(String section, String key, KeyType type, String defaultValue, String meaning) {
        this.section = section;
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
    }

    public String section() {
        return section;
    }

    public String key() {
        return key;
    }

    KeyType type() {
        return type;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String meaning() {
        return meaning;
    }

    /** The Camel property routes read, e.g. {@code ep2.file.path}. */
    public String property() {
        return "ep2." + section.toLowerCase(Locale.ROOT) + "." + key;
    }

    public static List<String> sections() {
        return List.of("haproxy", "AWS", "CONSUL", "FILE");
    }

    public static Optional<ConfigKey> find(String section, String key) {
        for (ConfigKey k : values()) {
            if (k.section.equalsIgnoreCase(section) && k.key.equals(key)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
