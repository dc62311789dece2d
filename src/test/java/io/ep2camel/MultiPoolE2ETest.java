package io.ep2camel;

import io.ep2camel.testsupport.AwsQueryDouble;
import io.ep2camel.testsupport.ConsulDouble;
import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.FreePort;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.LoopbackBackends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.ep2camel.testsupport.ConsulDouble.instance;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several pools in one controller: EP2's own backend be_app fed by the file orchestrator, plus
 * backend api declared in a [pool:api] section and fed by its own orchestrator, both in one
 * HAProxy config. Backends b1..b3 serve be_app, a1..a3 serve api.
 */
class MultiPoolE2ETest {
    private Ep2Fixture fx;
    private HttpBackends web;
    private HttpBackends api;
    private final int apiPort = FreePort.find();
    private Path apiFile;

    @BeforeEach
    void setUp() {
        fx = new Ep2Fixture();
        web = HttpBackends.start(3);
        api = new HttpBackends();
        List.of("a1", "a2", "a3").forEach(api::add);
        apiFile = fx.dir.resolve("api.txt");
        fx.write(fx.template, fx.templateText("    {{nodes}}") + """

                listen api
                    bind 127.0.0.1:%d
                    balance roundrobin
                    option httpchk GET /
                    {{ pools.api.nodes }}
                """.formatted(apiPort));
    }

    @AfterEach
    void tearDown() {
        fx.close();
        web.close();
        api.close();
    }

    private void webServers(int... indexes) {
        fx.backends(java.util.Arrays.stream(indexes).mapToObj(web::port).toList());
    }

    private void apiServers(int... indexes) {
        fx.write(apiFile, java.util.Arrays.stream(indexes).mapToObj(i -> "127.0.0.1:" + api.port(i) + "\n")
                .collect(Collectors.joining()));
    }

    private Set<String> servedByApi(int n) {
        return Ep2Fixture.servedAt(apiPort, n);
    }

    private void awaitApi(String... names) {
        Ep2Fixture.awaitServedAt(apiPort, names);
    }

    private void filePool(String updateType) {
        fx.set("update_type", updateType).set("node_slots", "2").set("sleep_before_next_run", "1");
        fx.section("pool:api").put("orchestrator", "file");
        fx.section("pool:api").put("path", apiFile.toString());
        fx.writeConf();
    }

    @Test
    void twoFilePoolsInConfigModeShareOneRenderAndOneReloadPerRound() throws Exception {
        filePool("update_by_config");
        webServers(0);
        apiServers(0);
        fx.startController();
        fx.awaitServed("b1");
        awaitApi("a1");
        assertThat(fx.log()).as("the bootstrap applied both pools at once")
                .containsPattern("applying be_app: bootstrap -> 1 backends; api: bootstrap -> 1 backends");

        // both change between two polls: one round, one reload
        List<Long> workers = fx.haproxy().workerPids();   // a reload forks new workers (same master)
        webServers(0, 1);
        apiServers(1, 2);
        fx.awaitServed("b1", "b2");
        awaitApi("a2", "a3");
        assertThat(fx.log()).containsPattern("applying be_app: \\+\\[[^]]+] -\\[] -> 2 backends; api: \\+\\[[^]]+] -\\[[^]]+] -> 2 backends");
        assertThat(fx.haproxy().workerPids()).isNotEqualTo(workers);

        // one pool alone changes: the other keeps serving what it had, through the reload
        apiServers(0);
        awaitApi("a1");
        assertThat(fx.served(8)).isEqualTo(Set.of("b1", "b2"));
        assertThat(fx.config()).contains("listen be_app").contains("listen api")
                .contains("server srv_127.0.0.1_" + api.port(0) + " ");
    }

    @Test
    void twoFilePoolsAtRuntimeChangeWithoutReloadInOneBatch() throws Exception {
        filePool("update_by_runtime");
        webServers(0);
        apiServers(0);
        fx.startController();
        fx.awaitServed("b1");
        awaitApi("a1");
        long master = fx.haproxy().masterPid();
        List<Long> workers = fx.haproxy().workerPids();

        webServers(1, 2);
        apiServers(0, 1, 2);                  // 3 > node_slots = 2: one server added at runtime
        fx.awaitServed("b2", "b3");
        awaitApi("a1", "a2", "a3");
        assertThat(fx.haproxy().masterPid()).as("no reload").isEqualTo(master);
        assertThat(fx.haproxy().workerPids()).isEqualTo(workers);
        assertThat(fx.log()).containsPattern("runtime update of be_app: .*; api: .*: \\d+ commands over the stats socket");
        // the file on disk follows both pools' slots, for a later reload or restart
        String apiSection = fx.config().substring(fx.config().indexOf("listen api"));
        for (int i = 0; i < 3; i++) {
            assertThat(apiSection).containsPattern("server slot\\d 127\\.0\\.0\\.1:" + api.port(i) + " check downinter 200ms fastinter 200ms\n");
        }
    }

