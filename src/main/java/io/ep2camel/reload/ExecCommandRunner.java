package io.ep2camel.reload;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Runs an argument list through camel-exec and returns exit code and output. */
public final class ExecCommandRunner {
    static final String ENDPOINT = "exec:ep2-command";

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
        Exchange done = producer().request(ENDPOINT, e -> {
            e.getMessage().setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, argv.get(0));
            e.getMessage().setHeader(ExecBinding.EXEC_COMMAND_ARGS, argv.subList(1, argv.size()));
            e.getMessage().setHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, timeout.toMillis());
        });
        if (done.getException() != null) {
            throw new IOException("cannot run " + argv.get(0) + ": " + done.getException().getMessage(),
                    done.getException());
        }
        ExecResult r = done.getMessage().getBody(ExecResult.class);
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
