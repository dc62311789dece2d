package io.ep2camel.fetch;

import io.ep2camel.config.ConfigKey;
import io.ep2camel.config.Ep2Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the aws orchestrator's AWS SDK clients from [AWS]. Holding only settings, it is cheap to
 * bind for every orchestrator: clients exist only once routes/aws.camel.yaml asks for them (its
 * {@code beans}, which also close them when Camel stops).
 * <ul>
 *   <li>credentials: aws_access_key_id + aws_secret_access_key when set, else the SDK's default
 *   chain (system properties, environment, web identity, profile, container, instance role);
 *   the secret lives only inside the credentials provider, never in a Camel property, an
 *   endpoint URI, a log line or {@link #toString()};</li>
 *   <li>region_name, else the SDK's region chain; endpoint_url (or the per-service
 *   autoscaling_endpoint_url / ec2_endpoint_url) as endpoint override;</li>
 *   <li>bounded calls: one retry at most (standard mode, throttling-aware back-off) and a timeout
 *   per call, so a throttled or hanging API fails the round quickly and the controller's own
 *   back-off takes over, backends kept.</li>
 * </ul>
 */
public final class AwsClients {
    static final int MAX_ATTEMPTS = 2;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(8);

    private final Optional<String> accessKeyId;
    private final Optional<String> secretAccessKey;
    private final Optional<Region> region;
    private final Optional<URI> autoScalingEndpoint;
    private final Optional<URI> ec2Endpoint;
    private final Optional<URI> sqsEndpoint;

    public AwsClients(Optional<String> accessKeyId, Optional<String> secretAccessKey, Optional<String> region,
                      Optional<URI> autoScalingEndpoint, Optional<URI> ec2Endpoint) {
        this(accessKeyId, secretAccessKey, region, autoScalingEndpoint, ec2Endpoint, Optional.empty());
    }

    public AwsClients(Optional<String> accessKeyId, Optional<String> secretAccessKey, Optional<String> region,
                      Optional<URI> autoScalingEndpoint, Optional<URI> ec2Endpoint, Optional<URI> sqsEndpoint) {
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("aws_access_key_id and aws_secret_access_key go together");
        }
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.region = region.map(Region::of);
        this.autoScalingEndpoint = autoScalingEndpoint;
        this.ec2Endpoint = ec2Endpoint;
        this.sqsEndpoint = sqsEndpoint;
    }

    /** Reads [AWS]; builds nothing yet. */
    public static AwsClients from(Ep2Config cfg) {
        Optional<URI> common = cfg.get(ConfigKey.ENDPOINT_URL).map(URI::create);
        return new AwsClients(cfg.get(ConfigKey.AWS_ACCESS_KEY_ID), cfg.get(ConfigKey.AWS_SECRET_ACCESS_KEY),
                cfg.get(ConfigKey.REGION_NAME),
                cfg.get(ConfigKey.AUTOSCALING_ENDPOINT_URL).map(URI::create).or(() -> common),
                cfg.get(ConfigKey.EC2_ENDPOINT_URL).map(URI::create).or(() -> common),
                cfg.get(ConfigKey.SQS_ENDPOINT_URL).map(URI::create).or(() -> common));
    }

    /** Whether the keys of [AWS] are used (false: the SDK's default credentials chain). */
    public boolean staticCredentials() {
        return accessKeyId.isPresent();
    }

    /** A new client; the caller closes it. */
    public AutoScalingClient newAutoScalingClient() {
        return configure(AutoScalingClient.builder(), autoScalingEndpoint).build();
    }

    /** A new client (DescribeInstances for io.ep2camel.fetch.AwsBackends); the caller closes it. */
    public Ec2Client newEc2Client() {
        return configure(Ec2Client.builder(), ec2Endpoint).build();
    }

    /**
     * A new client for lifecycle_queue_url; the caller closes it. Without sqs_endpoint_url or
     * endpoint_url the SDK finds the endpoint itself: AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL, the
     * profile's endpoint_url, else the region's SQS endpoint.
     */
    public SqsClient newSqsClient() {
        return configure(SqsClient.builder(), sqsEndpoint).build();
    }

    /** For routes/aws.camel.yaml's lifecycle template: the client its aws2-sqs endpoints use. */
    public static SqsClient sqsClient(AwsClients settings) {
        return settings.newSqsClient();
    }

    /** For routes/aws.camel.yaml's {@code beans} (Camel calls static factory methods): a new client the route owns. */
    public static AutoScalingClient autoScalingClient(AwsClients settings) {
        return settings.newAutoScalingClient();
    }

    /** For routes/aws.camel.yaml's {@code beans}: the client its awsBackends bean pages DescribeInstances with. */
    public static Ec2Client ec2Client(AwsClients settings) {
        return settings.newEc2Client();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, Optional<URI> endpoint) {
        // no provider set = the SDK's default chain, owned (and closed) by the client itself
        if (staticCredentials()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId.get(), secretAccessKey.get())));
        }
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
                .apiCallTimeout(CALL_TIMEOUT)
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .build());
        region.ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    /** No secret here: this may end up in a log line, a dev console or JMX. */
    @Override
    public String toString() {
        return "AwsClients[credentials=" + (staticCredentials() ? "[AWS] aws_access_key_id " + accessKeyId.get()
                : "SDK default chain") + ", region=" + region.map(Region::id).orElse("SDK default")
                + ", autoscaling=" + autoScalingEndpoint.map(URI::toString).orElse("AWS")
                + ", ec2=" + ec2Endpoint.map(URI::toString).orElse("AWS")
                + ", sqs=" + sqsEndpoint.map(URI::toString).orElse("AWS") + "]";
    }
}
