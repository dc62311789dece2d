package io.ep2camel.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** One HTTP GET on a fresh connection (no keep-alive), so each request really goes through HAProxy's listener. */
public final class Http {
    private Http() {
    }

    /** Body of a 200 answer from 127.0.0.1:port; an IOException for anything else. */
    public static String get(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        c.setRequestProperty("Connection", "close");
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }

    /** Body, or "ERR: reason" — for assertions that poll until traffic moves. */
    public static String tryGet(int port) {
        try {
            return get(port);
        } catch (IOException e) {
            return "ERR: " + e.getMessage();
        }
    }
}
