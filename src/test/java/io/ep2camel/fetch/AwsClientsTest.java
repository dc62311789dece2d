package io.ep2camel.fetch;

import io.ep2camel.testsupport.AwsQueryDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.net.URI;
import java.util.Optional;

import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsClientsTest {
    private final AwsQueryDouble aws = AwsQueryDouble.start();

    @AfterEach
    void tearDown() {
        aws.close();
    }

    @Test
    void keysGoTogether() {
        assertThatThrownBy(() -> new AwsClients(Optional.of("AKID"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty())).hasMessageContaining("together");
        assertThatThrownBy(() -> new AwsClients(Optional.empty(), Optional.of("s"), Optional.empty(),
                Optional.empty(), Optional.empty())).hasMessageContaining("together");
    }

    @Test
    void toStringShowsTheKeyIdNeverTheSecret() {
        AwsClients c = new AwsClients(Optional.of("AKIDSHOWN"), Optional.of("the-secret-value"), Optional.of("eu-west-1"),
                Optional.of(URI.create("http://127.0.0.1:1")), Optional.empty());
        assertThat(c.toString()).contains("AKIDSHOWN", "eu-west-1", "http://127.0.0.1:1").doesNotContain("the-secret-value");
        assertThat(c.staticCredentials()).isTrue();
    }

    @Test
    void eachServiceHasItsOwnEndpoint() {
        try (AwsQueryDouble ec2Only = AwsQueryDouble.start()) {
            aws.group("g", inService("i-1"));
            ec2Only.running("i-1", "10.0.0.1");
            AwsClients c = new AwsClients(Optional.of("AKID"), Optional.of("s"), Optional.of("us-east-1"),
                    Optional.of(aws.endpoint()), Optional.of(ec2Only.endpoint()));
            try (AutoScalingClient asg = c.newAutoScalingClient(); Ec2Client ec2 = c.newEc2Client()) {
                asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames("g"));
                ec2.describeInstances(r -> r.instanceIds("i-1"));
            }
            assertThat(aws.requests()).extracting(AwsQueryDouble.Request::action).containsExactly(AwsQueryDouble.ASG_ACTION);
            assertThat(ec2Only.requests()).extracting(AwsQueryDouble.Request::action).containsExactly(AwsQueryDouble.EC2_ACTION);
            assertThat(ec2Only.requests().get(0).signingService()).contains("ec2");
        }
    }

    @Test
    void withoutKeysTheSdkDefaultChainSigns() {
        String oldId = System.getProperty("aws.accessKeyId");
        String oldSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", "AKIDFROMCHAIN");
        System.setProperty("aws.secretAccessKey", "chain-secret");
        try {
            aws.group("g", inService("i-1")).expectCredentials("AKIDFROMCHAIN", "chain-secret");
            AwsClients c = new AwsClients(Optional.empty(), Optional.empty(), Optional.of("us-east-1"),
                    Optional.of(aws.endpoint()), Optional.of(aws.endpoint()));
            assertThat(c.staticCredentials()).isFalse();
            try (AutoScalingClient asg = c.newAutoScalingClient()) {
                assertThat(asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames("g")).autoScalingGroups()).hasSize(1);
            }
            assertThat(aws.requests().get(0).accessKeyId()).contains("AKIDFROMCHAIN");
            assertThat(aws.requests().get(0).status()).isEqualTo(200);
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

    /**
     * Without sqs_endpoint_url or endpoint_url the SDK finds the SQS endpoint itself: its system
     * property aws.endpointUrlSqs is the same setting as the AWS_ENDPOINT_URL_SQS variable (which a
     * test cannot set in its own JVM).
     */
    @Test
    void withoutAnSqsEndpointKeyTheSdksOwnEndpointSettingIsUsed() {
        String old = System.getProperty("aws.endpointUrlSqs");
        try (io.ep2camel.testsupport.ElasticMq sqs = io.ep2camel.testsupport.ElasticMq.start()) {
            String queue = sqs.createQueue("found-by-the-sdk");
            System.setProperty("aws.endpointUrlSqs", sqs.endpoint().toString());
            AwsClients c = new AwsClients(Optional.of("AKID"), Optional.of("s"), Optional.of("us-east-1"),
                    Optional.empty(), Optional.empty(), Optional.empty());
            try (software.amazon.awssdk.services.sqs.SqsClient client = c.newSqsClient()) {
                // checked before any call: a client that ignored the setting would go to AWS itself
                assertThat(client.serviceClientConfiguration().endpointOverride()).contains(sqs.endpoint());
                assertThat(client.listQueues().queueUrls()).contains(queue);
            }
        } finally {
            if (old == null) {
                System.clearProperty("aws.endpointUrlSqs");
            } else {
                System.setProperty("aws.endpointUrlSqs", old);
            }
        }
    }
}
