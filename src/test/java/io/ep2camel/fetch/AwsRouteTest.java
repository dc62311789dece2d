package io.ep2camel.fetch;

import io.ep2camel.testsupport.AwsQueryDouble;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.IntStream;

import static io.ep2camel.testsupport.AwsQueryDouble.ASG_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.EC2_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static io.ep2camel.testsupport.AwsQueryDouble.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * routes/aws.camel.yaml on its own, on Camel's test kit: the real SDK clients and their paginators
 * against the Query double. Each test sets use_public_ip first, so the kit does not start Camel:
 * {@link #start} does, once the file is loaded and its template is instantiated, as Camel Main does
 * for the [haproxy] pool.
 */
class AwsRouteTest extends CamelTestSupport {
    private final AwsQueryDouble aws = AwsQueryDouble.start().expectCredentials("AKIDROUTE", "route-secret");

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withAutoStartContext(false);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("awsClients", new AwsClients(Optional.of("AKIDROUTE"), Optional.of("route-secret"),
                Optional.of("us-east-1"), Optional.of(aws.endpoint()), Optional.of(aws.endpoint())));
    }

    @AfterEach
    void stopCamelThenTheDouble() {
        context.stop();
        aws.close();
    }

    private void start(boolean usePublicIp) throws Exception {
        Properties p = new Properties();
        p.setProperty("ep2.aws.asg_name", "web-asg");
        p.setProperty("ep2.aws.use_public_ip", Boolean.toString(usePublicIp));
        p.setProperty("ep2.haproxy.backend_port", "8080");
        context.getPropertiesComponent().setInitialProperties(p);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:routes/aws.camel.yaml"));
        // the shipped file holds route templates: one route each, as for the [haproxy] pool
        TemplatedRouteBuilder.builder(context, "ep2-fetch-aws").routeId("ep2-fetch-aws").parameter("suffix", "").add();
        context.start();
    }

    private List<Object> fetch() {
        @SuppressWarnings("unchecked")
        List<Object> body = template().requestBody("direct:ep2-fetch-aws", null, List.class);
        return body;
    }

    private static Map<String, Object> backend(String host, int port) {
        return Map.of("host", host, "port", port);
    }

    @Test
    void inServiceHealthyInstancesBecomePrivateAddressesOnBackendPort() throws Exception {
        aws.group("web-asg", inService("i-1"), member("i-2", "Pending", "Healthy"), inService("i-3"),
                        member("i-4", "InService", "Unhealthy"), member("i-5", "Terminating", "Healthy"))
                .running("i-1", "10.0.0.1").running("i-2", "10.0.0.2").running("i-3", "10.0.0.3")
                .running("i-4", "10.0.0.4").running("i-5", "10.0.0.5");
        start(false);

        assertThat(fetch()).containsExactly(backend("10.0.0.1", 8080), backend("10.0.0.3", 8080));
        AwsQueryDouble.Request ec2 = aws.requests(EC2_ACTION).get(0);
        assertThat(ec2.params()).containsEntry("InstanceId.1", "i-1").containsEntry("InstanceId.2", "i-3")
                .doesNotContainKey("InstanceId.3").containsEntry("Version", "2016-11-15");
        assertThat(ec2.signingService()).contains("ec2");
        assertThat(aws.requests()).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void publicAddressesWhenUsePublicIp() throws Exception {
        aws.group("web-asg", inService("i-1"), inService("i-2"))
                .instance("i-1", "running", "10.0.0.1", "198.51.100.1").running("i-2", "10.0.0.2");
        start(true);
        assertThat(fetch()).containsExactly(backend("198.51.100.1", 8080));
    }

    @Test
    void describeInstancesIsPagedByNextToken() throws Exception {
        aws.group("web-asg", inService("i-1"), inService("i-2"), inService("i-3"), inService("i-4"), inService("i-5"))
                .ec2PageSize(2);
        IntStream.rangeClosed(1, 5).forEach(i -> aws.running("i-" + i, "10.0.0." + i));
        start(false);

        assertThat(fetch()).hasSize(5);
        List<AwsQueryDouble.Request> calls = aws.requests(EC2_ACTION);
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).params()).doesNotContainKey("NextToken");
        assertThat(calls.get(1).params()).containsKey("NextToken");
        assertThat(calls.get(2).params().get("NextToken")).isNotEqualTo(calls.get(1).params().get("NextToken"));
    }

    @Test
    void bothApisPagedInOneRound() throws Exception {
        aws.group("web-asg", inService("i-1"), inService("i-2"), inService("i-3")).asgEmptyPages(1).ec2PageSize(1);
        IntStream.rangeClosed(1, 3).forEach(i -> aws.running("i-" + i, "10.0.0." + i));
        start(false);
        assertThat(fetch()).hasSize(3);
        assertThat(aws.requests(ASG_ACTION)).hasSize(2);
        assertThat(aws.requests(EC2_ACTION)).hasSize(3);
    }

    @Test
    void aLargeGroupIsAskedForInBatches() throws Exception {
        int n = AwsBackends.BATCH + 20;
        aws.group("web-asg", IntStream.rangeClosed(1, n).mapToObj(i -> inService("i-" + i)).toArray(AwsQueryDouble.Member[]::new));
        IntStream.rangeClosed(1, n).forEach(i -> aws.running("i-" + i, "10.0." + (i / 250) + "." + (i % 250 + 1)));
        start(false);
        assertThat(fetch()).hasSize(n);
        assertThat(aws.requests(EC2_ACTION)).extracting(r -> r.params().keySet().stream().filter(k -> k.startsWith("InstanceId.")).count())
                .containsExactly((long) AwsBackends.BATCH, 20L);
    }

    @Test
    void anEmptyGroupIsAnEmptyListWithoutAnyEc2Call() throws Exception {
        aws.group("web-asg", member("i-1", "Pending", "Healthy"));
        start(false);
        assertThat(fetch()).isEmpty();
        assertThat(aws.requests(EC2_ACTION)).isEmpty();
    }

    @Test
    void ec2ThrottlingFailsTheFetch() throws Exception {
        aws.group("web-asg", inService("i-1")).running("i-1", "10.0.0.1").throttle(EC2_ACTION, -1);
        start(false);
        assertThatThrownBy(this::fetch).isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(AwsServiceException.class).hasMessageContaining("Request limit exceeded");
        assertThat(aws.requests(EC2_ACTION)).hasSize(2);
    }

    @Test
    void anInstanceEc2DoesNotKnowFailsTheFetch() throws Exception {
        aws.group("web-asg", inService("i-1"), inService("i-404")).running("i-1", "10.0.0.1");
        start(false);
        assertThatThrownBy(this::fetch).cause().isInstanceOf(AwsServiceException.class)
                .hasMessageContaining("i-404");
    }

    @Test
    void theSdkClientsAreClosedWithCamel() throws Exception {
        aws.group("web-asg");
        start(false);
        Ec2Client ec2 = context.getRegistry().lookupByNameAndType("ec2Client", Ec2Client.class);
        assertThat(ec2).isNotNull();
        context.stop();
        // its executors are shut down: no call goes out any more
        assertThatThrownBy(() -> ec2.describeInstances(r -> r.instanceIds("i-1")))
                .isInstanceOfAny(IllegalStateException.class, RejectedExecutionException.class);
        assertThat(aws.requests(EC2_ACTION)).isEmpty();
    }
}
