package io.ep2camel.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Hawtio as an operator starts it: {@code scripts/hawtio.sh JOLOKIA_URL --port PORT}, in a
 * process of its own (the controller's JVM never holds Hawtio or Jetty). Its output goes to a
 * log file that a failing test can show.
 */
public final class HawtioProcess implements AutoCloseable {
    /** The first run copies Hawtio and Jetty with Maven (downloads them on a fresh machine). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    public final int port = FreePort.find();
    public final Path log;
    private final Process process;

    private HawtioProcess(String jolokiaUrl, Path log) throws IOException {
        this.log = log;
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder("bash", "scripts/hawtio.sh", jolokiaUrl, "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Starts Hawtio for {@code jolokiaUrl} and waits until it serves its console. */
    public static HawtioProcess start(String jolokiaUrl, Path log) throws Exception {
        HawtioProcess hawtio = new HawtioProcess(jolokiaUrl, log);
        try {
            hawtio.awaitUp();
            return hawtio;
        } catch (Exception | AssertionError e) {
            hawtio.close();
            throw e;
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private void awaitUp() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest console = HttpRequest.newBuilder(URI.create(url("/hawtio/"))).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("scripts/hawtio.sh exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (http.send(console, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Hawtio did not answer on " + url("/hawtio/") + " within " + START_TIMEOUT + ":\n" + output());
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        // the script execs java, but end whatever it started too (mvn on a first run)
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
