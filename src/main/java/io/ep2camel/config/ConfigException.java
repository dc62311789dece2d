package io.ep2camel.config;

/** A bad ep2.conf: the one message an operator sees, naming the file, the key and the reason. */
public class ConfigException extends Exception {
    public ConfigException(String file, String section, String key, String reason) {
        super(file + ": " + (section == null ? "" : "[" + section + "] ") + (key == null ? "" : key + ": ") + reason);
    }

    /**
     * A known key's problem, in the section it belongs to.
     * @param section where the value was given, when not in its own section (a [pool:NAME]); null: its own
     */
    static ConfigException forKey(String file, String section, ConfigKey k, String reason) {
        return new ConfigException(file, section == null ? k.section() : section, k.key(), reason);
    }
}
