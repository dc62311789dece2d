package io.ep2camel.config;

import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The [AWS] section: keys, defaults and checks of the aws orchestrator. */
class AwsConfigTest {
    private final Path dir = TestDirs.shortTemp();
    private final Path conf = dir.resolve("ep2.conf");

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    private Ep2Config load(String awsBlock) throws IOException, ConfigException {
        Files.writeString(dir.resolve("t.template"), "listen be\n    {{nodes}}\n");
        Files.writeString(conf, """
                [haproxy]
                template_file = t.template
                backend_name = be
                backend_port = 8080
                orchestrator = aws
                log_file = ep2.log
                [AWS]
                asg_name = web-asg
                """ + awsBlock);
        return new Ep2ConfigLoader(Set.of("aws", "file")).load(conf);
    }

    @Test
    void addressingDefaultsToEp2sPublicIpAndReachesTheRoute() throws Exception {
        Ep2Config cfg = load("");
        assertThat(cfg.get(ConfigKey.USE_PUBLIC_IP)).contains("true");
        Properties p = cfg.toCamelProperties();
        assertThat(p.getProperty("ep2.aws.use_public_ip")).isEqualTo("true");
        assertThat(p.getProperty("ep2.aws.asg_name")).isEqualTo("web-asg");
        assertThat(load("ip_type = private\n").toCamelProperties().getProperty("ep2.aws.use_public_ip")).isEqualTo("false");
        assertThat(load("use_public_ip = False\n").toCamelProperties().getProperty("ep2.aws.use_public_ip")).isEqualTo("false");
    }

    @Test
    void endpointsAndRegionAreKept() throws Exception {
        Ep2Config cfg = load("""
                region_name = us-gov-west-1
                endpoint_url = https://vpce-1.example.amazonaws.com
                ec2_endpoint_url = http://127.0.0.1:4566/ec2
                """);
        assertThat(cfg.get(ConfigKey.REGION_NAME)).contains("us-gov-west-1");
        assertThat(cfg.get(ConfigKey.ENDPOINT_URL)).contains("https://vpce-1.example.amazonaws.com");
        assertThat(cfg.get(ConfigKey.EC2_ENDPOINT_URL)).contains("http://127.0.0.1:4566/ec2");
        assertThat(cfg.get(ConfigKey.AUTOSCALING_ENDPOINT_URL)).isEmpty();
    }

