package io.ep2camel.fetch;

import com.google.common.net.HostAndPort;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.kiwiproject.consul.util.failover.ConsulFailoverInterceptor;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Consul calls in flight, by the thread that waits for each: lets the watch of one pool
 * cancel its own blocking query when its route stops, while the other pools' calls (same client)
 * go on. OkHttp calls are synchronous here and ignore {@link Thread#interrupt()}; only
 * {@link Call#cancel()} ends a held query early.
 * <p>
 * A failover interceptor that does no failover: consul-client's builder offers no other way into
 * OkHttp's interceptor chain, where the {@link Call} is visible. It passes every request on unchanged.
 */
final class ConsulCalls extends ConsulFailoverInterceptor {
    private final Map<Thread, Call> inFlight = new ConcurrentHashMap<>();
    /** Threads whose calls are cancelled as they start (a stop racing the start of a call). */
    private final Set<Thread> refused = ConcurrentHashMap.newKeySet();

    private final ConsulToken token;
    private final ConsulScope scope;

    /** HTTPS without a client certificate: a connection the agent drops is most likely verify_incoming. */
    private final boolean tlsWithoutClientCert;

    ConsulCalls(String host, int port, ConsulToken token, ConsulScope scope, boolean tlsWithoutClientCert) {
        super(List.of(HostAndPort.fromParts(host, port)), 1); // its failover strategy is never asked: see intercept
        this.token = token;
        this.scope = scope;
        this.tlsWithoutClientCert = tlsWithoutClientCert;
    }

    @Override
    public Response intercept(Interceptor.Chain chain) {
        Thread caller = Thread.currentThread();
        inFlight.put(caller, chain.call());
        try {
            if (refused.contains(caller)) {
                chain.call().cancel();
            }
            Request.Builder request = chain.request().newBuilder().url(scope.url(chain.request().url(), ConsulPoolQuery.current()));
            // the token as a header, read per call (token_file rotation); never in the URL
            token.current().ifPresent(t -> request.header("X-Consul-Token", t));
            Response response = chain.proceed(request.build());
            scope.checkStaleness(response);
            return response;
        } catch (IOException e) {
            // OkHttp's Interceptor throws IOException, the parent's signature does not: rethrown
            // as is, so OkHttp and consul-client see the error exactly as without this interceptor.
            // With TLS 1.3 an agent refusing a client without certificate just closes the
            // connection after the handshake; OkHttp then reports a bare EOF or a broken pipe, so the likely cause is named.
            if (tlsWithoutClientCert && !chain.call().isCanceled() && droppedConnection(e)) {
                IOException hinted = new IOException("the agent closed the TLS connection (" + e.getClass().getSimpleName()
                        + "); if it runs with verify_incoming it needs a client certificate: set cert_file and key_file");
                hinted.addSuppressed(e);
                throw ConsulCalls.<RuntimeException>rethrow(hinted);
            }
            throw ConsulCalls.<RuntimeException>rethrow(e);
        } finally {
            inFlight.remove(caller);
        }
    }

    private static boolean droppedConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof javax.net.ssl.SSLException
                    || t instanceof java.net.SocketException) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }

    /** Cancels the call the thread waits for, and any it starts later, until {@link #allow}. */
    void cancel(Thread caller) {
        refused.add(caller);
        Call call = inFlight.get(caller);
        if (call != null) {
            call.cancel();
        }
    }

    /** The thread may call again (a watch that starts over, or a thread that is done). */
    void allow(Thread caller) {
        refused.remove(caller);
    }
}
