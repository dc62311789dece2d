package io.ep2camel.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The two AWS APIs the aws orchestrator calls, as the real SDK sees them: one JDK HTTP server on a
 * loopback port, reached through the SDK's endpoint override. Both are AWS Query-protocol APIs
 * (POST, form-encoded, XML answers in the services' own namespaces), told apart by {@code Action}:
 * <ul>
 *   <li>Auto Scaling {@code DescribeAutoScalingGroups} (2011-01-01): {@code AutoScalingGroupNames.member.N},
 *   {@code NextToken}, {@code MaxRecords}; errors as {@code <ErrorResponse><Error><Type/><Code/>...};</li>
 *   <li>EC2 {@code DescribeInstances} (2016-11-15): {@code InstanceId.N} (an unknown id is
 *   {@code InvalidInstanceID.NotFound}, as in EC2), {@code NextToken}, {@code MaxResults} (refused next
 *   to instance ids, as EC2 does); errors as {@code <Response><Errors><Error>...}.</li>
 * </ul>
 * Paging can be forced (EC2 page size, empty Auto Scaling pages), failures injected per action
 * (Throttling, RequestLimitExceeded, 500s), every request is recorded, and, given the expected key
 * pair, every SigV4 signature is verified, so a test knows which credentials the SDK used.
 *
 * <p>Auto Scaling lifecycle hooks, as AWS runs them with an SQS notification target:
 * {@code PutLifecycleHook} (sends {@code autoscaling:TEST_NOTIFICATION} to the queue),
 * {@code DescribeLifecycleHooks}, {@code CompleteLifecycleAction}, {@code RecordLifecycleActionHeartbeat}
 * (an unknown, completed or mismatched action is HTTP 400 {@code ValidationError} "No active Lifecycle
 * Action found with token ..." / "... with instance ID ..."). A test scales the group with
 * {@link #launch(String, String, String)} and {@link #terminate(String, String)}: with a hook for the
 * transition the member waits in {@code Pending:Wait} / {@code Terminating:Wait} and the hook's queue
 * gets the notification JSON AWS sends; a hook that sees neither a heartbeat nor a completion within
 * HeartbeatTimeout seconds (or GlobalTimeout overall) gets its DefaultResult, as in AWS. Queues are
 * reached through the SqsClient given to {@link #notifyThrough(SqsClient)} (an {@link ElasticMq}'s):
 * the queue name is the ARN's last part. Unlike AWS, HeartbeatTimeout may be below 30 s (tests use 1-3 s).
 */
public final class AwsQueryDouble implements AutoCloseable {
    public static final String ASG_ACTION = "DescribeAutoScalingGroups";
    public static final String EC2_ACTION = "DescribeInstances";
    public static final String PUT_HOOK_ACTION = "PutLifecycleHook";
    public static final String DESCRIBE_HOOKS_ACTION = "DescribeLifecycleHooks";
    public static final String COMPLETE_ACTION = "CompleteLifecycleAction";
    public static final String HEARTBEAT_ACTION = "RecordLifecycleActionHeartbeat";
    public static final String LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";
    public static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
    public static final String TEST_NOTIFICATION = "autoscaling:TEST_NOTIFICATION";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String REGION = "us-east-1";
    private static final DateTimeFormatter AWS_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final Pattern CREDENTIAL = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/([0-9]{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

    /** An Auto Scaling group member as DescribeAutoScalingGroups shows it. */
    public record Member(String instanceId, String lifecycleState, String healthStatus) {
    }

    /** An EC2 instance as DescribeInstances shows it; null addresses are left out of the XML. */
    public record Ec2Instance(String instanceId, String state, String privateIp, String publicIp) {
    }

    /** One request as received; {@code answeredNanos}: System.nanoTime() when its answer was read from the state. */
    public record Request(String action, Map<String, String> params, String authorization, String contentType,
                          String body, int status, long answeredNanos) {
        /** The access key id of the SigV4 credential scope, if signed. */
        public Optional<String> accessKeyId() {
            Matcher m = authorization == null ? null : CREDENTIAL.matcher(authorization);
            return m != null && m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        /** The signing service of the credential scope (autoscaling, ec2). */
        public Optional<String> signingService() {
            Matcher m = authorization == null ? null : CREDENTIAL.matcher(authorization);
            return m != null && m.find() ? Optional.of(m.group(4)) : Optional.empty();
        }
    }

    private record Failure(int status, String code, String message, int[] remaining) {
    }

    /** A lifecycle hook as DescribeLifecycleHooks shows it (null: not set). */
    public record LifecycleHook(String group, String name, String transition, String notificationTargetArn,
                                String roleArn, String notificationMetadata, int heartbeatTimeout, String defaultResult) {
        /** AWS: at most 100 heartbeat timeouts, and at most 48 hours. */
        public int globalTimeout() {
            return Math.min(100 * heartbeatTimeout, 172800);
        }
    }

    /**
     * A finished lifecycle action: by CompleteLifecycleAction (result as sent) or, {@code timedOut}, by
     * the hook's DefaultResult after HeartbeatTimeout (or GlobalTimeout) passed without a heartbeat.
     */
    public record Completion(String group, String hook, String instanceId, String token, String transition,
                             String result, Instant time, boolean timedOut) {
    }

    /** A RecordLifecycleActionHeartbeat that found its action. */
    public record Heartbeat(String group, String hook, String instanceId, String token, Instant time) {
    }

    /** A message the double put into a queue (notification, test notification, resend). */
    public record Sent(String queueUrl, String body, Instant time) {
    }

    /** A lifecycle action as it is now (see {@link #actions()}). */
    public record LifecycleAction(String group, String hook, String instanceId, String token, String transition,
                                  String notification, Instant deadline, boolean active) {
    }

    private static final class Action {
        final String token;
        final String group;
        final String instanceId;
        final LifecycleHook hook;          // as the hook was when the action started
        final String notification;         // the JSON sent (or that would be sent) to the hook's target
        final Instant globalDeadline;
        Instant deadline;
        boolean active = true;

        Action(String token, String group, String instanceId, LifecycleHook hook, String notification, Instant now) {
            this.token = token;
            this.group = group;
            this.instanceId = instanceId;
            this.hook = hook;
            this.notification = notification;
            this.deadline = now.plusSeconds(hook.heartbeatTimeout());
            this.globalDeadline = now.plusSeconds(hook.globalTimeout());
        }

        LifecycleAction view() {
            return new LifecycleAction(group, hook.name(), instanceId, token, hook.transition(), notification, deadline, active);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, List<Member>> groups = new ConcurrentHashMap<>();
    private final Map<String, Ec2Instance> instances = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int ec2PageSize;
    private volatile int asgEmptyPages;
    private volatile int asgPageSize;
    private volatile String expectedKeyId;
    private volatile String expectedSecret;
    // lifecycle hooks: changed under lock (with the groups' and instances' entries they move), read freely
    private final Object lock = new Object();
    private final Map<String, LifecycleHook> hooks = new LinkedHashMap<>();          // group + '\n' + hook name
    private final Map<String, Action> actions = new LinkedHashMap<>();               // by token, finished ones too
    private final List<Completion> completions = new CopyOnWriteArrayList<>();
    private final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Consumer<Completion>> completionListeners = new CopyOnWriteArrayList<>();
    private volatile SqsClient sqs;
    private ScheduledExecutorService expiry;                                         // under lock, started with the first action

    private AwsQueryDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static AwsQueryDouble start() {
        try {
            return new AwsQueryDouble();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What endpoint_url is set to. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    // ------------------------------------------------------------------ state a test sets

    /** The group's members, replacing the previous ones (an ASG scaling out or in). */
    public AwsQueryDouble group(String name, Member... members) {
        synchronized (lock) {
            groups.put(name, List.of(members));
        }
        return this;
    }

    public AwsQueryDouble instance(String id, String state, String privateIp, String publicIp) {
        synchronized (lock) {
            instances.put(id, new Ec2Instance(id, state, privateIp, publicIp));
        }
        return this;
    }

    /** A running instance with a private address only. */
    public AwsQueryDouble running(String id, String privateIp) {
        return instance(id, "running", privateIp, null);
    }

    public static Member member(String id, String lifecycleState, String healthStatus) {
        return new Member(id, lifecycleState, healthStatus);
    }

    public static Member inService(String id) {
        return member(id, "InService", "Healthy");
    }

    /** DescribeInstances answers at most this many instances per page (0: all); NextToken for the rest. */
    public AwsQueryDouble ec2PageSize(int size) {
        this.ec2PageSize = size;
        return this;
    }

    /** DescribeAutoScalingGroups answers at most this many groups per page (0: MaxRecords), NextToken for the rest. */
    public AwsQueryDouble asgPageSize(int size) {
        this.asgPageSize = size;
        return this;
    }

    /** DescribeAutoScalingGroups answers this many empty pages (with NextToken) before the groups. */
    public AwsQueryDouble asgEmptyPages(int pages) {
        this.asgEmptyPages = pages;
        return this;
    }

    /** From now on every request must be signed (SigV4) with this key pair, else 403 SignatureDoesNotMatch. */
    public AwsQueryDouble expectCredentials(String accessKeyId, String secretKey) {
        this.expectedKeyId = accessKeyId;
        this.expectedSecret = secretKey;
        return this;
    }

    /** The next {@code times} requests of {@code action} (times &lt; 0: all, until {@link #recover()}) fail so. */
    public AwsQueryDouble fail(String action, int status, String code, String message, int times) {
        failures.put(action, new Failure(status, code, message, new int[] {times}));
        return this;
    }

    /** Throttling as the service sends it: Auto Scaling's Throttling, EC2's RequestLimitExceeded (HTTP 400/503). */
    public AwsQueryDouble throttle(String action, int times) {
        return !action.equals(EC2_ACTION) ? fail(action, 400, "Throttling", "Rate exceeded", times)
                : fail(action, 503, "RequestLimitExceeded", "Request limit exceeded.", times);
    }

    public AwsQueryDouble recover() {
        failures.clear();
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String action) {
        return requests.stream().filter(r -> action.equals(r.action())).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    // ------------------------------------------------------------------ lifecycle hooks, as a test drives them

    /** Where notifications go: the hook's NotificationTargetARN names a queue (its last ':' part) of this SQS. */
    public AwsQueryDouble notifyThrough(SqsClient sqs) {
        this.sqs = sqs;
        return this;
    }

    /**
     * A new instance (EC2 running, with this loopback address) joins the group, as on a scale out: with a
     * launching hook it waits in Pending:Wait (Healthy) and each such hook's queue gets a notification
     * before this returns; answers the lifecycle action token (of the first hook by name), else the member
     * is InService and the answer is null. The group is created if it does not exist.
     */
    public String launch(String group, String instanceId, String privateIp) {
        if (privateIp == null || !privateIp.matches("127(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("the double hands out loopback addresses only: " + privateIp);
        }
        List<Action> started;
        synchronized (lock) {
            if (member(group, instanceId).isPresent()) {
                throw new IllegalStateException(instanceId + " is already a member of " + group);
            }
            instances.put(instanceId, new Ec2Instance(instanceId, "running", privateIp, null));
            started = startActions(group, instanceId, LAUNCHING);
            putMember(group, new Member(instanceId, started.isEmpty() ? "InService" : "Pending:Wait", "Healthy"));
        }
        return notify(started);
    }

    /**
     * The group terminates a member, as on a scale in: with a terminating hook it waits in Terminating:Wait
     * (its instance still running) and each such hook's queue gets a notification before this returns;
     * answers the token (of the first hook by name), else the member leaves at once, its instance
     * terminated, and the answer is null. Lifecycle actions still open for the instance are dropped.
     */
    public String terminate(String group, String instanceId) {
        List<Action> started;
        synchronized (lock) {
            Member m = member(group, instanceId).orElseThrow(
                    () -> new IllegalArgumentException(instanceId + " is not a member of " + group));
            actions.values().stream().filter(a -> a.active && a.instanceId.equals(instanceId)).forEach(a -> a.active = false);
            started = startActions(group, instanceId, TERMINATING);
            if (started.isEmpty()) {
                leave(group, instanceId);
            } else {
                putMember(group, new Member(instanceId, "Terminating:Wait", m.healthStatus()));
            }
        }
        return notify(started);
    }

    /** The notification JSON of this lifecycle action, exactly as sent to its queue. */
    public String notificationJson(String token) {
        synchronized (lock) {
            Action a = actions.get(token);
            if (a == null) {
                throw new IllegalArgumentException("no lifecycle action with token " + token);
            }
            return a.notification;
        }
    }

    /** Puts the action's notification into its hook's queue again, byte for byte (a duplicate delivery); answers it. */
    public String resend(String token) {
        Action a;
        synchronized (lock) {
            a = actions.get(token);
            if (a == null) {
                throw new IllegalArgumentException("no lifecycle action with token " + token);
            }
        }
        send(a.hook.notificationTargetArn(), a.notification);
        return a.notification;
    }

    /** Hooks as they are now, in the order they were first put. */
    public List<LifecycleHook> lifecycleHooks() {
        synchronized (lock) {
            return List.copyOf(hooks.values());
        }
    }

    /** Every lifecycle action started so far (active or not), in start order. */
    public List<LifecycleAction> actions() {
        synchronized (lock) {
            return actions.values().stream().map(Action::view).toList();
        }
    }

    /** The token of the instance's active lifecycle action, if it has one. */
    public Optional<String> activeToken(String instanceId) {
        synchronized (lock) {
            return actions.values().stream().filter(a -> a.active && a.instanceId.equals(instanceId))
                    .map(a -> a.token).findFirst();
        }
    }

    /** Finished lifecycle actions, in the order they finished. */
    public List<Completion> completions() {
        return List.copyOf(completions);
    }

    /** Heartbeats that found their action, in order. */
    public List<Heartbeat> heartbeats() {
        return List.copyOf(heartbeats);
    }

    /** Messages the double put into queues, in order. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /**
     * Called for every completion, on the thread that finished the action, after the group changed and
     * BEFORE the CompleteLifecycleAction response is sent (for a timeout: on the double's expiry thread).
     * A listener that throws makes that call answer 500 InternalFailure; the completion stands.
     */
    public AwsQueryDouble onComplete(Consumer<Completion> listener) {
        completionListeners.add(listener);
        return this;
    }

    /** The members of the group as DescribeAutoScalingGroups shows them now (empty: no such group). */
    public List<Member> members(String group) {
        return groups.getOrDefault(group, List.of());
    }

    public Optional<Member> member(String group, String instanceId) {
        return members(group).stream().filter(m -> m.instanceId().equals(instanceId)).findFirst();
    }

    public Optional<Ec2Instance> ec2Instance(String instanceId) {
        return Optional.ofNullable(instances.get(instanceId));
    }

    /** The launching / terminating notification AWS puts into a hook's SQS queue (null metadata: left out). */
    public static String lifecycleNotification(String transition, String group, String hook, String instanceId,
                                               String token, String metadata) {
        return lifecycleNotification(transition, group, hook, instanceId, token, metadata,
                UUID.randomUUID().toString(), Instant.now());
    }

    /**
     * The notification, field for field and in the order AWS writes it (Amazon EC2 Auto Scaling user guide,
     * "Notification message example for Amazon SNS and Amazon SQS"): launching Origin EC2 / Destination
     * AutoScalingGroup, terminating the other way round.
     */
    public static String lifecycleNotification(String transition, String group, String hook, String instanceId,
                                               String token, String metadata, String requestId, Instant time) {
        boolean launching = LAUNCHING.equals(transition);
        StringBuilder j = new StringBuilder("{");
        field(j, "Origin", launching ? "EC2" : "AutoScalingGroup");
        field(j, "LifecycleHookName", hook);
        field(j, "Destination", launching ? "AutoScalingGroup" : "EC2");
        field(j, "AccountId", ACCOUNT_ID);
        field(j, "RequestId", requestId);
        field(j, "LifecycleTransition", transition);
        field(j, "AutoScalingGroupName", group);
        field(j, "Service", "AWS Auto Scaling");
        field(j, "Time", AWS_TIME.format(time));
        field(j, "EC2InstanceId", instanceId);
        field(j, "LifecycleActionToken", token);
        if (metadata != null) {
            field(j, "NotificationMetadata", metadata);
        }
        return j.append('}').toString();
    }

    /** What PutLifecycleHook puts into the target queue first. */
    public static String testNotification(String group) {
        return testNotification(group, UUID.randomUUID().toString(), Instant.now());
    }

    public static String testNotification(String group, String requestId, Instant time) {
        StringBuilder j = new StringBuilder("{");
        field(j, "AccountId", ACCOUNT_ID);
        field(j, "RequestId", requestId);
        field(j, "AutoScalingGroupARN", groupArn(group));
        field(j, "AutoScalingGroupName", group);
        field(j, "Service", "AWS Auto Scaling");
        field(j, "Event", TEST_NOTIFICATION);
        field(j, "Time", AWS_TIME.format(time));
        return j.append('}').toString();
    }

    /** The group's ARN, as DescribeAutoScalingGroups and the test notification give it. */
    public static String groupArn(String group) {
        return "arn:aws:autoscaling:" + REGION + ":" + ACCOUNT_ID + ":autoScalingGroup:"
                + UUID.nameUUIDFromBytes(group.getBytes(StandardCharsets.UTF_8)) + ":autoScalingGroupName/" + group;
    }

    // under lock: one action per hook of the transition (hook names in order), the notifications built
    private List<Action> startActions(String group, String instanceId, String transition) {
        Instant now = Instant.now();
        List<Action> started = new ArrayList<>();
        hooks.values().stream()
                .filter(h -> h.group().equals(group) && h.transition().equals(transition))
                .sorted(java.util.Comparator.comparing(LifecycleHook::name))
                .forEach(h -> {
                    String token = UUID.randomUUID().toString();
                    String json = lifecycleNotification(transition, group, h.name(), instanceId, token,
                            h.notificationMetadata(), UUID.randomUUID().toString(), now);
                    Action a = new Action(token, group, instanceId, h, json, now);
                    actions.put(token, a);
                    started.add(a);
                });
        if (!started.isEmpty() && expiry == null) {
            expiry = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aws-double-lifecycle-expiry");
                t.setDaemon(true);
                return t;
            });
            expiry.scheduleWithFixedDelay(this::expire, 100, 100, TimeUnit.MILLISECONDS);
        }
        return started;
    }

    private String notify(List<Action> started) {
        for (Action a : started) {
            if (a.hook.notificationTargetArn() != null) {
                send(a.hook.notificationTargetArn(), a.notification);
            }
        }
        return started.isEmpty() ? null : started.get(0).token;
    }

    private void send(String targetArn, String body) {
        SqsClient client = sqs;
        if (client == null) {
            throw new IllegalStateException("notification target " + targetArn + " but no notifyThrough(SqsClient)");
        }
        String[] arn = targetArn.split(":");
        if (arn.length != 6 || !"arn".equals(arn[0]) || !"sqs".equals(arn[2])) {
            throw new IllegalArgumentException("not an SQS queue ARN: " + targetArn);
        }
        String url = client.getQueueUrl(b -> b.queueName(arn[5])).queueUrl();
        client.sendMessage(b -> b.queueUrl(url).messageBody(body));
        sent.add(new Sent(url, body, Instant.now()));
    }

    // under lock
    private void putMember(String group, Member member) {
        groups.compute(group, (g, old) -> {
            List<Member> list = new ArrayList<>(old == null ? List.of() : old);
            int at = -1;
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).instanceId().equals(member.instanceId())) {
                    at = i;
                }
            }
            if (at >= 0) {
                list.set(at, member);
            } else {
                list.add(member);
            }
            return List.copyOf(list);
        });
    }

    // under lock: the member leaves the group, its instance terminated (no addresses left, as in EC2)
    private void leave(String group, String instanceId) {
        groups.computeIfPresent(group, (g, old) -> old.stream().filter(m -> !m.instanceId().equals(instanceId)).toList());
        instances.computeIfPresent(instanceId, (id, i) -> new Ec2Instance(id, "terminated", null, null));
    }

    // under lock: the action ends with this result; the member moves on once no other action holds it
    private Completion finish(Action a, String result, boolean timedOut) {
        a.active = false;
        Completion c = new Completion(a.group, a.hook.name(), a.instanceId, a.token, a.hook.transition(), result,
                Instant.now(), timedOut);
        completions.add(c);
        boolean othersOpen = actions.values().stream().anyMatch(o -> o.active && o.instanceId.equals(a.instanceId));
        if ("ABANDON".equals(result)) {
            actions.values().stream().filter(o -> o.active && o.instanceId.equals(a.instanceId)).forEach(o -> o.active = false);
            leave(a.group, a.instanceId);
        } else if (!othersOpen) {
            if (LAUNCHING.equals(a.hook.transition())) {
                member(a.group, a.instanceId).ifPresent(m -> putMember(a.group, new Member(a.instanceId, "InService", m.healthStatus())));
            } else {
                leave(a.group, a.instanceId);
            }
        }
        return c;
    }

    private void expire() {
        List<Completion> expired = new ArrayList<>();
        synchronized (lock) {
            Instant now = Instant.now();
            for (Action a : List.copyOf(actions.values())) {
                if (a.active && (now.isAfter(a.deadline) || now.isAfter(a.globalDeadline))) {
                    expired.add(finish(a, a.hook.defaultResult(), true));
                }
            }
        }
        for (Completion c : expired) {
            for (Consumer<Completion> l : completionListeners) {
                try {
                    l.accept(c);
                } catch (RuntimeException e) {
                    // nobody to answer to here; the completion stands
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        synchronized (lock) {
            if (expiry != null) {
                expiry.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------ the protocol

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = form(body);
        if (ex.getRequestURI().getRawQuery() != null) {
            params.putAll(form(ex.getRequestURI().getRawQuery()));
        }
        String action = params.getOrDefault("Action", "");
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        Answer a;
        long answered = System.nanoTime();
        try {
            a = answer(ex, action, params, body, authorization);
        } catch (RuntimeException e) {
            a = error(action, 500, "InternalFailure", "double: " + e);
        }
        requests.add(new Request(action, params, authorization, ex.getRequestHeaders().getFirst("Content-Type"),
                body, a.status, answered));
        byte[] bytes = a.xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        ex.getResponseHeaders().set("x-amzn-RequestId", a.requestId);
        ex.sendResponseHeaders(a.status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private record Answer(int status, String xml, String requestId) {
    }

    private Answer answer(HttpExchange ex, String action, Map<String, String> params, String body, String authorization) {
        if (!"POST".equals(ex.getRequestMethod())) {
            return error(action, 400, "InvalidAction", "The action or operation requested is invalid. Use POST.");
        }
        String contentType = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return error(action, 400, "MalformedQueryString", "form-encoded body expected, got " + contentType);
        }
        if (authorization == null) {
            return error(action, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        if (expectedKeyId != null) {
            String problem = verifySignature(ex, authorization, body);
            if (problem != null) {
                return error(action, 403, "SignatureDoesNotMatch", problem);
            }
        }
        Failure f = failures.get(action);
        if (f != null) {
            synchronized (f) {
                if (f.remaining[0] != 0) {
                    if (f.remaining[0] > 0) {
                        f.remaining[0]--;
                    }
                    return error(action, f.status, f.code, f.message);
                }
            }
        }
        return switch (action) {
            case ASG_ACTION -> describeGroups(params);
            case EC2_ACTION -> describeInstances(params);
            case PUT_HOOK_ACTION -> putLifecycleHook(params);
            case DESCRIBE_HOOKS_ACTION -> describeLifecycleHooks(params);
            case COMPLETE_ACTION -> completeLifecycleAction(params);
            case HEARTBEAT_ACTION -> recordHeartbeat(params);
            default -> error(action, 400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    private Answer describeGroups(Map<String, String> params) {
        if (!"2011-01-01".equals(params.get("Version"))) {
            return error(ASG_ACTION, 400, "InvalidParameterValue", "Version 2011-01-01 expected");
        }
        int offset = offset(params.get("NextToken"));
        if (offset < 0) {
            return error(ASG_ACTION, 400, "InvalidNextToken", "The token '" + params.get("NextToken") + "' is invalid.");
        }
        // AWS: MaxRecords defaults to 50, at most 100; no more names than MaxRecords in one call
        int maxRecords;
        try {
            maxRecords = params.containsKey("MaxRecords") ? Integer.parseInt(params.get("MaxRecords")) : 50;
        } catch (NumberFormatException e) {
            return error(ASG_ACTION, 400, "ValidationError", "Value for MaxRecords is not a number");
        }
        if (maxRecords < 1 || maxRecords > 100) {
            return error(ASG_ACTION, 400, "ValidationError",
                    "1 validation error detected: Value '" + maxRecords + "' at 'maxRecords' failed to satisfy constraint: "
                            + "Member must have value less than or equal to 100");
        }
        List<String> names = indexed(params, "AutoScalingGroupNames.member.");
        if (names.size() > maxRecords) {
            return error(ASG_ACTION, 400, "ValidationError", "The number of Auto Scaling group names ("
                    + names.size() + ") exceeds MaxRecords (" + maxRecords + ")");
        }
        List<Map.Entry<String, List<Member>>> matching = new ArrayList<>();
        for (Map.Entry<String, List<Member>> g : new TreeMap<>(groups).entrySet()) {
            if (names.isEmpty() || names.contains(g.getKey())) {
                matching.add(g);
            }
        }
        int perPage = asgPageSize > 0 ? Math.min(asgPageSize, maxRecords) : maxRecords;
        int from = Math.max(0, offset - asgEmptyPages) * perPage;
        boolean more = offset < asgEmptyPages || from + perPage < matching.size();
        String requestId = UUID.randomUUID().toString();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<DescribeAutoScalingGroupsResponse xmlns=\"")
                .append(ASG_NS).append("\">\n  <DescribeAutoScalingGroupsResult>\n    <AutoScalingGroups>\n");
        if (offset >= asgEmptyPages) {
            matching.subList(Math.min(from, matching.size()), Math.min(from + perPage, matching.size()))
                    .forEach(g -> appendGroup(x, g.getKey(), g.getValue()));
        }
        x.append("    </AutoScalingGroups>\n");
        if (more) {
            x.append("    <NextToken>").append(token(offset + 1)).append("</NextToken>\n");
        }
        x.append("  </DescribeAutoScalingGroupsResult>\n  <ResponseMetadata>\n    <RequestId>").append(requestId)
                .append("</RequestId>\n  </ResponseMetadata>\n</DescribeAutoScalingGroupsResponse>\n");
        return new Answer(200, x.toString(), requestId);
    }

    private static void appendGroup(StringBuilder x, String name, List<Member> members) {
        x.append("      <member>\n")
                .append("        <AutoScalingGroupName>").append(esc(name)).append("</AutoScalingGroupName>\n")
                .append("        <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:")
                .append(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)))
                .append(":autoScalingGroupName/").append(esc(name)).append("</AutoScalingGroupARN>\n")
                .append("        <MinSize>0</MinSize>\n        <MaxSize>10</MaxSize>\n")
                .append("        <DesiredCapacity>").append(members.size()).append("</DesiredCapacity>\n")
                .append("        <DefaultCooldown>300</DefaultCooldown>\n")
                .append("        <AvailabilityZones>\n          <member>us-east-1a</member>\n        </AvailabilityZones>\n")
                .append("        <LoadBalancerNames/>\n        <TargetGroupARNs/>\n")
                .append("        <HealthCheckType>EC2</HealthCheckType>\n")
                .append("        <HealthCheckGracePeriod>300</HealthCheckGracePeriod>\n")
                .append("        <Instances>\n");
        int n = 0;
        for (Member m : members) {
            x.append("          <member>\n")
                    .append("            <InstanceId>").append(esc(m.instanceId())).append("</InstanceId>\n")
                    .append("            <InstanceType>t3.micro</InstanceType>\n")
                    .append("            <AvailabilityZone>us-east-1").append((char) ('a' + n++ % 3)).append("</AvailabilityZone>\n")
                    .append("            <LifecycleState>").append(esc(m.lifecycleState())).append("</LifecycleState>\n")
                    .append("            <HealthStatus>").append(esc(m.healthStatus())).append("</HealthStatus>\n");
            if (n % 2 == 0) {
                x.append("            <LaunchConfigurationName>web-lc</LaunchConfigurationName>\n");
            } else {
                x.append("            <LaunchTemplate>\n              <LaunchTemplateId>lt-0123456789abcdef0</LaunchTemplateId>\n")
                        .append("              <LaunchTemplateName>web</LaunchTemplateName>\n")
                        .append("              <Version>1</Version>\n            </LaunchTemplate>\n");
            }
            x.append("            <ProtectedFromScaleIn>false</ProtectedFromScaleIn>\n          </member>\n");
        }
        x.append("        </Instances>\n")
                .append("        <CreatedTime>2024-01-01T00:00:00.000Z</CreatedTime>\n")
                .append("        <SuspendedProcesses/>\n")
                .append("        <VPCZoneIdentifier>subnet-0123456789abcdef0</VPCZoneIdentifier>\n")
                .append("        <EnabledMetrics/>\n        <Tags/>\n")
                .append("        <TerminationPolicies>\n          <member>Default</member>\n        </TerminationPolicies>\n")
                .append("        <NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn>\n")
                .append("      </member>\n");
    }

    private Answer describeInstances(Map<String, String> params) {
        if (!"2016-11-15".equals(params.get("Version"))) {
            return error(EC2_ACTION, 400, "InvalidParameterValue", "Version 2016-11-15 expected");
        }
        List<String> ids = indexed(params, "InstanceId.");
        String maxResults = params.get("MaxResults");
        if (maxResults != null && !ids.isEmpty()) {
            return error(EC2_ACTION, 400, "InvalidParameterCombination",
                    "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        List<Ec2Instance> selected = new ArrayList<>();
        if (ids.isEmpty()) {
            selected.addAll(new TreeMap<>(instances).values());
        } else {
            List<String> unknown = ids.stream().filter(id -> !instances.containsKey(id)).toList();
            if (!unknown.isEmpty()) {
                return error(EC2_ACTION, 400, "InvalidInstanceID.NotFound",
                        "The instance IDs '" + String.join(", ", unknown) + "' do not exist");
            }
            ids.stream().distinct().forEach(id -> selected.add(instances.get(id)));
        }
        int pageSize = maxResults != null ? Integer.parseInt(maxResults) : ec2PageSize;
        int from = offset(params.get("NextToken"));
        if (from < 0 || from > selected.size()) {
            return error(EC2_ACTION, 400, "InvalidParameterValue", "Invalid value for NextToken");
        }
        int to = pageSize > 0 ? Math.min(selected.size(), from + pageSize) : selected.size();
        String requestId = UUID.randomUUID().toString();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"")
                .append(EC2_NS).append("\">\n    <requestId>").append(requestId).append("</requestId>\n")
                .append("    <reservationSet>\n");
        // one reservation per two instances, as launches by an ASG often come
        for (int i = from; i < to; i += 2) {
            x.append("        <item>\n            <reservationId>r-").append(hex(selected.get(i).instanceId()))
                    .append("</reservationId>\n            <ownerId>123456789012</ownerId>\n")
                    .append("            <groupSet/>\n            <instancesSet>\n");
            for (int j = i; j < Math.min(i + 2, to); j++) {
                appendInstance(x, selected.get(j));
            }
            x.append("            </instancesSet>\n        </item>\n");
        }
        x.append("    </reservationSet>\n");
        if (to < selected.size()) {
            x.append("    <nextToken>").append(token(to)).append("</nextToken>\n");
        }
        x.append("</DescribeInstancesResponse>\n");
        return new Answer(200, x.toString(), requestId);
    }

    private static void appendInstance(StringBuilder x, Ec2Instance i) {
        x.append("                <item>\n")
                .append("                    <instanceId>").append(esc(i.instanceId())).append("</instanceId>\n")
                .append("                    <imageId>ami-0123456789abcdef0</imageId>\n")
                .append("                    <instanceState>\n                        <code>").append(stateCode(i.state()))
                .append("</code>\n                        <name>").append(esc(i.state())).append("</name>\n")
                .append("                    </instanceState>\n");
        if (i.privateIp() != null) {
            x.append("                    <privateDnsName>ip-").append(i.privateIp().replace('.', '-'))
                    .append(".ec2.internal</privateDnsName>\n");
        }
        x.append("                    <dnsName/>\n")
                .append("                    <instanceType>t3.micro</instanceType>\n")
                .append("                    <launchTime>2024-01-01T00:00:00.000Z</launchTime>\n")
                .append("                    <placement>\n                        <availabilityZone>us-east-1a</availabilityZone>\n")
                .append("                        <tenancy>default</tenancy>\n                    </placement>\n")
                .append("                    <monitoring>\n                        <state>disabled</state>\n")
                .append("                    </monitoring>\n")
                .append("                    <subnetId>subnet-0123456789abcdef0</subnetId>\n")
                .append("                    <vpcId>vpc-0123456789abcdef0</vpcId>\n");
        if (i.privateIp() != null) {
            x.append("                    <privateIpAddress>").append(esc(i.privateIp())).append("</privateIpAddress>\n");
        }
        if (i.publicIp() != null) {
            x.append("                    <ipAddress>").append(esc(i.publicIp())).append("</ipAddress>\n");
        }
        x.append("                    <architecture>x86_64</architecture>\n")
                .append("                    <rootDeviceType>ebs</rootDeviceType>\n")
                .append("                    <tagSet>\n                        <item>\n")
                .append("                            <key>aws:autoscaling:groupName</key>\n")
                .append("                            <value>web-asg</value>\n")
                .append("                        </item>\n                    </tagSet>\n")
                .append("                </item>\n");
    }

    private static int stateCode(String state) {
        return switch (state) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            case "stopping" -> 64;
            case "stopped" -> 80;
            default -> 272;
        };
    }

    // ------------------------------------------------------------------ lifecycle hooks, the protocol

    private Answer putLifecycleHook(Map<String, String> params) {
        String action = PUT_HOOK_ACTION;
        Answer invalid = checkVersion(action, params);
        if (invalid != null) {
            return invalid;
        }
        String group = params.get("AutoScalingGroupName");
        String name = params.get("LifecycleHookName");
        if (group == null || group.isEmpty()) {
            return notNull(action, "autoScalingGroupName");
        }
        if (name == null || name.isEmpty()) {
            return notNull(action, "lifecycleHookName");
        }
        if (!name.matches("[A-Za-z0-9\\-_/]{1,255}")) {
            return error(action, 400, "ValidationError", "1 validation error detected: Value '" + name
                    + "' at 'lifecycleHookName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9\\-_\\/]+");
        }
        if (!groups.containsKey(group)) {
            return error(action, 400, "ValidationError", "Group " + group + " not found");
        }
        LifecycleHook old;
        synchronized (lock) {
            old = hooks.get(group + "\n" + name);
        }
        String transition = params.getOrDefault("LifecycleTransition", old == null ? null : old.transition());
        if (transition == null) {
            return error(action, 400, "ValidationError", "LifecycleTransition is required when creating a lifecycle hook");
        }
        if (!LAUNCHING.equals(transition) && !TERMINATING.equals(transition)) {
            return error(action, 400, "ValidationError", "Invalid Lifecycle Transition: " + transition);
        }
        String defaultResult = params.getOrDefault("DefaultResult", old == null ? "ABANDON" : old.defaultResult());
        if (!"CONTINUE".equals(defaultResult) && !"ABANDON".equals(defaultResult)) {
            return error(action, 400, "ValidationError", "Valid values for DefaultResult are CONTINUE and ABANDON");
        }
        int heartbeatTimeout;
        try {
            heartbeatTimeout = params.containsKey("HeartbeatTimeout") ? Integer.parseInt(params.get("HeartbeatTimeout"))
                    : old == null ? 3600 : old.heartbeatTimeout();
        } catch (NumberFormatException e) {
            return error(action, 400, "ValidationError", "Value for HeartbeatTimeout is not a number");
        }
        // AWS: 30..7200; the double takes 1 up, so that a test can watch a hook time out
        if (heartbeatTimeout < 1 || heartbeatTimeout > 7200) {
            return error(action, 400, "ValidationError", "Heartbeat timeout must be between 30 and 7200 seconds");
        }
        String target = params.containsKey("NotificationTargetARN") ? emptyToNull(params.get("NotificationTargetARN"))
                : old == null ? null : old.notificationTargetArn();
        String role = params.containsKey("RoleARN") ? emptyToNull(params.get("RoleARN")) : old == null ? null : old.roleArn();
        String metadata = params.containsKey("NotificationMetadata") ? emptyToNull(params.get("NotificationMetadata"))
                : old == null ? null : old.notificationMetadata();
        if (params.containsKey("NotificationTargetARN") && target != null) {
            // AWS sends a test message to every target it is given, and refuses the hook if it cannot
            try {
                send(target, testNotification(group));
            } catch (RuntimeException e) {
                return error(action, 400, "ValidationError", "Unable to publish test message to notification target "
                        + target + " using IAM role " + role + ". Please check your target and role configuration and try to"
                        + " put lifecycle hook again.");
            }
        }
        LifecycleHook hook = new LifecycleHook(group, name, transition, target, role, metadata, heartbeatTimeout, defaultResult);
        synchronized (lock) {
            hooks.put(group + "\n" + name, hook);
        }
        return empty(action);
    }

    private Answer describeLifecycleHooks(Map<String, String> params) {
        String action = DESCRIBE_HOOKS_ACTION;
        Answer invalid = checkVersion(action, params);
        if (invalid != null) {
            return invalid;
        }
        String group = params.get("AutoScalingGroupName");
        if (group == null || group.isEmpty()) {
            return notNull(action, "autoScalingGroupName");
        }
        if (!groups.containsKey(group)) {
            return error(action, 400, "ValidationError", "Group " + group + " not found");
        }
        List<String> names = indexed(params, "LifecycleHookNames.member.");
        String requestId = UUID.randomUUID().toString();
        StringBuilder x = new StringBuilder("<DescribeLifecycleHooksResponse xmlns=\"").append(ASG_NS).append("\">\n")
                .append("  <DescribeLifecycleHooksResult>\n    <LifecycleHooks>\n");
        for (LifecycleHook h : lifecycleHooks()) {
            if (!h.group().equals(group) || !names.isEmpty() && !names.contains(h.name())) {
                continue;
            }
            x.append("      <member>\n");
            element(x, "LifecycleHookName", h.name());
            element(x, "AutoScalingGroupName", h.group());
            element(x, "LifecycleTransition", h.transition());
            element(x, "NotificationTargetARN", h.notificationTargetArn());
            element(x, "RoleARN", h.roleArn());
            element(x, "NotificationMetadata", h.notificationMetadata());
            element(x, "HeartbeatTimeout", String.valueOf(h.heartbeatTimeout()));
            element(x, "GlobalTimeout", String.valueOf(h.globalTimeout()));
            element(x, "DefaultResult", h.defaultResult());
            x.append("      </member>\n");
        }
        x.append("    </LifecycleHooks>\n  </DescribeLifecycleHooksResult>\n  <ResponseMetadata>\n    <RequestId>")
                .append(requestId).append("</RequestId>\n  </ResponseMetadata>\n</DescribeLifecycleHooksResponse>\n");
        return new Answer(200, x.toString(), requestId);
    }

    private Answer completeLifecycleAction(Map<String, String> params) {
        String action = COMPLETE_ACTION;
        Answer invalid = checkVersion(action, params);
        if (invalid == null) {
            invalid = checkActionParams(action, params);
        }
        if (invalid != null) {
            return invalid;
        }
        String result = params.get("LifecycleActionResult");
        if (result == null) {
            return notNull(action, "lifecycleActionResult");
        }
        if (!"CONTINUE".equals(result) && !"ABANDON".equals(result)) {
            return error(action, 400, "ValidationError", "Valid values for LifecycleActionResult are CONTINUE and ABANDON");
        }
        Completion c;
        synchronized (lock) {
            Action a = findActive(params);
            if (a == null) {
                return noActiveAction(action, params);
            }
            c = finish(a, result, false);
        }
        for (Consumer<Completion> l : completionListeners) {
            l.accept(c);           // before the answer: the test acts as AWS would on the completion
        }
        return empty(action);
    }

    private Answer recordHeartbeat(Map<String, String> params) {
        String action = HEARTBEAT_ACTION;
        Answer invalid = checkVersion(action, params);
        if (invalid == null) {
            invalid = checkActionParams(action, params);
        }
        if (invalid != null) {
            return invalid;
        }
        synchronized (lock) {
            Action a = findActive(params);
            if (a == null) {
                return noActiveAction(action, params);
            }
            Instant now = Instant.now();
            a.deadline = now.plusSeconds(a.hook.heartbeatTimeout());
            heartbeats.add(new Heartbeat(a.group, a.hook.name(), a.instanceId, a.token, now));
        }
        return empty(action);
    }

    private Answer checkActionParams(String action, Map<String, String> params) {
        if (params.get("AutoScalingGroupName") == null) {
            return notNull(action, "autoScalingGroupName");
        }
        if (params.get("LifecycleHookName") == null) {
            return notNull(action, "lifecycleHookName");
        }
        if (emptyToNull(params.get("LifecycleActionToken")) == null && emptyToNull(params.get("InstanceId")) == null) {
            return error(action, 400, "ValidationError", "Either LifecycleActionToken or InstanceId must be specified");
        }
        return null;
    }

    // under lock: the active action of this group and hook, by token (else by instance id)
    private Action findActive(Map<String, String> params) {
        String group = params.get("AutoScalingGroupName");
        String hook = params.get("LifecycleHookName");
        String token = emptyToNull(params.get("LifecycleActionToken"));
        String instanceId = emptyToNull(params.get("InstanceId"));
        for (Action a : actions.values()) {
            if (a.active && a.group.equals(group) && a.hook.name().equals(hook)
                    && (token != null ? a.token.equals(token) && (instanceId == null || a.instanceId.equals(instanceId))
                    : a.instanceId.equals(instanceId))) {
                return a;
            }
        }
        return null;
    }

    private static Answer noActiveAction(String action, Map<String, String> params) {
        String token = emptyToNull(params.get("LifecycleActionToken"));
        return error(action, 400, "ValidationError", token != null ? "No active Lifecycle Action found with token " + token
                : "No active Lifecycle Action found with instance ID " + params.get("InstanceId"));
    }

    private static Answer checkVersion(String action, Map<String, String> params) {
        return "2011-01-01".equals(params.get("Version")) ? null
                : error(action, 400, "InvalidParameterValue", "Version 2011-01-01 expected");
    }

    private static Answer notNull(String action, String member) {
        return error(action, 400, "ValidationError", "1 validation error detected: Value null at '" + member
                + "' failed to satisfy constraint: Member must not be null");
    }

    /** The answer of an Auto Scaling action without output: an empty Result and the metadata. */
    private static Answer empty(String action) {
        String requestId = UUID.randomUUID().toString();
        return new Answer(200, "<" + action + "Response xmlns=\"" + ASG_NS + "\">\n  <" + action + "Result/>\n"
                + "  <ResponseMetadata>\n    <RequestId>" + requestId + "</RequestId>\n  </ResponseMetadata>\n</"
                + action + "Response>\n", requestId);
    }

    private static void element(StringBuilder x, String name, String value) {
        if (value != null) {
            x.append("        <").append(name).append('>').append(esc(value)).append("</").append(name).append(">\n");
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void field(StringBuilder j, String name, String value) {
        if (j.length() > 1) {
            j.append(',');
        }
        j.append('"').append(name).append("\":\"").append(jsonEsc(value)).append('"');
    }

    private static String jsonEsc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Error documents as each service sends them: Auto Scaling's Query ErrorResponse, EC2's Response/Errors. */
    private static Answer error(String action, int status, String code, String message) {
        String requestId = UUID.randomUUID().toString();
        String xml = EC2_ACTION.equals(action)
                ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + esc(code)
                        + "</Code><Message>" + esc(message) + "</Message></Error></Errors><RequestID>" + requestId
                        + "</RequestID></Response>\n"
                : "<ErrorResponse xmlns=\"" + ASG_NS + "\">\n  <Error>\n    <Type>" + (status >= 500 ? "Receiver" : "Sender")
                        + "</Type>\n    <Code>" + esc(code) + "</Code>\n    <Message>" + esc(message)
                        + "</Message>\n  </Error>\n  <RequestId>" + requestId + "</RequestId>\n</ErrorResponse>\n";
        return new Answer(status, xml, requestId);
    }

    // ------------------------------------------------------------------ SigV4, checked as AWS does

    private String verifySignature(HttpExchange ex, String authorization, String body) {
        Matcher m = CREDENTIAL.matcher(authorization);
        if (!m.matches()) {
            return "not a SigV4 Authorization header";
        }
        if (!m.group(1).equals(expectedKeyId)) {
            return "The security token included in the request is invalid (key id " + m.group(1) + ")";
        }
        String date = m.group(2);
        String region = m.group(3);
        String service = m.group(4);
        String signedHeaders = m.group(5);
        String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
        if (amzDate == null || !amzDate.startsWith(date)) {
            return "X-Amz-Date missing or not of the credential scope's day";
        }
        StringBuilder canonical = new StringBuilder("POST\n")
                .append(ex.getRequestURI().getRawPath().isEmpty() ? "/" : ex.getRequestURI().getRawPath()).append('\n')
                .append(Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("")).append('\n');
        for (String h : signedHeaders.split(";")) {
            List<String> values = ex.getRequestHeaders().get(h);
            String value = values == null ? "" : String.join(",", values.stream().map(v -> v.trim().replaceAll("\\s+", " ")).toList());
            canonical.append(h).append(':').append(value).append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(sha256Hex(body));
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonical.toString());
        byte[] key = hmac(("AWS4" + expectedSecret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String expected = HexFormat.of().formatHex(hmac(key, toSign));
        return expected.equals(m.group(6)) ? null : "The request signature we calculated does not match the signature you provided.";
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    /** Values of prefix1, prefix2 ... in index order (the Query protocol's lists). */
    private static List<String> indexed(Map<String, String> params, String prefix) {
        Map<Integer, String> byIndex = new TreeMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.substring(prefix.length()).matches("[0-9]+")) {
                byIndex.put(Integer.parseInt(k.substring(prefix.length())), v);
            }
        });
        return List.copyOf(byIndex.values());
    }

    private static String token(int offset) {
        return java.util.Base64.getEncoder().encodeToString(("page:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a NextToken stands for: 0 without one, -1 for a token this double did not hand out. */
    private static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String s = new String(java.util.Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return s.startsWith("page:") ? Integer.parseInt(s.substring(5)) : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(Arrays.copyOf(s.getBytes(StandardCharsets.UTF_8), 8));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
