package io.ep2camel;

import io.ep2camel.config.Ep2ConfigLoader;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.LoopbackBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import static io.ep2camel.testsupport.AwsQueryDouble.ASG_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.EC2_ACTION;
import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static io.ep2camel.testsupport.AwsQueryDouble.member;
import static io.ep2camel.testsupport.LoopbackBackends.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * orchestrator = aws end to end: the real AWS SDK (its paginators) against the Query-protocol
 * double (endpoint_url), the pipeline, and a real HAProxy in front of one HTTP server per
 * "instance" (127.0.0.2, 127.0.0.3 ... all on backend_port).
 */
class AwsOrchestratorE2ETest {
    private static final String KEY_ID = "AKIDE2ETEST";
    private static final String SECRET = "e2e-Secret-Value/never+logged";

    private Ep2Fixture fx;
    private LoopbackBackends servers;
    private AwsQueryDouble aws;
    private Ep2Application app;   // the fixture's controller, stopped by fx.close()

    @BeforeEach
    void setUp() {
        servers = LoopbackBackends.start(4);
        aws = AwsQueryDouble.start().expectCredentials(KEY_ID, SECRET);
        for (int i = 1; i <= 4; i++) {
            aws.running("i-" + i, ip(i));
        }
        fx = new Ep2Fixture();
        fx.set("orchestrator", "aws").set("backend_port", Integer.toString(servers.port()));
        fx.section("AWS").put("asg_name", "web-asg");
        fx.section("AWS").put("ip_type", "private");
        fx.section("AWS").put("region_name", "us-east-1");
        fx.section("AWS").put("endpoint_url", aws.endpoint().toString());
        fx.section("AWS").put("aws_access_key_id", KEY_ID);
        fx.section("AWS").put("aws_secret_access_key", SECRET);
        fx.writeConf();
    }

    @AfterEach
    void tearDown() {
        fx.close();
        aws.close();
        servers.close();
    }

    private void startController() throws Exception {
        app = fx.startController();
    }

    private FetchHealth fetchHealth() {
        return app.context().getRegistry().lookupByNameAndType("fetchHealth", FetchHealth.class);
    }

    private Set<String> served(int n) {
        return fx.served(n);
    }

    private void awaitServed(String... names) {
        fx.awaitServed(names);
    }

