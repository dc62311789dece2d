package io.ep2camel;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.Logger;

/**
 * The controller's logging, set up in code rather than from an XML file: logback finds this class
 * through META-INF/services before it would look for any file, so start-up pays for neither an
 * XML parser nor a second configuration pass. Console plus {@code log_file} (system property
 * {@value #LOG_FILE_PROPERTY}, set by {@link Logging#logTo}), rolled at 10 MB, 5 kept (gzip);
 * level from {@value #LOG_LEVEL_PROPERTY} (INFO by default).
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String LOG_FILE_PROPERTY = "ep2.log_file";
    static final String LOG_LEVEL_PROPERTY = "ep2.log_level";
    // the date quoted: a comma inside %d{} would start its time-zone option
    private static final String PATTERN = "%d{\"yyyy-MM-dd'T'HH:mm:ss,SSS\"} %-5level [%thread] %logger{0} - %msg%n";
    private static final String DEFAULT_FILE = "/tmp/ep2-camel.log";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        setContext(ctx);
        Level level = Level.toLevel(System.getProperty(LOG_LEVEL_PROPERTY), Level.INFO);
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(console(ctx));
        root.addAppender(file(ctx, System.getProperty(LOG_FILE_PROPERTY, DEFAULT_FILE)));
        // a non-zero exit is expected (haproxy -c rejecting a candidate) and logged by ep2-camel
        // with the command's output
        ctx.getLogger("org.apache.camel.component.exec").setLevel(Level.OFF);
        // a failure inside an orchestrator route is logged once, as one line, by the route that
        // called it (ep2-poll: "fetch failed, backends kept"), not again with a stack trace here
        ctx.getLogger("org.apache.camel.processor.errorhandler.DefaultErrorHandler").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("console");
        console.setEncoder(encoder(ctx));
        console.start();
        return console;
    }

    private static RollingFileAppender<ILoggingEvent> file(LoggerContext ctx, String path) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setName("file");
        file.setFile(path);
        FixedWindowRollingPolicy rolled = new FixedWindowRollingPolicy();
        rolled.setContext(ctx);
        rolled.setParent(file);
        rolled.setFileNamePattern(path + ".%i.gz");
        rolled.setMinIndex(1);
        rolled.setMaxIndex(5);
        rolled.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> at10Mb = new SizeBasedTriggeringPolicy<>();
        at10Mb.setContext(ctx);
        at10Mb.setMaxFileSize(FileSize.valueOf("10MB"));
        at10Mb.start();
        file.setRollingPolicy(rolled);
        file.setTriggeringPolicy(at10Mb);
        file.setEncoder(encoder(ctx));
        file.start();
        return file;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }
}
