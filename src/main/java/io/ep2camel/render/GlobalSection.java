package io.ep2camel.render;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where lines ep2-camel adds to HAProxy's {@code global} section go: right after its header. */
final class GlobalSection {
    private static final Pattern GLOBAL = Pattern.compile("(?m)^global[ \\t]*(#.*)?$");

    private GlobalSection() {
    }

    /** The config with {@code line} first in its global section; a config without one gets one. */
    static String withLine(String config, String line) {
        Matcher global = GLOBAL.matcher(config);
        return global.find()
                ? config.substring(0, global.end()) + "\n" + line + config.substring(global.end())
                : "global\n" + line + "\n\n" + config;
    }
}
