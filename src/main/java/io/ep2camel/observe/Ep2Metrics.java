package io.ep2camel.observe;

import io.ep2camel.model.BackendSet;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.pool.Slot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The controller's own metrics, on the registry camel-micrometer-prometheus scrapes at
 * {@code /observe/metrics}: live backends and free slots per pool, applies by kind (reload,
 * runtime), failures, fetch latency and the latency from a change being fetched to HAProxy
 * having it.
 */
public class Ep2Metrics {
    public static final String RELOAD = "reload";
    public static final String RUNTIME = "runtime";

    private final MeterRegistry registry;
    private final String pool;
    // kept after its first use: a polled pool records a fetch every tick, and building and
    // looking the timer up again each time cost more than the recording itself
    private volatile Timer fetchTimer;

    public Ep2Metrics(MeterRegistry registry, String pool) {
        this.registry = registry;
        this.pool = pool;
    }

    /**
     * Gauges and counters read from the pool's own state, so push and poll sources count alike.
     *
     * @param rejected how many orchestrator entries the pool's answer reader skipped so far
     */
    public void bind(AppliedBackends applied, FetchHealth fetch, LongSupplier rejected, Supplier<List<Slot>> slots) {
        FunctionCounter.builder("ep2_rejected_entries_total", rejected, LongSupplier::getAsLong)
                .description("orchestrator entries skipped as invalid").tag("pool", pool).register(registry);
        Gauge.builder("ep2_backends_live", () -> applied.current().map(BackendSet::size).orElse(0))
                .description("backends HAProxy was last brought to").tag("pool", pool).register(registry);
        Gauge.builder("ep2_slots_free", () -> slots.get().stream().filter(Slot::isFree).count())
                .description("free server slots (update_by_runtime)").tag("pool", pool).register(registry);
        FunctionCounter.builder("ep2_fetch_failures_total", fetch, FetchHealth::totalFailures)
                .description("failed orchestrator fetches").tag("pool", pool).register(registry);
    }

    public void applied(String kind, Duration sinceFetched) {
        Counter.builder("ep2_applies_total").description("successful applies")
                .tag("pool", pool).tag("kind", kind).register(registry).increment();
        Timer.builder("ep2_change_applied_seconds").description("from a change being fetched to HAProxy having it")
                .tag("pool", pool).tag("kind", kind).publishPercentiles(0.5, 0.95)
                .register(registry).record(sinceFetched);
    }

    public void applyFailed(String kind) {
        Counter.builder("ep2_apply_failures_total").description("failed applies (HAProxy kept its state)")
                .tag("pool", pool).tag("kind", kind).register(registry).increment();
    }

    public void fetched(Duration latency) {
        Timer timer = fetchTimer;
        if (timer == null) {
            timer = Timer.builder("ep2_fetch_seconds").description("orchestrator fetch latency")
                    .tag("pool", pool).publishPercentiles(0.5, 0.95).register(registry);
            fetchTimer = timer;
        }
        timer.record(latency);
    }

    public double count(String name, String kind) {
        Counter c = registry.find(name).tag("pool", pool).tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }
}
