package io.ep2camel.it;

import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.BuiltJar;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.LoopbackBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static io.ep2camel.testsupport.LoopbackBackends.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * orchestrator = aws from the built jar: the shaded jar carries the AWS SDK's service files
 * (HTTP client, endpoint rules) and the aws route, and the secret stays out of its output.
 */
class AwsJarIT {
    private static final String SECRET = "jar-Secret/never+printed";

    private final LoopbackBackends servers = LoopbackBackends.start(2);
    private final AwsQueryDouble aws = AwsQueryDouble.start().expectCredentials("AKIDJAR", SECRET);
    private final Ep2Fixture fx = new Ep2Fixture();
    private Process controller;

    @AfterEach
    void tearDown() throws Exception {
        if (controller != null && controller.isAlive()) {
            controller.destroyForcibly().waitFor();
        }
        fx.close();
        aws.close();
        servers.close();
    }

    @Test
    void theJarFollowsTheAutoScalingGroup() throws Exception {
        aws.running("i-1", ip(1)).running("i-2", ip(2)).group("web-asg", inService("i-1"));
        fx.set("orchestrator", "aws").set("backend_port", Integer.toString(servers.port()));
        fx.section("AWS").put("asg_name", "web-asg");
        fx.section("AWS").put("ip_type", "private");
        fx.section("AWS").put("region_name", "us-east-1");
        fx.section("AWS").put("endpoint_url", aws.endpoint().toString());
        fx.section("AWS").put("aws_access_key_id", "AKIDJAR");
        fx.section("AWS").put("aws_secret_access_key", SECRET);
        fx.writeConf();

        Path out = fx.dir.resolve("controller.out");
        controller = BuiltJar.start(out, "-f", fx.conf.toString());

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
        aws.group("web-asg", inService("i-2"));
        await().atMost(Duration.ofSeconds(15)).until(() -> Http.tryGet(fx.frontendPort).equals("b2"));

        controller.destroy();
        assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(output).contains("Started ep2-fetch-aws").doesNotContain(SECRET);
        assertThat(Files.readString(fx.logFile)).doesNotContain(SECRET);
    }
}
