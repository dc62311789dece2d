package io.ep2camel.socket;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ep2camel.model.HaproxyAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the body's command(s) to every socket of the endpoint. Body in: a String (one command)
 * or a List of Strings (a batch run on one connection per socket). Body out: the first socket's
 * reply (String) or replies (List); all sockets' replies are in {@link HaproxySocketConstants#REPLIES}.
 */
public class HaproxySocketProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(HaproxySocketProducer.class);

    private final HaproxySocketConfiguration configuration;
    private final List<HaproxyAddress> addresses;
    private final HaproxySocketClient client;
    private final NettyCliTransport tcp;

    public HaproxySocketProducer(HaproxySocketEndpoint endpoint, HaproxySocketClient client, NettyCliTransport tcp) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
        this.addresses = endpoint.addresses();
        this.client = client;
        this.tcp = tcp;
    }

    @Override
    protected void doStop() throws Exception {
        tcp.close();
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        boolean batch = message.getBody() instanceof List;
        List<String> commands = batch ? commands(message.getBody(List.class)) : List.of(message.getMandatoryBody(String.class));
        boolean failOnErrorReply = message.getHeader(HaproxySocketConstants.FAIL_ON_ERROR_REPLY,
                configuration.isFailOnErrorReply(), Boolean.class);

        Map<String, List<String>> replies = new LinkedHashMap<>();
        List<HaproxySocketException> failures = new ArrayList<>();
        String request = HaproxySocketClient.request(commands);   // checks every command before anything is sent
        for (HaproxyAddress socket : addresses) {
            try {
                LOG.debug("Sending {} command(s) to {}", commands.size(), socket);
                List<String> socketReplies = commands.isEmpty() ? List.of()
                        : socket.isUnix() ? client.execute(socket.path(), commands)
                        : HaproxySocketClient.replies(socket.toString(), commands.size(), tcp.exchange(socket, request));
                replies.put(socket.toString(), socketReplies);
                if (failOnErrorReply) {
                    HaproxySocketClient.requireNoErrorReplies(socket.toString(), commands, socketReplies);
                }
            } catch (HaproxySocketException e) {
                // Go on: every HAProxy process keeps its own state, the others still need the batch
                failures.add(e);
            }
        }
        message.setHeader(HaproxySocketConstants.REPLIES, replies);
        if (!failures.isEmpty()) {
            // The body keeps the commands, so a redelivery sends them again rather than the replies
            HaproxySocketException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
        List<String> firstReplies = replies.values().iterator().next();
        message.setBody(batch ? firstReplies : firstReplies.get(0));
    }

    private static List<String> commands(List<?> body) {
        List<String> commands = new ArrayList<>(body.size());
        for (Object element : body) {
            if (!(element instanceof String command)) {
                throw new IllegalArgumentException("haproxy-socket batch elements must be Strings, got "
                        + (element == null ? "null" : element.getClass().getName()));
            }
            commands.add(command);
        }
        return commands;
    }
}