    @Test
    void scaleOutAndInMoveTrafficByConfig() throws Exception {
        aws.group("web-asg", inService("i-1"), inService("i-2"));
        startController();
        awaitServed("b1", "b2");
        assertThat(fx.config()).contains("server srv_" + ip(1) + "_" + servers.port() + " " + ip(1) + ":" + servers.port());

        aws.group("web-asg", inService("i-1"), inService("i-2"), inService("i-3"));   // scale out
        awaitServed("b1", "b2", "b3");
        aws.group("web-asg", inService("i-3"));                                       // scale in
        awaitServed("b3");

        // every call was signed with the configured pair (the double checks each SigV4 signature)
        assertThat(aws.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.accessKeyId()).contains(KEY_ID);
        });
        assertThat(aws.requests(ASG_ACTION)).allSatisfy(r -> assertThat(r.signingService()).contains("autoscaling"));
        assertThat(aws.requests(EC2_ACTION)).isNotEmpty().allSatisfy(r -> assertThat(r.signingService()).contains("ec2"));
    }

    @Test
    void scaleOutAndInMoveTrafficAtRuntimeWithoutReload() throws Exception {
        fx.set("update_type", "update_by_runtime").set("node_slots", "3").set("check_interval", "100")
                .set("drain_timeout", "2");
        aws.group("web-asg", inService("i-1"));
        startController();
        awaitServed("b1");
        List<Long> master = fx.haproxy().processes();

        aws.group("web-asg", inService("i-1"), inService("i-2"), inService("i-3"), inService("i-4"));
        awaitServed("b1", "b2", "b3", "b4");
        aws.group("web-asg", inService("i-4"));
        awaitServed("b4");
        assertThat(fx.haproxy().processes()).as("no reload, no restart").isEqualTo(master);
    }

    @Test
    void onlyInServiceHealthyInstancesGetTraffic() throws Exception {
        aws.group("web-asg", inService("i-1"), member("i-2", "Pending", "Healthy"),
                member("i-3", "Terminating", "Healthy"), member("i-4", "InService", "Unhealthy"));
        startController();
        awaitServed("b1");
        assertThat(fx.config()).doesNotContain(ip(2)).doesNotContain(ip(3)).doesNotContain(ip(4));

        // the pending one comes into service, the healthy one goes to standby
        aws.group("web-asg", member("i-1", "Standby", "Healthy"), inService("i-2"),
                member("i-3", "Terminating:Wait", "Healthy"), member("i-4", "InService", "Unhealthy"));
        awaitServed("b2");
    }

    @Test
    void bothApisArePaged() throws Exception {
        aws.group("web-asg", inService("i-1"), inService("i-2"), inService("i-3")).asgEmptyPages(1).ec2PageSize(1);
        startController();
        awaitServed("b1", "b2", "b3");
        assertThat(aws.requests(ASG_ACTION)).anySatisfy(r -> assertThat(r.params()).containsKey("NextToken"));
        assertThat(aws.requests(EC2_ACTION)).anySatisfy(r -> assertThat(r.params()).containsKey("NextToken"));
    }

    @Test
    void throttlingAndServerErrorsKeepTheBackendsAndBackOff() throws Exception {
        aws.group("web-asg", inService("i-1"), inService("i-2"));
        startController();
        awaitServed("b1", "b2");
        String before = fx.config();

        // Auto Scaling throttles every call while the group changes: nothing changes in HAProxy
        aws.throttle(ASG_ACTION, -1);
        aws.group("web-asg", inService("i-3"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !fetchHealth().reachable());
        aws.clearRequests();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> served(4).equals(Set.of("b1", "b2")) && fx.config().equals(before));
        assertThat(fetchHealth().lastError()).hasValueSatisfying(e -> assertThat(e).contains("Rate exceeded"));
        assertThat(fetchHealth().consecutiveFailures()).isGreaterThanOrEqualTo(2);
        // sleep_before_next_run is 0.2 s: without back-off 3 s would be ~15 rounds of 2 attempts; within
        // the first 30 s of an outage a round comes about once a second
        assertThat(aws.requests(ASG_ACTION)).hasSizeLessThanOrEqualTo(8);

        aws.recover();                                         // the change goes through once AWS answers
        awaitServed("b3");
        await().atMost(Duration.ofSeconds(5)).until(() -> fetchHealth().reachable());

        // EC2 answering 500: same story
        aws.fail(EC2_ACTION, 500, "InternalError", "An internal error has occurred", -1);
        aws.group("web-asg", inService("i-4"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !fetchHealth().reachable());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> served(4).equals(Set.of("b3")));
        assertThat(fetchHealth().lastError()).hasValueSatisfying(e -> assertThat(e).contains("internal error"));
        aws.recover();
        awaitServed("b4");
    }

    @Test
    void theSecretIsNeitherLoggedNorAPropertyNorOnJmx() throws Exception {
        aws.group("web-asg", inService("i-1"));
        startController();
        awaitServed("b1");
        aws.throttle(ASG_ACTION, -1);                                   // error paths log too
        await().atMost(Duration.ofSeconds(5)).until(() -> !fetchHealth().reachable());
        aws.recover();
        await().atMost(Duration.ofSeconds(10)).until(() -> fetchHealth().reachable());

        assertThat(fx.log()).contains("aws").doesNotContain(SECRET);
        assertThat(app.context().getPropertiesComponent().loadProperties().toString()).contains(KEY_ID).doesNotContain(SECRET);
        assertThat(app.context().getPropertiesComponent().resolveProperty("ep2.aws.aws_secret_access_key")).isEmpty();

        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        int read = 0;
        for (ObjectName name : jmx.queryNames(null, null)) {
            for (MBeanAttributeInfo a : jmx.getMBeanInfo(name).getAttributes()) {
                if (!a.isReadable()) {
                    continue;
                }
                Object value;
                try {
                    value = jmx.getAttribute(name, a.getName());
                } catch (Exception | Error e) {
                    continue;   // attributes that cannot be read are not shown either
                }
                String text = value instanceof Object[] arr ? Arrays.deepToString(arr) : String.valueOf(value);
                assertThat(text).as("%s %s", name, a.getName()).doesNotContain(SECRET);
                read++;
            }
        }
        assertThat(read).as("attributes read").isGreaterThan(100);
    }

    @Test
    void dryRunAsksAwsOnceAndTouchesNothing() throws Exception {
        aws.group("web-asg", inService("i-1"), member("i-2", "Pending", "Healthy"), inService("i-3"));
        RouteLocator routes = RouteLocator.detect(Optional.empty());
        Ep2Application dry = new Ep2Application(new Ep2ConfigLoader(routes.orchestrators()).load(fx.conf), routes,
                Ep2Application.Mode.DRY_RUN);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        dry.dryRun(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("# orchestrator aws: 2 backends")
                .contains(ip(1) + ":" + servers.port()).contains(ip(3) + ":" + servers.port()).doesNotContain(ip(2));
        assertThat(fx.haproxyCfg).doesNotExist();
        assertThat(aws.requests(ASG_ACTION)).hasSize(1);
        assertThat(aws.requests(EC2_ACTION)).hasSize(1);
    }

    @Test
    void withoutKeysTheSdkDefaultChainIsUsed() throws Exception {
        fx.section("AWS").remove("aws_access_key_id");
        fx.section("AWS").put("aws_secret_access_key", "");
        fx.writeConf();
        aws.expectCredentials("AKIDFROMCHAIN", "chain-secret");
        aws.group("web-asg", inService("i-2"));
        String oldId = System.getProperty("aws.accessKeyId");
        String oldSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", "AKIDFROMCHAIN");
        System.setProperty("aws.secretAccessKey", "chain-secret");
        try {
            startController();
            awaitServed("b2");
            assertThat(aws.requests()).allSatisfy(r -> assertThat(r.accessKeyId()).contains("AKIDFROMCHAIN"));
        } finally {
            restore("aws.accessKeyId", oldId);
            restore("aws.secretAccessKey", oldSecret);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
