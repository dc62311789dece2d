package io.ep2camel.observe;

import com.sun.net.httpserver.BasicAuthenticator;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Basic auth for {@code /observe/jolokia} against {@code observe_credentials_file}: lines
 * {@code user.NAME = PASSWORD} (anything after a comma in the value is a role list and ignored:
 * the format Vert.x's properties authentication read, so existing files keep working). Read once
 * at start; the file's owner-only mode is checked with the rest of the config.
 */
final class ObserveUsers extends BasicAuthenticator {
    private static final String PREFIX = "user.";

    private final Map<String, byte[]> passwords;

    private ObserveUsers(Map<String, byte[]> passwords) {
        super("ep2-camel");
        this.passwords = passwords;
    }

    static ObserveUsers read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, byte[]> passwords = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
                String value = p.getProperty(key);
                int comma = value.indexOf(',');
                passwords.put(key.substring(PREFIX.length()),
                        (comma < 0 ? value : value.substring(0, comma)).strip().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (passwords.isEmpty()) {
            throw new IOException("observe_credentials_file " + file + " has no 'user.NAME = PASSWORD' line");
        }
        return new ObserveUsers(passwords);
    }

    @Override
    public boolean checkCredentials(String user, String password) {
        byte[] known = passwords.get(user);
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        // compared in constant time, and as long for an unknown user as for a wrong password
        return MessageDigest.isEqual(known == null ? new byte[given.length + 1] : known, given) && known != null;
    }
}
