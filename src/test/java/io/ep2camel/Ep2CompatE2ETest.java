package io.ep2camel;

import io.ep2camel.config.Ep2ConfigLoader;
import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.Ep2Samples;
import io.ep2camel.testsupport.FakeSystemctl;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.LoopbackBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Optional;

import static io.ep2camel.testsupport.AwsQueryDouble.inService;
import static io.ep2camel.testsupport.AwsQueryDouble.member;
import static io.ep2camel.testsupport.LoopbackBackends.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An EP2 user switching: EP2's sample ep2.conf and haproxy.cfg.template (see {@link Ep2Samples};
 * {@code -Dep2.samples=DIR} runs these against EP2's own shipped files) with only their paths
 * changed and an orchestrator block written as EP2's code reads it, bootstrap a real HAProxy
 * and follow scale events. The instances serve on EP2's default backend_port, 6003, on
 * 127.0.0.2... ; the AWS endpoint comes from the SDK's own {@code aws.endpointUrl} setting, so
 * the [AWS] block holds only EP2's keys.
 */
class Ep2CompatE2ETest {
    private static final int EP2_BACKEND_PORT = 6003;
    private static final String KEY_ID = "AKIDEP2COMPAT";
    private static final String SECRET = "ep2-compat-secret";

    private final LoopbackBackends servers = LoopbackBackends.startOn(EP2_BACKEND_PORT, 4);
    private Ep2Samples samples;
    private AwsQueryDouble aws;
    private ConsulDouble consul;
    private Ep2Application app;

