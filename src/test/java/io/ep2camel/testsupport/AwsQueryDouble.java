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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 */
public final class AwsQueryDouble implements AutoCloseable {
    public static final String ASG_ACTION = "DescribeAutoScalingGroups";
    public static final String EC2_ACTION = "DescribeInstances";
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

    /** One request as received. */
    public record Request(String action, Map<String, String> params, String authorization, String contentType,
                          String body, int status) {
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
        groups.put(name, List.of(members));
        return this;
    }

    public AwsQueryDouble instance(String id, String state, String privateIp, String publicIp) {
        instances.put(id, new Ec2Instance(id, state, privateIp, publicIp));
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
        return action.equals(ASG_ACTION) ? fail(action, 400, "Throttling", "Rate exceeded", times)
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

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
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
        try {
            a = answer(ex, action, params, body, authorization);
        } catch (RuntimeException e) {
            a = error(action, 500, "InternalFailure", "double: " + e);
        }
        requests.add(new Request(action, params, authorization, ex.getRequestHeaders().getFirst("Content-Type"),
                body, a.status));
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
