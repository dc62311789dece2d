package io.ep2camel.config;

/** EP2's update_type values. */
public enum UpdateType {
    UPDATE_BY_CONFIG, UPDATE_BY_RUNTIME;

    public String configValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