    @AfterEach
    void tearDown() throws Exception {
        if (app != null) {
            app.stop();
        }
        FakeSystemctl.uninstall();
        System.clearProperty("aws.endpointUrl");
        if (samples != null) {
            samples.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (consul != null) {
            consul.close();
        }
        servers.close();
    }

    /** The sample's start_by = systemd, with systemd's part played as Debian's haproxy.service plays it. */
    private FakeSystemctl systemd(Ep2Samples s) {
        return FakeSystemctl.install(s.dir, s.haproxyCfg, s.pidFile);
    }

    private void startController() throws Exception {
        RouteLocator routes = RouteLocator.detect(Optional.empty());
        app = new Ep2Application(new Ep2ConfigLoader(routes.orchestrators()).load(samples.conf), routes);
        app.start();
    }

    private void awaitServed(String... names) {
        Ep2Fixture.awaitServedAt(samples.frontendPort, names);
    }

    /**
     * The double's instances: their private address is the one a backend listens on, or (for
     * {@code byPublicIp}) their public one is, the private one then a loopback address nobody serves.
     */
    private void startAws(boolean byPublicIp) {
        aws = AwsQueryDouble.start().expectCredentials(KEY_ID, SECRET);
        for (int i = 1; i <= 4; i++) {
            aws.instance("i-" + i, "running", byPublicIp ? "127.0.0." + (200 + i) : ip(i), byPublicIp ? ip(i) : null);
        }
        System.setProperty("aws.endpointUrl", aws.endpoint().toString());
    }

    /** An [AWS] block with the keys EP2's code reads, and no others. */
    private static String awsBlock(String section, String groups) {
        return """
                [%s]
                aws_access_key_id = %s
                aws_secret_access_key = %s
                region_name = us-east-1
                asg_name = %s
                ip_type = private
                """.formatted(section, KEY_ID, SECRET, groups);
    }

    @Test
    void ep2sSampleFilesWithAnAwsBlockFollowTwoGroupsAtRuntime() throws Exception {
        startAws(false);
        aws.group("web-a", inService("i-1"), inService("i-2"), member("i-9", "Pending", "Healthy"))
                .group("web-b", inService("i-3"));
        samples = Ep2Samples.adapt(Ep2Samples.sampleConf(), Ep2Samples.sampleTemplate());
        FakeSystemctl systemctl = systemd(samples);
        // EP2's code reads these [AWS] keys; the section name in lower case, as configparser users write it too
        samples.append(awsBlock("aws", "web-a, web-b"));

        startController();
        awaitServed("b1", "b2", "b3");
        long master = samples.haproxy().masterPid();

        aws.group("web-b", inService("i-3"), inService("i-4"));        // web-b scales out
        awaitServed("b1", "b2", "b3", "b4");
        aws.group("web-a", inService("i-2"));                          // web-a scales in
        awaitServed("b2", "b3", "b4");

        // update_by_runtime (the sample's update_type): started once through systemctl, never reloaded
        assertThat(systemctl.calls()).contains("start haproxy").doesNotContain("reload haproxy");
        assertThat(samples.haproxy().masterPid()).isEqualTo(master);
        // one DescribeAutoScalingGroups call for both groups, every round
        assertThat(aws.requests(AwsQueryDouble.ASG_ACTION)).allSatisfy(r -> assertThat(r.params())
                .containsEntry("AutoScalingGroupNames.member.1", "web-a")
                .containsEntry("AutoScalingGroupNames.member.2", "web-b"));
        assertThat(Files.readString(samples.haproxyCfg)).contains("listen haproxynode", "if { ssl_fc }");
    }

    /** The sample template's {@code stats socket ipv4@127.0.0.1:9999 level admin} line alone serves update_by_runtime. */
    @Test
    void theSampleTemplatesTcpStatsSocketAloneIsEnoughForUpdateByRuntime() throws Exception {
        startAws(false);
        aws.group("web-a", inService("i-1"));
        samples = Ep2Samples.adapt(Ep2Samples.sampleConf(), Ep2Samples.sampleTemplate());
        samples.set("haproxy_socket_file", "ipv4@127.0.0.1:" + samples.tcpStatsPort);
        FakeSystemctl systemctl = systemd(samples);
        samples.append(awsBlock("AWS", "web-a"));

        startController();
        awaitServed("b1");
        long master = samples.haproxy().masterPid();
        aws.group("web-a", inService("i-1"), inService("i-2"), inService("i-3"));
        awaitServed("b1", "b2", "b3");
        aws.group("web-a", inService("i-3"));
        awaitServed("b3");

        assertThat(systemctl.calls()).contains("start haproxy").doesNotContain("reload haproxy");
        assertThat(samples.haproxy().masterPid()).isEqualTo(master);
    }

    @Test
    void ep2sSampleFilesWithAConsulBlockFollowTheService() throws Exception {
        consul = ConsulDouble.start();
        // registered as EP2's users register them: no port of their own, the node's address (EP2 used backend_port)
        for (int i = 1; i <= 2; i++) {
            consul.register(ConsulDouble.instance("web-" + i, "web").node("node-" + i, ip(i)).tags("web", "v1"));
        }
        consul.register(ConsulDouble.instance("web-old", "web").node("node-4", ip(4)).tags("web"));
        samples = Ep2Samples.adapt(Ep2Samples.sampleConf(), Ep2Samples.sampleTemplate()).set("orchestrator", "consul");
        systemd(samples);
        samples.append("""
                [CONSUL]
                service_name = web
                consul_ip = 127.0.0.1
                consul_port = %d
                only_passing = True
                tags = web, v1
                """.formatted(consul.port()));

        startController();
        awaitServed("b1", "b2");                      // web-old lacks tag v1

        consul.register(ConsulDouble.instance("web-3", "web").node("node-3", ip(3)).tags("v1", "web", "extra"));
        awaitServed("b1", "b2", "b3");
        consul.status("web-1", "critical");           // only_passing
        awaitServed("b2", "b3");
        consul.deregister("web-2");
        awaitServed("b3");
    }

    /**
     * Every key EP2 has a default for left out: only the paths (which must point somewhere
     * writable here), the credentials and the group remain. EP2's defaults then decide: aws,
     * update_by_runtime with 50 slots, backend haproxynode, port 6003, start_by binary, and the
     * instances' public address (ip_type unset), with the one warning; one round with --once.
     */
    @Test
    void everyKeyWithAnEp2DefaultLeftOutRunsOnce() throws Exception {
        startAws(true);
        aws.group("web-a", inService("i-1"), inService("i-2"));
        String conf = """
                [HAPROXY]
                haproxy_config_file = x
                template_file = x
                haproxy_socket_file = x
                pid_file = x
                lock_dir = x
                log_file = x

                [AWS]
                aws_access_key_id = %s
                aws_secret_access_key = %s
                region_name = us-east-1
                asg_name = web-a
                """.formatted(KEY_ID, SECRET);
        samples = Ep2Samples.adapt(conf, Ep2Samples.sampleTemplate());

        assertThat(Ep2Main.run(new String[]{"-f", samples.conf.toString(), "--once"})).isEqualTo(Ep2Main.EXIT_OK);

        awaitServed("b1", "b2");
        String cfg = Files.readString(samples.haproxyCfg);
        assertThat(cfg.lines().filter(l -> l.trim().startsWith("server slot"))).hasSize(50);
        assertThat(cfg).contains(ip(1) + ":" + EP2_BACKEND_PORT, ip(2) + ":" + EP2_BACKEND_PORT);
        assertThat(samples.haproxy().isAlive()).as("--once leaves HAProxy serving").isTrue();
        assertThat(Files.readString(samples.logFile).lines().filter(l -> l.contains("WARN") && l.contains("ip_type")))
                .singleElement().asString().contains("set ip_type = private");
    }
}
