package io.ep2camel.config;

import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads EP2's INI ep2.conf as Python's configparser sees it and sorts every section in one
 * loop: [haproxy], [AWS], [CONSUL] and [FILE] become typed values (EP2's defaults where the file
 * is silent), a route's section ({@code [http-json]}) its own checked keys, and each
 * {@code [pool:NAME]} is kept for {@link PoolOverlay}, which needs the shared values first.
 */
final class IniSectionReader {

    /** What the file says, sorted by section kind. */
    record Sections(Map<ConfigKey, String> values, Map<String, Map<String, String>> routeSections,
                    List<IniSection> pools) {
    }

    /**
     * One section. Its keys are read when asked for, so that the first problem reported is the
     * first one the loader meets, section by section.
     */
    static final class IniSection {
        private final String file;
        private final String name;
        private final SubnodeConfiguration sub;

        private IniSection(String file, String name, SubnodeConfiguration sub) {
            this.file = file;
            this.name = name;
            this.sub = sub;
        }

        String name() {
            return name;
        }

        /** Its keys, lower-cased as configparser does, each given once, values trimmed ("" when empty): a new map each call. */
        Map<String, String> keys() throws ConfigException {
            Map<String, String> keys = new LinkedHashMap<>();
            for (Iterator<String> it = sub.getKeys(); it.hasNext(); ) {
                String rawKey = it.next();
                String key = rawKey.toLowerCase(Locale.ROOT);
                List<Object> given = sub.getList(rawKey);
                // configparser lower-cases before its duplicate check: Backend_Name repeats backend_name
                if (given.size() > 1 || keys.containsKey(key)) {
                    throw new ConfigException(file, name, key, "given more than once");
                }
                keys.put(key, given.isEmpty() || given.get(0) == null ? "" : given.get(0).toString().trim());
            }
            return keys;
        }
    }

    private IniSectionReader() {
    }

    /** @param abs the config file, absolute: relative paths in it resolve against its directory */
    static Sections read(Path abs, Orchestrators orchestrators, java.util.function.Function<String, String> env)
            throws ConfigException {
        String file = abs.toString();
        Path base = abs.getParent();
        INIConfiguration ini = parse(abs, file);
        if (!ini.getSection(null).isEmpty()) {
            throw new ConfigException(file, null, ini.getSection(null).getKeys().next(),
                    "key outside any section; EP2 keys go under [haproxy]");
        }
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        // a key is one setting across the case variants of its section ([haproxy] and [HAPROXY])
        Set<ConfigKey> seen = EnumSet.noneOf(ConfigKey.class);
        Map<String, Map<String, String>> routeSections = new TreeMap<>();
        List<IniSection> pools = new ArrayList<>();
        for (String name : ini.getSections()) {
            if (name == null) {
                continue;
            }
            IniSection section = new IniSection(file, name, ini.getSection(name));
            if (PoolOverlay.isPoolSection(name)) {
                pools.add(section);
            } else if (ConfigKey.sections().stream().noneMatch(name::equalsIgnoreCase)) {
                routeSections.put(name.toLowerCase(Locale.ROOT), routeKeys(file, section, orchestrators));
            } else {
                readKnown(file, base, section, seen, values);
            }
        }
        ConsulEnv.fill(file, values, env);
        for (ConfigKey k : ConfigKey.values()) {
            k.defaultValue().ifPresent(d -> values.putIfAbsent(k, TypedValues.kept(k, d, base)));
        }
        return new Sections(values, routeSections, pools);
    }

    /** A section of ep2-camel's own ([haproxy], [AWS], [CONSUL], [FILE]): every key known, typed. */
    private static void readKnown(String file, Path base, IniSection section, Set<ConfigKey> seen,
                                  Map<ConfigKey, String> values) throws ConfigException {
        for (Map.Entry<String, String> e : section.keys().entrySet()) {
            String key = e.getKey();
            ConfigKey ck = ConfigKey.find(section.name(), key)
                    .orElseThrow(() -> new ConfigException(file, section.name(), key, "unknown key"));
            if (!seen.add(ck)) {
                throw new ConfigException(file, section.name(), key, "given more than once");
            }
            if (e.getValue().isEmpty()) {
                continue; // EP2 writes "key =" for "not set"
            }
            values.put(ck, TypedValues.given(file, section.name(), ck, e.getValue(), base));
        }
    }

    /**
     * A section named after an orchestrator route that ep2-camel does not know itself (a YAML
     * file dropped into routes/): its keys are the route's own, passed on as
     * {@code ep2.<section>.<key>} after the checks every value gets.
     */
    private static Map<String, String> routeKeys(String file, IniSection section, Orchestrators orchestrators)
            throws ConfigException {
        if (!orchestrators.hasRoute(section.name())) {
            throw new ConfigException(file, section.name(), null, "unknown section; known sections: "
                    + ConfigKey.sections() + " and one per orchestrator route " + orchestrators.sorted());
        }
        Map<String, String> keys = new TreeMap<>();
        for (Map.Entry<String, String> e : section.keys().entrySet()) {
            keys.put(e.getKey(), TypedValues.routeKey(file, section.name(), e.getKey(), e.getValue()));
        }
        return keys;
    }

    private static INIConfiguration parse(Path abs, String file) throws ConfigException {
        if (!Files.isRegularFile(abs)) {
            throw new ConfigException(file, null, null, "config file not found");
        }
        INIConfiguration ini = new INIConfiguration();
        try (Reader r = Files.newBufferedReader(abs, StandardCharsets.UTF_8)) {
            ini.read(r);
        } catch (IOException e) {
            throw new ConfigException(file, null, null, "cannot read: " + e.getMessage());
        } catch (ConfigurationException e) {
            throw new ConfigException(file, null, null, "not a valid INI file: " + e.getMessage());
        }
        return ini;
    }
}
