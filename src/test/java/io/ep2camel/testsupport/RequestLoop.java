package io.ep2camel.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steady client load through HAProxy while a test changes the backends: requests back to back,
 * each on a fresh connection; every answer that is not a 200 is kept as a failure. Bounded: it
 * ends by itself after {@link #MAX_REQUESTS} requests or {@link #MAX_MILLIS}, whichever comes first.
 */
public final class RequestLoop implements AutoCloseable {
    static final int MAX_REQUESTS = 200_000;
    static final long MAX_MILLIS = 180_000;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private RequestLoop(int port) {
        thread = new Thread(() -> {
            long end = System.currentTimeMillis() + MAX_MILLIS;
            for (int n = 0; n < MAX_REQUESTS && running.get() && System.currentTimeMillis() < end; n++) {
                String r = Http.tryGet(port);
                if (r.startsWith("ERR")) {
                    failures.add(r);
                } else {
                    ok.incrementAndGet();
                }
            }
        }, "request-loop");
        thread.start();
    }

    public static RequestLoop start(int port) {
        return new RequestLoop(port);
    }

    public int ok() {
        return ok.get();
    }

    public List<String> failures() {
        return failures;
    }

    /** Stops the loop and waits for the request in flight. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
