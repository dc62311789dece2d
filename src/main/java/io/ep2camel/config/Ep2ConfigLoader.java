package io.ep2camel.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads EP2's INI ep2.conf unchanged and checks all of it before anything runs: unknown
 * sections and keys, types, the keys each mode needs, the template. The first problem found
 * is reported as one {@link ConfigException} naming file, key and reason.
 * <p>
 * Three parts do the work: {@link IniSectionReader} reads every section into typed values,
 * {@link PoolOverlay} lays each [pool:NAME] over the shared values, and the checks
 * ({@link ModeChecks}, {@link AwsChecks}, {@link ConsulChecks}, {@link TemplateChecks},
 * {@link AwsAddressing}) say whether the values make sense together.
 */
public final class Ep2ConfigLoader {

    private final Orchestrators orchestrators;
    private final Function<String, String> env;

    /** @param orchestrators the orchestrator names that have a route (routes/NAME.camel.yaml) */
    public Ep2ConfigLoader(Set<String> orchestrators) {
        this(orchestrators, System::getenv);
    }

    /** @param env the environment ([CONSUL] keys ep2.conf leaves unset come from CONSUL_* variables) */
    public Ep2ConfigLoader(Set<String> orchestrators, Function<String, String> env) {
        this.orchestrators = new Orchestrators(orchestrators);
        this.env = env;
    }

    public Ep2Config load(Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        String name = abs.toString();
        IniSectionReader.Sections sections = IniSectionReader.read(abs, orchestrators, env);
        Map<ConfigKey, String> values = sections.values();
        Map<String, Map<String, String>> routeSections = sections.routeSections();

        String templateText = ModeChecks.check(name, values, orchestrators);
        boolean publicByDefault = AwsAddressing.settle(name, null, values);
        Path template = Path.of(values.get(ConfigKey.TEMPLATE_FILE));
        List<PoolSpec> pools = new ArrayList<>();
        pools.add(new PoolSpec("haproxy", true, values, routeSections.getOrDefault(values.get(ConfigKey.ORCHESTRATOR), Map.of())));
        boolean warnPublic = publicByDefault && values.get(ConfigKey.ORCHESTRATOR).equals("aws");
        PoolOverlay overlay = new PoolOverlay(name, abs.getParent(), orchestrators, values, routeSections);
        for (IniSectionReader.IniSection section : sections.pools()) {
            PoolSpec spec = overlay.pool(section);
            if (pools.stream().anyMatch(p -> p.backendName().equals(spec.backendName()))) {
                throw new ConfigException(name, section.name(), "backend_name",
                        "backend '" + spec.backendName() + "' is already fed by another pool");
            }
            TemplateChecks.checkPlacesPool(name, section.name(), template, templateText, spec.backendName());
            pools.add(spec);
            warnPublic |= publicByDefault && spec.orchestrator().equals("aws") && !AwsAddressing.givenIn(section.keys());
        }
        if (pools.stream().anyMatch(p -> p.orchestrator().equals("consul"))) {
            ConsulChecks.checkAgent(name, values);
        }
        List<String> warnings = new ArrayList<>();
        if (warnPublic) {
            warnings.add(AwsAddressing.PUBLIC_BY_DEFAULT);
        }
        warnings.addAll(ModeChecks.socketWarnings(values));
        return new Ep2Config(abs, values, routeSections, pools, warnings);
    }
}
