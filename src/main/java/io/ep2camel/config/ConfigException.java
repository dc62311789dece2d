package io.ep2camel.config;

/** A bad ep2.conf: the one message an operator sees, naming the file, the key and the reason. */
public class ConfigException extends Exception {
    public ConfigException(String file, String section, String key, String reason) {
        super(file + ": " + (section == null ? "" : "[" + section + "] ") + (key == null ? "" : key + ": ") + reason);
    }
}