    @Test
    void bothKeysOrNeither() throws Exception {
        assertThat(load("aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = s3cr3t\n")
                .get(ConfigKey.AWS_ACCESS_KEY_ID)).contains("AKIDEXAMPLE");
        assertThat(load("aws_access_key_id =\naws_secret_access_key =\n").get(ConfigKey.AWS_ACCESS_KEY_ID)).isEmpty();
        assertThatThrownBy(() -> load("aws_access_key_id = AKIDEXAMPLE\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] aws_secret_access_key: required when aws_access_key_id is set");
    }

    @Test
    void aSecretWithoutKeyIdIsAnErrorThatDoesNotEchoIt() {
        assertThatThrownBy(() -> load("aws_secret_access_key = very-s3cr3t-value\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] aws_access_key_id: required when aws_secret_access_key is set")
                .hasMessageNotContaining("very-s3cr3t-value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:4566", "ftp://127.0.0.1/", "http://", "http://user:pw@127.0.0.1:4566",
            "http://127.0.0.1:4566/?x=1", "not a url", "ftp://user:pw@127.0.0.1/", "http://us er:pw@127.0.0.1/"})
    void endpointMustBeAPlainHttpUrl(String url) {
        assertThatThrownBy(() -> load("endpoint_url = " + url + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] endpoint_url: ")
                .hasMessageNotContaining("pw@");
    }

    @ParameterizedTest
    @CsvSource({"autoscaling_endpoint_url", "ec2_endpoint_url"})
    void perServiceEndpointsAreCheckedToo(String key) {
        assertThatThrownBy(() -> load(key + " = tcp://x\n")).hasMessageContaining("[AWS] " + key + ": must be an http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"US East", "useast1", "us-east", "us_east_1"})
    void regionMustLookLikeOne(String region) {
        assertThatThrownBy(() -> load("region_name = " + region + "\n"))
                .hasMessageContaining("[AWS] region_name: not an AWS region name");
    }

    @Test
    void awsTakesEp2sBackendPortAndRequiresAGroup() throws Exception {
        Files.writeString(dir.resolve("t.template"), "{{nodes}}");
        Files.writeString(conf, """
                [haproxy]
                template_file = t.template
                backend_name = be
                orchestrator = aws
                log_file = ep2.log
                [AWS]
                asg_name = web-asg
                """);
        assertThat(new Ep2ConfigLoader(Set.of("aws")).load(conf).pools().get(0).backendPort()).contains(6003);
        Files.writeString(conf, Files.readString(conf).replace("asg_name = web-asg", "asg_name ="));
        assertThatThrownBy(() -> new Ep2ConfigLoader(Set.of("aws")).load(conf))
                .hasMessageContaining("[AWS] asg_name: required when orchestrator = aws");
    }

    // ------------------------------------------------------------------ #13 lifecycle hooks

    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle";

    @Test
    void lifecycleQueueUrlReachesThePoolAndTheRoutes() throws Exception {
        Ep2Config cfg = load("lifecycle_queue_url = " + QUEUE + "\n");
        assertThat(cfg.get(ConfigKey.LIFECYCLE_QUEUE_URL)).contains(QUEUE);
        PoolSpec pool = cfg.pools().get(0);
        assertThat(pool.lifecycleQueueUrl()).contains(QUEUE);
        assertThat(pool.asgName()).contains("web-asg");
        assertThat(pool.routeProperties()).containsEntry("ep2.aws.lifecycle", "true")
                .containsEntry("ep2.aws.lifecycle_queue_url", QUEUE);
        assertThat(cfg.toCamelProperties()).containsEntry("ep2.aws.lifecycle", "true")
                .containsEntry("ep2.aws.lifecycle_queue_url", QUEUE);

        Ep2Config without = load("");
        assertThat(without.get(ConfigKey.LIFECYCLE_QUEUE_URL)).isEmpty();
        assertThat(without.pools().get(0).lifecycleQueueUrl()).isEmpty();
        assertThat(without.pools().get(0).routeProperties()).containsEntry("ep2.aws.lifecycle", "false")
                .doesNotContainKey("ep2.aws.lifecycle_queue_url");
        assertThat(without.toCamelProperties()).containsEntry("ep2.aws.lifecycle", "false");
        assertThat(load("lifecycle_queue_url =\n").pools().get(0).lifecycleQueueUrl()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle",
            "https://sqs.us-east-1.amazonaws.com/123456789012/ep2_lifecycle.fifo",
            "https://vpce-0a1b-x.sqs.us-east-1.vpce.amazonaws.com/123456789012/Ep2-Lifecycle-1",
            "http://127.0.0.1:9324/000000000000/ep2-lifecycle", "http://localhost:4566/ep2"})
    void sqsQueueUrlsAreTaken(String url) throws Exception {
        assertThat(load("lifecycle_queue_url = " + url + "\n").pools().get(0).lifecycleQueueUrl()).contains(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://sqs.us-east-1.amazonaws.com/", "https://sqs.us-east-1.amazonaws.com",
            "https://sqs.us-east-1.amazonaws.com/123456789012/ep2.lifecycle",
            "https://sqs.us-east-1.amazonaws.com/123456789012/ep2 lifecycle",
            "https://sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle.fifo.fifo",
            "https://sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle/",
            "https://sqs.us-east-1.amazonaws.com/123456789012/a23456789012345678901234567890123456789012345678901234567890123456789012345678901"})
    void aLifecycleQueueUrlMustNameAQueue(String url) {
        assertThatThrownBy(() -> load("lifecycle_queue_url = " + url + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] lifecycle_queue_url: ")
                .hasMessageContaining(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ep2-lifecycle", "sqs://sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle",
            "arn:aws:sqs:us-east-1:123456789012:ep2-lifecycle", "https:///123456789012/ep2-lifecycle"})
    void aLifecycleQueueUrlMustBeAnHttpUrlWithAHost(String url) {
        assertThatThrownBy(() -> load("lifecycle_queue_url = " + url + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] lifecycle_queue_url: must be an http:// or https:// URL with a host, not '" + url + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle?Action=ReceiveMessage",
            "https://sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle#q",
            "https://AKID:s3cr3t@sqs.us-east-1.amazonaws.com/123456789012/ep2-lifecycle"})
    void aLifecycleQueueUrlHasNoUserQueryOrFragmentAndAPasswordIsNotEchoed(String url) {
        assertThatThrownBy(() -> load("lifecycle_queue_url = " + url + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] lifecycle_queue_url: must be scheme://host[:port][/path], without user, query or fragment")
                .hasMessageNotContaining("s3cr3t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9324", "ftp://127.0.0.1/", "http://", "http://user:pw@127.0.0.1:9324",
            "http://127.0.0.1:9324/?x=1", "not a url", "ftp://user:pw@127.0.0.1/", "http://us er:pw@127.0.0.1/"})
    void sqsEndpointUrlIsCheckedAsEndpointUrlIs(String url) {
        assertThatThrownBy(() -> load("sqs_endpoint_url = " + url + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] sqs_endpoint_url: ")
                .hasMessageNotContaining("pw@");
    }

    @Test
    void theSqsClientTakesSqsEndpointUrlElseEndpointUrl() throws Exception {
        Ep2Config own = load("endpoint_url = http://127.0.0.1:4566\nsqs_endpoint_url = http://127.0.0.1:9324\n");
        assertThat(own.get(ConfigKey.SQS_ENDPOINT_URL)).contains("http://127.0.0.1:9324");
        assertThat(io.ep2camel.fetch.AwsClients.from(own).toString())
                .contains("sqs=http://127.0.0.1:9324", "ec2=http://127.0.0.1:4566", "autoscaling=http://127.0.0.1:4566");
        assertThat(io.ep2camel.fetch.AwsClients.from(load("endpoint_url = http://127.0.0.1:4566\n")).toString())
                .contains("sqs=http://127.0.0.1:4566");
        assertThat(io.ep2camel.fetch.AwsClients.from(load("")).toString()).contains("sqs=AWS");
    }

    @Test
    void lifecycleLaunchTimeoutDefaultsToFiveMinutes() throws Exception {
        assertThat(load("").lifecycleLaunchTimeout()).isEqualTo(java.time.Duration.ofSeconds(300));
        assertThat(load("lifecycle_launch_timeout = 90\n").lifecycleLaunchTimeout()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(load("lifecycle_launch_timeout = 2.5\n").lifecycleLaunchTimeout()).isEqualTo(java.time.Duration.ofMillis(2500));
        assertThatThrownBy(() -> load("lifecycle_launch_timeout = soon\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] lifecycle_launch_timeout: ");
        assertThatThrownBy(() -> load("lifecycle_launch_timeout = 0\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] lifecycle_launch_timeout: ");
    }

    @Test
    void awssLifecycleQueueUrlIsRefusedWhenTheHaproxyPoolIsNotAws() throws Exception {
        Files.writeString(dir.resolve("t.template"), "listen be\n    {{nodes}}\n");
        Files.writeString(conf, """
                [haproxy]
                template_file = t.template
                backend_name = be
                orchestrator = file
                log_file = ep2.log
                [FILE]
                path = web.txt
                [AWS]
                lifecycle_queue_url = %s
                """.formatted(QUEUE));
        assertThatThrownBy(() -> new Ep2ConfigLoader(Set.of("aws", "file")).load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[AWS] lifecycle_queue_url: ")
                .hasMessageContaining("orchestrator is file, not aws");
    }

    /** [haproxy] + [AWS] with a lifecycle queue, and these pool sections; their backends in the template. */
    private Ep2Config loadPools(String pools) throws IOException, ConfigException {
        Files.writeString(dir.resolve("t.template"), "listen be\n    {{nodes}}\nlisten api\n    {{ pools.api.nodes }}\n"
                + "listen jobs\n    {{ pools.jobs.nodes }}\n");
        Files.writeString(conf, """
                [haproxy]
                template_file = t.template
                backend_name = be
                backend_port = 8080
                orchestrator = aws
                log_file = ep2.log
                [AWS]
                asg_name = web-asg
                ip_type = private
                lifecycle_queue_url = %s
                """.formatted(QUEUE) + pools);
        return new Ep2ConfigLoader(Set.of("aws", "consul", "file")).load(conf);
    }

    @Test
    void aPoolHasItsOwnLifecycleQueueAndNeverInheritsTheOneOfAws() throws Exception {
        String apiQueue = "https://sqs.us-east-1.amazonaws.com/123456789012/api-lifecycle";
        Ep2Config cfg = loadPools("""
                [pool:api]
                orchestrator = aws
                asg_name = api-asg
                lifecycle_queue_url = %s
                [pool:jobs]
                orchestrator = aws
                asg_name = jobs-asg
                """.formatted(apiQueue));
        PoolSpec be = cfg.pools().get(0);
        PoolSpec api = cfg.pools().get(1);
        PoolSpec jobs = cfg.pools().get(2);
        assertThat(be.lifecycleQueueUrl()).contains(QUEUE);
        assertThat(api.lifecycleQueueUrl()).contains(apiQueue);
        assertThat(jobs.lifecycleQueueUrl()).as("[AWS]'s queue carries web-asg's notifications only").isEmpty();
        assertThat(be.routeProperties()).containsEntry("ep2.aws.lifecycle", "true")
                .containsEntry("ep2.aws.lifecycle_queue_url", QUEUE);
        assertThat(api.routeProperties()).containsEntry("ep2.aws.lifecycle", "true")
                .containsEntry("ep2.aws.lifecycle_queue_url", apiQueue).containsEntry("ep2.aws.asg_name", "api-asg");
        assertThat(jobs.routeProperties()).containsEntry("ep2.aws.lifecycle", "false")
                .doesNotContainKey("ep2.aws.lifecycle_queue_url").containsEntry("ep2.aws.asg_name", "jobs-asg");
        // lifecycle_launch_timeout is shared
        assertThat(api.routeProperties()).containsEntry("ep2.aws.lifecycle_launch_timeout", "300");
    }

    @Test
    void aPoolsLifecycleQueueUrlIsCheckedAndNamesItsSection() {
        assertThatThrownBy(() -> loadPools("[pool:api]\norchestrator = aws\nasg_name = api-asg\n"
                + "lifecycle_queue_url = https://sqs.us-east-1.amazonaws.com/123456789012/\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[pool:api] lifecycle_queue_url: ")
                .hasMessageContaining("https://sqs.us-east-1.amazonaws.com/123456789012/")
                .hasMessageContaining("names no queue");
        assertThatThrownBy(() -> loadPools("[pool:api]\norchestrator = aws\nasg_name = api-asg\n"
                + "lifecycle_queue_url = sqs://q\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[pool:api] lifecycle_queue_url: must be an http");
    }

    @Test
    void aLifecycleQueueInAPoolOfAnotherOrchestratorSaysWhoseKeyItIs() {
        assertThatThrownBy(() -> loadPools("[pool:api]\norchestrator = consul\nservice_name = api\n"
                + "lifecycle_queue_url = " + QUEUE + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[pool:api] lifecycle_queue_url: a key of pools whose orchestrator reads [AWS], "
                        + "not of orchestrator consul");
    }
}
