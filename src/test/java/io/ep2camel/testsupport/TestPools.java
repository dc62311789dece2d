package io.ep2camel.testsupport;

import io.ep2camel.config.Ep2Config;
import io.ep2camel.config.Ep2ConfigLoader;
import io.ep2camel.config.PoolSpec;
import io.ep2camel.observe.Ep2Metrics;
import io.ep2camel.pipeline.BackendSetReader;
import io.ep2camel.pipeline.Pool;
import io.ep2camel.pipeline.Pools;
import io.ep2camel.pool.AppliedBackends;
import io.ep2camel.pool.EmptyAnswerGuard;
import io.ep2camel.pool.FetchHealth;
import io.ep2camel.pool.PoolSlots;
import io.ep2camel.render.ServerLineFormat;
import io.ep2camel.runtime.SlotPlanner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Pools as the loader builds them from an ep2.conf: [haproxy] backend be_app plus one [pool:NAME] per extra name. */
public final class TestPools {
    private TestPools() {
    }

    public static Pools of(String... extra) throws Exception {
        Path dir = TestDirs.shortTemp();
        try {
            StringBuilder template = new StringBuilder("listen be_app\n    {{nodes}}\n");
            StringBuilder conf = new StringBuilder("[haproxy]\ntemplate_file = t.template\nbackend_name = be_app\n"
                    + "orchestrator = file\nlog_file = ep2.log\n[FILE]\npath = web.txt\n");
            for (String name : extra) {
                template.append("listen ").append(name).append("\n    {{ pools['").append(name).append("'].nodes }}\n");
                conf.append("[pool:").append(name).append("]\norchestrator = file\npath = ").append(name).append(".txt\n");
            }
            Files.writeString(dir.resolve("t.template"), template);
            Files.writeString(dir.resolve("ep2.conf"), conf);
            Ep2Config cfg = new Ep2ConfigLoader(Set.of("file")).load(dir.resolve("ep2.conf"));
            return new Pools(cfg.pools().stream().map(TestPools::pool).toList());
        } finally {
            TestDirs.deleteQuietly(dir);
        }
    }

    private static Pool pool(PoolSpec spec) {
        ServerLineFormat format = new ServerLineFormat(Optional.empty(), Optional.empty());
        AppliedBackends applied = new AppliedBackends();
        FetchHealth health = new FetchHealth();
        BackendSetReader reader = new BackendSetReader(0);
        SlotPlanner planner = new SlotPlanner(spec.backendName(), format, 2, Duration.ofSeconds(1));
        Ep2Metrics metrics = new Ep2Metrics(new SimpleMeterRegistry(), spec.backendName());
        return new Pool(spec, reader, applied, new EmptyAnswerGuard(1), health, format, new PoolSlots(), planner,
                metrics);
    }
}
