package io.ep2camel.socket;

import io.ep2camel.model.HaproxyAddress;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.string.StringEncoder;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;
import org.apache.camel.support.service.ServiceHelper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HAProxy's CLI over TCP ({@code stats socket ipv4@host:port}) through camel-netty: one
 * {@code netty:tcp://host:port} endpoint per address, one connection per batch (the request ends
 * in {@code quit}, HAProxy closes, and {@code disconnect=true} closes our side too, so nothing is
 * held open between rounds and HAProxy's {@code stats timeout} never matters). The codec writes
 * the request as UTF-8 and reads the whole transcript until HAProxy closes; the prompt-splitting
 * is {@link HaproxySocketClient}'s, the same as for UNIX sockets. {@code connectTimeout} and
 * {@code requestTimeout} (a read-inactivity timeout, as the UNIX path's) are the endpoint's timeout.
 */
final class NettyCliTransport implements AutoCloseable {
    static final String ENCODER = "ep2HaproxyCliEncoder";
    static final String DECODER = "ep2HaproxyCliDecoder";

    private final CamelContext context;
    private final long timeoutMillis;
    private final Map<HaproxyAddress, Producer> producers = new ConcurrentHashMap<>();

    NettyCliTransport(CamelContext context, long timeoutMillis) {
        this.context = context;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends the request, returns everything HAProxy answered before it closed the connection. */
    String exchange(HaproxyAddress address, String request) {
        Producer producer = producers.computeIfAbsent(address, this::producer);
        Exchange exchange = producer.getEndpoint().createExchange();
        exchange.getMessage().setBody(request);
        try {
            producer.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            throw failure(address, exchange.getException());
        }
        String transcript = exchange.getMessage().getBody(String.class);
        if (transcript == null) {
            throw new HaproxySocketException(address.toString(), "HAProxy closed the connection without an answer", null);
        }
        return transcript;
    }

    private Producer producer(HaproxyAddress address) {
        registerCodec(context);
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        String uri = "netty:tcp://" + host + ":" + address.port() + "?sync=true&disconnect=true&allowDefaultCodec=false"
                + "&encoders=#" + ENCODER + "&decoders=#" + DECODER + "&connectTimeout=" + timeoutMillis
                + "&requestTimeout=" + timeoutMillis + "&workerCount=1&producerPoolMaxIdle=1";
        try {
            Producer producer = context.getEndpoint(uri).createProducer();
            ServiceHelper.startService(producer);
            return producer;
        } catch (Exception e) {
            throw new HaproxySocketException(address.toString(), "cannot set up the netty:tcp endpoint: " + e.getMessage(), e);
        }
    }

    /** The codec beans the netty endpoints name; once per context. */
    private static synchronized void registerCodec(CamelContext context) {
        if (context.getRegistry().lookupByName(ENCODER) == null) {
            context.getRegistry().bind(ENCODER, new StringEncoder(StandardCharsets.UTF_8));
            context.getRegistry().bind(DECODER, new TranscriptDecoderFactory());
        }
    }

    /** camel-netty's failures told as what happened to the address: refused, unreachable, silent. */
    private HaproxySocketException failure(HaproxyAddress address, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String problem;
        if (root instanceof io.netty.handler.timeout.ReadTimeoutException
                || e instanceof org.apache.camel.ExchangeTimedOutException) {
            problem = "no answer from HAProxy within " + timeoutMillis + " ms";
        } else if (root instanceof io.netty.channel.ConnectTimeoutException) {
            problem = "could not connect within " + timeoutMillis + " ms";
        } else if (root instanceof java.net.ConnectException) {
            problem = "cannot connect: " + stripAddress(root.getMessage());
        } else {
            problem = "cannot talk to HAProxy: " + (root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
        }
        return new HaproxySocketException(address.toString(), problem, e);
    }

    /** Netty's "Connection refused: /127.0.0.1:9999": the address is said once, in front. */
    private static String stripAddress(String message) {
        if (message == null) {
            return "connection failed";
        }
        int colon = message.indexOf(": ");
        return colon > 0 ? message.substring(0, colon) : message;
    }

    @Override
    public void close() {
        producers.values().forEach(ServiceHelper::stopAndShutdownService);
        producers.clear();
    }

    /** Collects the bytes of one connection; on close, hands them on as one String. */
    static final class TranscriptDecoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            // the transcript ends when HAProxy closes the connection (after "quit"): keep collecting
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            out.add(in.readCharSequence(in.readableBytes(), StandardCharsets.UTF_8).toString());
        }
    }

    /** A decoder holds one connection's bytes, so every connection gets its own. */
    static final class TranscriptDecoderFactory extends DefaultChannelHandlerFactory {
        @Override
        public ChannelHandler newChannelHandler() {
            return new TranscriptDecoder();
        }
    }
}
