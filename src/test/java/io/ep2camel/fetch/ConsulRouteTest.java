package io.ep2camel.fetch;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.testsupport.ConsulDouble.Failure;
import io.ep2camel.testsupport.ConsulDouble;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.ep2camel.testsupport.ConsulDouble.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * routes/consul.camel.yaml on its own, on Camel's test kit: camel-consul and consul-client against
 * the Consul double. The pipeline's entry (direct:ep2-backends) is a mock that records what the
 * watch pushes; NotifyBuilder waits for a watch round that pushed. Each test sets its [CONSUL] keys
 * first, so the kit does not start Camel: {@link #start} does, once the file is loaded and its
 * templates are instantiated, as Camel Main does for the [haproxy] pool.
 */
class ConsulRouteTest extends CamelTestSupport {
    private static final String PUSHED = "mock:ep2-backends";

    private final ConsulDouble consul = ConsulDouble.start();
    private final FetchHealth health = new FetchHealth();
    private final AppliedBackends applied = new AppliedBackends();
    private ConsulAgent agent;

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withAutoStartContext(false);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("fetchHealth", health);
        registry.bind("appliedBackends", applied);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ep2-backends").routeId("pipeline-stand-in").to(PUSHED);
            }
        };
    }

    @AfterEach
    void stopCamelThenTheDouble() {
        context.stop();     // before the double goes: a held query is cancelled, not failed
        consul.close();
    }

    /** The file loaded and its two templates instantiated for the [haproxy] pool; Camel not started. */
    private void load(Map<String, String> consulKeys, Optional<String> token) throws Exception {
        agent = new ConsulAgent(consul.host(), consul.port(), false, token);
        context.getRegistry().bind("consulAgent", agent);
        context.getManagementStrategy().addEventNotifier(agent);
        Properties p = new Properties();
        p.setProperty("ep2.consul.service_name", "web");
        p.setProperty("ep2.consul.only_passing", "true");
        p.setProperty("ep2.consul.watch", "false");
        p.setProperty("ep2.consul.wait", "2");
        p.setProperty("ep2.haproxy.backend_name", "be_app");
        p.setProperty("ep2.poll_period_ms", "200");
        consulKeys.forEach((k, v) -> p.setProperty("ep2.consul." + k, v));
        context.getPropertiesComponent().setInitialProperties(p);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:routes/consul.camel.yaml"));
        // the shipped file holds route templates: one route each, as for the [haproxy] pool
        TemplatedRouteBuilder.builder(context, "ep2-fetch-consul").routeId("ep2-fetch-consul").parameter("suffix", "").add();
        TemplatedRouteBuilder.builder(context, "ep2-watch-consul").routeId("ep2-watch-consul").parameter("suffix", "").add();
    }

    private void start(Map<String, String> consulKeys, Optional<String> token) throws Exception {
        load(consulKeys, token);
        context.start();
    }

    private void start(Map<String, String> consulKeys) throws Exception {
        start(consulKeys, Optional.empty());
    }

    /** Matches once n more rounds of the watches (every pool's) have pushed an answer. */
    private NotifyBuilder pushes(int n) {
        return new NotifyBuilder(context).fromRoute("ep2-watch-consul*").wereSentTo("direct:ep2-backends")
                .whenDone(n).create();
    }

    private MockEndpoint pushed() {
        return getMockEndpoint(PUSHED);
    }

    private Exchange fetchExchange() {
        Exchange e = template().request("direct:ep2-fetch-consul", x -> { });
        if (e.getException() != null) {
            throw new CamelExecutionException("fetch failed", e, e.getException());
        }
        return e;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> fetch() {
        return fetchExchange().getMessage().getBody(List.class);
    }

    private static Map<String, Object> backend(String host, int port, int weight) {
        return Map.of("host", host, "port", port, "weight", weight);
    }

    @Test
    void pollFetchAsksForPassingInstancesAtOnceAndMapsThem() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080).weight(3))
                .register(instance("web-2", "web").address("10.0.0.2").port(8081).meta())
                .register(instance("web-3", "web").address("10.0.0.3").port(8080).status("critical"))
                .register(instance("api-1", "api").address("10.0.0.9").port(9000));
        start(Map.of());

        Exchange e = fetchExchange();
        assertThat(e.getMessage().getBody(List.class)).containsExactly(
                backend("10.0.0.1", 8080, 3), backend("10.0.0.2", 8081, 1));
        assertThat(e.getMessage().getHeaders()).as("no CamelConsul* header survives the call")
                .allSatisfy((k, v) -> assertThat(k).doesNotStartWith("CamelConsul"));
        assertThat(e.getVariable("consulAnswerIndex").toString()).isEqualTo(Long.toString(consul.index()));

        ConsulDouble.Request r = consul.requests().get(0);
        assertThat(r.path()).isEqualTo("/v1/health/service/web");
        assertThat(r.param("passing")).isEqualTo("true");
        assertThat(r.query()).doesNotContainKeys("index", "wait", "dc", "token");
        assertThat(r.token()).isNull();
    }

    @Test
    void onlyPassingFalseAsksForEveryInstance() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080))
                .register(instance("web-3", "web").address("10.0.0.3").port(8080).status("critical"));
        start(Map.of("only_passing", "false"));

        assertThat(fetch()).extracting(m -> m.get("host")).containsExactly("10.0.0.1", "10.0.0.3");
        assertThat(consul.requests().get(0).query()).doesNotContainKey("passing");
    }

    @Test
    void datacenterIsSentAsDc() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080));
        start(Map.of("datacenter", ConsulDouble.DATACENTER));
        assertThat(fetch()).hasSize(1);
        assertThat(consul.requests().get(0).param("dc")).isEqualTo(ConsulDouble.DATACENTER);
    }

    @Test
    void tagsMustAllBeCarried() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080).tags("web", "v2", "eu"))
                .register(instance("web-2", "web").address("10.0.0.2").port(8080).tags("web"))
                .register(instance("web-3", "web").address("10.0.0.3").port(8080).tags("v2", "web"));
        start(Map.of("tags", "web, v2"));
        assertThat(fetch()).extracting(m -> m.get("host")).containsExactly("10.0.0.1", "10.0.0.3");
        assertThat(consul.requests()).as("filtered by Consul too").isNotEmpty()
                .allSatisfy(r -> assertThat(r.query().get("tag")).containsExactly("web", "v2"));
    }

    @Test
    void aPoolsNamespaceAndPartitionAreSentAsNsAndPartition() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080));
        start(Map.of("namespace", "team-a", "partition", "part-1"));
        assertThat(fetch()).hasSize(1);
        assertThat(consul.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.param("ns")).isEqualTo("team-a");
            assertThat(r.param("partition")).isEqualTo("part-1");
            assertThat(r.query()).doesNotContainKey("tag");
        });
    }

    @Test
    void everyKindOfFailureIsAnExceptionNeverAnEmptyList() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080));
        start(Map.of());
        assertThat(fetch()).hasSize(1);

        consul.failure(Failure.HTTP_500);
        assertThatThrownBy(this::fetch).rootCause().hasMessageContaining("500");
        consul.failure(Failure.MALFORMED_JSON);
        assertThatThrownBy(this::fetch).isInstanceOf(CamelExecutionException.class);
        consul.failure(Failure.NONE).down();
        assertThatThrownBy(this::fetch).rootCause().hasMessageContaining("Connection refused");
        consul.up();
        assertThat(fetch()).hasSize(1);
    }

    @Test
    void unknownDatacenterIsAnError() throws Exception {
        start(Map.of("datacenter", "mars"));
        assertThatThrownBy(this::fetch).rootCause().hasMessageContaining("500");
    }

    @Test
    void aclTokenTravelsAsHeaderOnlyAndAWrongOneIsAnError() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080)).requireToken("s3cr3t-token");
        start(Map.of(), Optional.of("s3cr3t-token"));
        assertThat(fetch()).hasSize(1);
        assertThat(consul.requests().get(0).token()).isEqualTo("s3cr3t-token");
        assertThat(consul.requests().get(0).query()).doesNotContainKey("token");
        assertThat(agent.toString()).doesNotContain("s3cr3t");

        consul.requireToken("another");
        assertThatThrownBy(this::fetch).rootCause().hasMessageContaining("403");
    }

    @Test
    void watchBlocksOnTheLastIndexAndPushesEachChange() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080));
        MockEndpoint pushed = pushed();
        pushed.expectedMessageCount(1);
        pushed.expectedHeaderReceived("Ep2Orchestrator", "consul");
        pushed.setResultWaitTime(5000);
        start(Map.of("watch", "true"));
        pushed.assertIsSatisfied();
        assertThat(pushed.getReceivedExchanges().get(0).getMessage().getHeaders())
                .allSatisfy((k, v) -> assertThat(k).doesNotStartWith("CamelConsul"));

        // the next call blocks on the answer's index
        await().atMost(Duration.ofSeconds(2)).until(() -> consul.blocked() == 1);
        long before = consul.index();
        NotifyBuilder change = pushes(1);
        Instant changed = Instant.now();
        consul.register(instance("web-2", "web").address("10.0.0.2").port(8080));
        assertThat(change.matches(1, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.between(changed, Instant.now())).isLessThan(Duration.ofMillis(500));
        assertThat(pushed.getReceivedCounter()).isEqualTo(2);
        assertThat(pushed.getReceivedExchanges().get(1).getMessage().getBody()).asList().hasSize(2);

        assertThat(consul.requests().get(0).query()).doesNotContainKeys("index", "wait");
        ConsulDouble.Request blocking = consul.requests().get(1);
        assertThat(blocking.param("index")).isEqualTo(Long.toString(before));
        // nothing applied yet (no pipeline here): the wait is sleep_before_next_run, at least 1 s
        assertThat(blocking.param("wait")).isEqualTo("1s");
        assertThat(health.reachable()).isFalse(); // success() is the pipeline's, not the route's
    }

    @Test
    void watchRouteStaysStoppedInPollMode() throws Exception {
        start(Map.of("watch", "false"));
        assertThat(context.getRouteController().getRouteStatus("ep2-watch-consul").isStopped()).isTrue();
        Thread.sleep(300);
        assertThat(consul.requests()).isEmpty();
    }

    @Test
    void stoppingCamelCancelsTheBlockingQueryAtOnce() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080));
        start(Map.of("watch", "true", "wait", "30"));
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);
        long t0 = System.nanoTime();
        context.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(health.consecutiveFailures()).as("a cancelled call is no failure").isZero();
    }

    @Test
    void stoppingTheWatchRouteCancelsItsBlockingQueryAndARestartStartsOver() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080));
        // HAProxy has what Consul says: the query is held the whole wait, not sleep_before_next_run
        applied.markApplied(BackendSet.of(List.of(new Backend("10.0.0.1", 8080))));
        start(Map.of("watch", "true", "wait", "30"));
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 1);
        MockEndpoint pushed = pushed();
        int pushedBefore = pushed.getReceivedCounter();
        long t0 = System.nanoTime();
        context.getRouteController().stopRoute("ep2-watch-consul");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(health.consecutiveFailures()).as("a cancelled call is no failure").isZero();
        // (the double records a request when it answers, and holds the abandoned one its whole wait)
        int requests = consul.requests().size();
        Thread.sleep(300);
        assertThat(consul.requests()).as("no call after the stop").hasSize(requests);
        assertThat(pushed.getReceivedCounter()).isEqualTo(pushedBefore);

        NotifyBuilder firstAnswer = pushes(1);
        context.getRouteController().startRoute("ep2-watch-consul");
        assertThat(firstAnswer.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(pushed.getReceivedCounter()).isEqualTo(pushedBefore + 1);
        assertThat(consul.requests().get(requests).query()).as("a restart starts over: answered at once")
                .doesNotContainKeys("index", "wait");
    }

    @Test
    void oneWatchStoppingLeavesTheOtherPoolsQueryBlocking() throws Exception {
        consul.register(instance("web-1", "web").address("10.0.0.1").port(8080))
                .register(instance("api-1", "api").address("10.0.0.9").port(9000));
        // both pools settled: their queries are held the whole wait
        applied.markApplied(BackendSet.of(List.of(new Backend("10.0.0.1", 8080))));
        AppliedBackends apiApplied = new AppliedBackends();
        apiApplied.markApplied(BackendSet.of(List.of(new Backend("10.0.0.9", 9000))));
        FetchHealth apiHealth = new FetchHealth();
        load(Map.of("watch", "true", "wait", "30"), Optional.empty());
        // a [pool:api] next to the [haproxy] pool: its own beans and pair of routes
        context.getRegistry().bind("fetchHealth-be_api", apiHealth);
        context.getRegistry().bind("appliedBackends-be_api", apiApplied);
        TemplatedRouteBuilder.builder(context, "ep2-fetch-consul").routeId("ep2-fetch-consul-be_api")
                .parameter("suffix", "-be_api").parameter("ep2.consul.service_name", "api").add();
        TemplatedRouteBuilder.builder(context, "ep2-watch-consul").routeId("ep2-watch-consul-be_api")
                .parameter("suffix", "-be_api").parameter("ep2.consul.service_name", "api")
                .parameter("ep2.haproxy.backend_name", "be_api").add();
        context.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> consul.blocked() == 2);

        MockEndpoint pushed = pushed();
        assertThat(pushed.getReceivedExchanges()).as("both pools pushed their first answer")
                .extracting(e -> e.getMessage().getHeader("Ep2Backend")).contains("be_app", "be_api");
        context.getRouteController().stopRoute("ep2-watch-consul");
        Thread.sleep(300);

        // the other pool's query was not cancelled: no failure, and it still answers a change at once
        int before = pushed.getReceivedCounter();
        NotifyBuilder change = pushes(1);
        consul.register(instance("api-2", "api").address("10.0.0.10").port(9000));
        assertThat(change.matches(1, TimeUnit.SECONDS)).isTrue();
        assertThat(pushed.getReceivedCounter()).isEqualTo(before + 1);
        Exchange api = pushed.getReceivedExchanges().get(before);
        assertThat(api.getMessage().getHeader("Ep2Backend")).isEqualTo("be_api");
        assertThat(api.getMessage().getBody()).asList().hasSize(2);
        assertThat(apiHealth.consecutiveFailures()).isZero();
        assertThat(health.consecutiveFailures()).isZero();
    }
}
