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
}
