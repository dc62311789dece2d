package io.ep2camel.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The template's {@code default-server} options that apply to one backend: those of the last
 * {@code defaults} section before it, then its own. HAProxy (2.4 up to 3.0 at least) applies
 * default-server to servers of the config file only, not to those made by {@code add server}, so
 * the controller spells these out on every server it adds at runtime — or a re-added slot would
 * lose the operator's {@code rise}, {@code fall}, TLS settings, ... and be checked differently.
 * A keyword {@code add server} does not accept makes HAProxy refuse the add, which the controller
 * takes as "no dynamic servers here" (slots then grow by reload); the ones below are left out
 * because they describe the config's own start-up, not a server. A default-server line holding a
 * template expression ({{ }} / {% %}) is left out whole: its values are only known once rendered.
 */
public final class DefaultServerOptions {
    /** Keywords left out, with how many arguments each takes. */
    private static final Map<String, Integer> LEFT_OUT = Map.of("disabled", 0, "enabled", 0, "init-addr", 1,
            "resolvers", 1, "resolve-prefer", 1, "resolve-opts", 1, "resolve-net", 1);
    private static final Set<String> SECTIONS = Set.of("global", "defaults", "frontend", "backend", "listen", "peers",
            "resolvers", "userlist", "mailers", "program", "http-errors", "ring", "cache", "log-forward");

    private DefaultServerOptions() {
    }

    public static List<String> of(String templateText, String backend) {
        List<String> lastDefaults = new ArrayList<>();
        List<String> current = new ArrayList<>();   // default-server options of the section being read
        String section = "";
        boolean target = false;
        for (String raw : templateText.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (SECTIONS.contains(words[0])) {
                if (target) {
                    break;
                }
                if (section.equals("defaults")) {
                    lastDefaults = current;
                }
                section = words[0];
                target = (section.equals("backend") || section.equals("listen")) && words.length > 1 && words[1].equals(backend);
                current = target ? new ArrayList<>(lastDefaults) : new ArrayList<>();
            } else if (words[0].equals("default-server") && (target || section.equals("defaults"))) {
                current.addAll(kept(words));
            }
        }
        return target ? current : List.of();
    }

    private static List<String> kept(String[] words) {
        List<String> kept = new ArrayList<>();
        if (String.join(" ", words).matches(".*(\\{\\{|\\{%).*")) {
            return kept;   // a line with template expressions: values this reader cannot know
        }
        for (int i = 1; i < words.length; i++) {
            if (words[i].startsWith("#")) {
                break;
            }
            Integer skip = LEFT_OUT.get(words[i]);
            if (skip != null) {
                i += skip;
            } else {
                kept.add(words[i]);
            }
        }
        return kept;
    }
}
