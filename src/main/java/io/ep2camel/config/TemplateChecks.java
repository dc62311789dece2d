package io.ep2camel.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** The template (Jinja, or FreeMarker for *.ftl) has a place for every pool's servers. */
final class TemplateChecks {
    private static final Pattern JINJA_NODES = Pattern.compile("\\{\\{\\s*nodes\\s*}}");
    private static final Pattern FTL_NODES = Pattern.compile("\\$\\{\\s*nodes\\s*}");

    private TemplateChecks() {
    }

    /** Readable, with the servers' placeholder; returns its text. */
    static String checkPlaceholder(String file, Path template) throws ConfigException {
        String text;
        try {
            text = Files.readString(template);
        } catch (IOException e) {
            throw ConfigException.forKey(file, null, ConfigKey.TEMPLATE_FILE, "cannot read template " + template + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        boolean ftl = isFreeMarker(template);
        if (!(ftl ? FTL_NODES : JINJA_NODES).matcher(text).find()) {
            throw ConfigException.forKey(file, null, ConfigKey.TEMPLATE_FILE, "template " + template + " has no "
                    + (ftl ? "${nodes}" : "{{nodes}}") + " placeholder for the servers");
        }
        return text;
    }

    /** A second pool's servers must have a place in the template, or they would silently go nowhere. */
    static void checkPlacesPool(String file, String section, Path template, String text, String backend)
            throws ConfigException {
        String q = Pattern.quote(backend);
        boolean ftl = isFreeMarker(template);
        Pattern mention = Pattern.compile(ftl ? "pools\\s*(\\." + q + "\\b|\\[\\s*\"" + q + "\"\\s*])"
                : "pools\\s*(\\.\\s*" + q + "\\b|\\[\\s*['\"]" + q + "['\"]\\s*])");
        if (!mention.matcher(text).find()) {
            throw new ConfigException(file, section, "backend_name", "template " + template + " does not place pool '"
                    + backend + "': add " + (ftl ? "${pools[\"" + backend + "\"].nodes}" : "{{ pools['" + backend + "'].nodes }}")
                    + " to its backend section");
        }
    }

    private static boolean isFreeMarker(Path template) {
        return template.toString().endsWith(".ftl");
    }
}
