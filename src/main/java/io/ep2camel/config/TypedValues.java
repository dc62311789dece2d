package io.ep2camel.config;

import io.ep2camel.model.HaproxyAddress;

import java.nio.file.Path;

/**
 * From the text a key is given to the value kept: its type's check and normal form, relative
 * paths resolved against the config file's directory, socket lists in HAProxy's canonical form.
 * The same for a value in its own section, in a [pool:NAME] and for a default.
 */
final class TypedValues {

    private TypedValues() {
    }

    /**
     * @param section where the value was given (its own section, or a [pool:NAME])
     * @throws ConfigException naming file, section, key and what is wrong with the value
     */
    static String given(String file, String section, ConfigKey k, String value, Path base) throws ConfigException {
        try {
            return kept(k, value, base);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, section, k.key(), e.getMessage());
        }
    }

    /** @throws IllegalArgumentException when the value is not of the key's type */
    static String kept(ConfigKey k, String value, Path base) {
        String checked = k.type().check(value);
        if (k.type() == KeyType.PATH) {
            return base.resolve(checked).normalize().toString();
        }
        if (k.type() == KeyType.SOCKET_LIST) {
            return String.join(",", HaproxyAddress.parseList(checked, base).stream().map(Object::toString).toList());
        }
        return checked;
    }

    /** A custom route's own key: a plain name, a value that passes the checks every value gets. */
    static String routeKey(String file, String section, String key, String value) throws ConfigException {
        if (!key.matches("[a-z0-9_]+")) {
            throw new ConfigException(file, section, key, "key must be letters, digits and '_'");
        }
        try {
            return KeyType.TEXT.check(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, section, key, e.getMessage());
        }
    }
}