    @Test
    void aWatchedConsulPoolBesideAPolledFilePool() throws Exception {
        try (ConsulDouble consul = ConsulDouble.start()) {
            consul.register(instance("api-1", "api").address("127.0.0.1").port(api.port(0)));
            fx.section("CONSUL").put("consul_ip", consul.host());
            fx.section("CONSUL").put("consul_port", Integer.toString(consul.port()));
            fx.section("CONSUL").put("wait", "2");
            fx.section("pool:api").put("orchestrator", "consul");
            fx.section("pool:api").put("service_name", "api");
            fx.writeConf();
            webServers(0);
            fx.startController();
            fx.awaitServed("b1");
            awaitApi("a1");

            consul.register(instance("api-2", "api").address("127.0.0.1").port(api.port(1)));
            awaitApi("a1", "a2");
            webServers(2);
            fx.awaitServed("b3");
            assertThat(servedByApi(8)).isEqualTo(Set.of("a1", "a2"));
            assertThat(consul.requestsSince(java.time.Instant.EPOCH)).as("only service api is asked for")
                    .allMatch(r -> r.path().endsWith("/api"));
        }
    }

    @Test
    void dryRunShowsEveryPoolAndOnceAppliesThemAll() throws Exception {
        filePool("update_by_config");
        webServers(0);
        apiServers(1, 2);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Ep2Main.run(new String[] {"-f", fx.conf.toString(), "--dry-run"})).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("# orchestrator file (backend be_app): 1 backends")
                .contains("# orchestrator file (backend api): 2 backends")
                .contains("server srv_127.0.0.1_" + api.port(2) + " 127.0.0.1:" + api.port(2) + " check");
        assertThat(fx.haproxyCfg).doesNotExist();

        assertThat(Ep2Main.run(new String[] {"-f", fx.conf.toString(), "--once"})).isZero();
        fx.awaitServed("b1");
        awaitApi("a2", "a3");
    }

    @Test
    void anAutoScalingGroupPoolBesideAFilePool() throws Exception {
        try (LoopbackBackends instances = LoopbackBackends.start(2); AwsQueryDouble aws = AwsQueryDouble.start()) {
            aws.running("i-1", LoopbackBackends.ip(1)).running("i-2", LoopbackBackends.ip(2));
            aws.group("api-asg", AwsQueryDouble.inService("i-1"));
            aws.group("web-asg", AwsQueryDouble.inService("i-2"));       // another group: not this pool's
            fx.section("AWS").put("region_name", "us-east-1");
            fx.section("AWS").put("ip_type", "private");
            fx.section("AWS").put("endpoint_url", aws.endpoint().toString());
            fx.section("AWS").put("aws_access_key_id", "AKIDMULTIPOOL");
            fx.section("AWS").put("aws_secret_access_key", "multi-pool-secret");
            fx.section("pool:api").put("orchestrator", "aws");
            fx.section("pool:api").put("asg_name", "api-asg");
            fx.section("pool:api").put("backend_port", Integer.toString(instances.port()));
            fx.writeConf();
            webServers(0);
            fx.startController();
            fx.awaitServed("b1");
            Ep2Fixture.awaitServedAt(apiPort, "b1");               // instance i-1 on 127.0.0.2

            aws.group("api-asg", AwsQueryDouble.inService("i-1"), AwsQueryDouble.inService("i-2"));   // scale out
            Ep2Fixture.awaitServedAt(apiPort, "b1", "b2");
            assertThat(fx.served(8)).isEqualTo(Set.of("b1"));
            assertThat(aws.requests(AwsQueryDouble.ASG_ACTION)).as("only the pool's group is asked for")
                    .allMatch(r -> r.params().get("AutoScalingGroupNames.member.1").equals("api-asg"));
        }
    }
}
