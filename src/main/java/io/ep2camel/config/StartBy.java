package io.ep2camel.config;

/** EP2's start_by values: how HAProxy is started and reloaded. */
public enum StartBy {
    BINARY, SYSTEMD
}
