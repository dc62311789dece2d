package io.ep2camel.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real SQS (ElasticMQ, embedded, in memory) on a loopback port, for the lifecycle-hook tests: the
 * production code and the tests talk to it through the real AWS SDK v2 {@link SqsClient} (AWS JSON
 * protocol), with an endpoint override. Queue URLs are {@code http://127.0.0.1:<port>/123456789012/<name>},
 * queue ARNs {@code arn:aws:sqs:us-east-1:123456789012:<name>} (the account and region the
 * {@link AwsQueryDouble} notifications carry).
 *
 * <p>ElasticMQ runs on a Pekko actor system this class creates (log level WARNING, no JVM shutdown
 * hook) and terminates on {@link #close()}; ElasticMQ's and Pekko's own INFO lines are turned down to
 * WARN in logback.
 */
public final class ElasticMq implements AutoCloseable {
    public static final String ACCOUNT_ID = "123456789012";
    public static final String REGION = "us-east-1";
    /** The static credentials of {@link #client()}; ElasticMQ does not check them. */
    public static final String ACCESS_KEY_ID = "AKIDELASTICMQ";
    public static final String SECRET_KEY = "elasticmq-secret";

    private static final String PEKKO_CONFIG = """
            pekko.loglevel = "WARNING"
            pekko.stdout-loglevel = "OFF"
            pekko.log-dead-letters = off
            pekko.log-dead-letters-during-shutdown = off
            pekko.jvm-shutdown-hooks = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.coordinated-shutdown.terminate-actor-system = on
            pekko.http.server.parsing.illegal-header-warnings = off
            """;

    private final ActorSystem system;
    private final SQSRestServer server;
    private final int port;
    private final SqsClient client;

    private ElasticMq() {
        quietLogs();
        Config config = ConfigFactory.parseString(PEKKO_CONFIG).withFallback(ConfigFactory.load());
        system = ActorSystem.create("elasticmq", config, ElasticMq.class.getClassLoader());
        SQSRestServer started = null;
        int boundPort = -1;
        RuntimeException last = null;
        try {
            // FreePort only says the port was free a moment ago: bind, and try another on a clash
            for (int attempt = 0; attempt < 5 && started == null; attempt++) {
                int candidate = FreePort.find();
                SQSRestServer s = SQSRestServerBuilder.withActorSystem(system)
                        .withInterface("127.0.0.1")
                        .withPort(candidate)
                        .withServerAddress(new NodeAddress("http", "127.0.0.1", candidate, ""))
                        .withAWSAccountId(ACCOUNT_ID)
                        .withAWSRegion(REGION)
                        .start();
                try {
                    s.waitUntilStarted();
                    started = s;
                    boundPort = candidate;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
        } catch (RuntimeException e) {
            terminate();
            throw e;
        }
        if (started == null) {
            terminate();
            throw new IllegalStateException("ElasticMQ did not bind a loopback port", last);
        }
        server = started;
        port = boundPort;
        client = SqsClient.builder()
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_KEY)))
                .endpointOverride(endpoint())
                .build();
    }

    public static ElasticMq start() {
        return new ElasticMq();
    }

    /** What an SqsClient's endpoint override (or Camel's uriEndpointOverride) is set to. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client owned by this server (closed with it): region us-east-1, static dummy credentials. */
    public SqsClient client() {
        return client;
    }

    /** Creates the queue (standard, ElasticMQ's defaults: visibility timeout 30 s) and answers its URL. */
    public String createQueue(String name) {
        return createQueue(name, Map.of());
    }

    /** Creates the queue with these attributes (e.g. VisibilityTimeout "2") and answers its URL. */
    public String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return client.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    /** The URL of an existing queue (GetQueueUrl). */
    public String queueUrl(String name) {
        return client.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    /** The queue's ARN as SQS reports it (GetQueueAttributes QueueArn). */
    public String queueArn(String queueUrl) {
        return client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** The ARN a queue of this name has here, without asking the server. */
    public static String arnOf(String queueName) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT_ID + ":" + queueName;
    }

    public void send(String queueUrl, String body) {
        client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }

    /**
     * Messages in the queue, visible or not (received and not yet deleted): ApproximateNumberOfMessages
     * plus ApproximateNumberOfMessagesNotVisible (ElasticMQ counts exactly). Delayed messages are not counted.
     */
    public int approximateMessages(String queueUrl) {
        Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    /**
     * Up to 10 visible messages, received with visibility timeout 0, so they stay visible to the code under
     * test. Note: each peek counts as a receive (ApproximateReceiveCount, a redrive policy's maxReceiveCount).
     */
    public List<Message> peek(String queueUrl) {
        return client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0)
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /**
     * Receives and deletes every message that is visible now, or becomes visible within {@code wait}
     * (long polling, at most 20 s a call), until a receive comes back empty; answers their bodies in order of receipt.
     */
    public List<String> drain(String queueUrl, Duration wait) {
        List<String> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = Math.max(0, deadline - System.nanoTime());
            int waitSeconds = bodies.isEmpty() ? (int) Math.min(20, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999L)) : 0;
            ReceiveMessageResponse r = client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(waitSeconds));
            if (!r.hasMessages() || r.messages().isEmpty()) {
                if (bodies.isEmpty() && System.nanoTime() < deadline) {
                    continue;
                }
                return bodies;
            }
            for (Message m : r.messages()) {
                bodies.add(m.body());
                client.deleteMessage(DeleteMessageRequest.builder().queueUrl(queueUrl).receiptHandle(m.receiptHandle()).build());
            }
        }
    }

    /** {@link #drain(String, Duration)} without waiting: what is visible now. */
    public List<String> drain(String queueUrl) {
        return drain(queueUrl, Duration.ZERO);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            try {
                server.stopAndWait();
            } finally {
                terminate();
            }
        }
    }

    private void terminate() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a slow shutdown is not the test's failure
        }
    }

    /** ElasticMQ logs every queue it creates and its start at INFO; Pekko its start and stop. */
    private static void quietLogs() {
        try {
            ((Logger) LoggerFactory.getLogger("org.elasticmq")).setLevel(Level.WARN);
            ((Logger) LoggerFactory.getLogger("org.apache.pekko")).setLevel(Level.WARN);
        } catch (LinkageError | ClassCastException e) {
            // no logback on this class path: nothing to turn down
        }
    }
}
