package io.ep2camel.reload;

import org.apache.camel.Exchange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The validate step around the exec endpoint: {@link #command} turns the candidate in the body
 * into {@code haproxy -c -f <candidate>}, the route sends it to {@link ExecCommandRunner#ENDPOINT},
 * {@link #verdict} fails the step with HAProxy's own words when the config is refused.
 */
public final class HaproxyCheck {
    private static final String ARGV = "ep2.checkCommand";

    private final HaproxyCommands commands;
    private final ExecCommandRunner runner;

    public HaproxyCheck(HaproxyCommands commands, ExecCommandRunner runner) {
        this.commands = commands;
        this.runner = runner;
    }

    public void command(Exchange e) {
        List<String> argv = commands.check(e.getMessage().getBody(Path.class));
        e.setProperty(ARGV, argv);
        runner.prepare(e.getMessage(), argv);
    }

    public void verdict(Exchange e) throws IOException, CommandFailedException {
        @SuppressWarnings("unchecked")
        List<String> argv = e.getProperty(ARGV, List.class);
        CommandResult r = ExecCommandRunner.result(argv, e.getMessage());
        if (!r.ok()) {
            throw new CommandFailedException("haproxy -c " + argv.get(argv.size() - 1), r);
        }
    }
}
