package io.ep2camel.reload;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs an argument list through camel-exec and returns exit code and output: for the commands
 * a step issues itself (systemctl, a start or reload), and, through {@link #prepare} and
 * {@link #result}, for a route that sends to {@link #ENDPOINT} as a step of its own.
 */
public final class ExecCommandRunner {
    public static final String ENDPOINT = "exec:ep2-command";

    private final Supplier<CamelContext> context;
    private final Duration timeout;
    private volatile ProducerTemplate producer;

    /** The context is looked up on first use: the runner is wired before Camel Main creates it. */
    public ExecCommandRunner(Supplier<CamelContext> context, Duration timeout) {
        this.context = context;
        this.timeout = timeout;
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            producer = context.get().createProducerTemplate();
        }
        return producer;
    }

    public CommandResult run(List<String> argv) throws IOException {
        Exchange done = producer().request(ENDPOINT, e -> prepare(e.getMessage(), argv));
        if (done.getException() != null) {
            throw new IOException("cannot run " + argv.get(0) + ": " + done.getException().getMessage(),
                    done.getException());
        }
        return result(argv, done.getMessage());
    }

    /**
     * The exec headers for one argument list: never a shell string, so no value is read by a shell.
     * The body is emptied: camel-exec feeds a body to the command's stdin, and none of these
     * commands reads one (haproxy -c was handed the candidate file's content for nothing).
     */
    public void prepare(Message m, List<String> argv) {
        m.setBody(null);
        m.setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, argv.get(0));
        m.setHeader(ExecBinding.EXEC_COMMAND_ARGS, argv.subList(1, argv.size()));
        m.setHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, timeout.toMillis());
    }

    /** What the exec endpoint answered, read once (its output streams cannot be read twice). */
    public static CommandResult result(List<String> argv, Message m) throws IOException {
        ExecResult r = m.getBody(ExecResult.class);
        return new CommandResult(argv, r.getExitValue(), text(r.getStdout()), text(r.getStderr()));
    }

    private static String text(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
