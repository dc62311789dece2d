package io.ep2camel;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.FileAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** Points the rolling file appender ({@link LogSetup}) at log_file; stops logging last. */
final class Logging {
    private Logging() {
    }

    static void logTo(Path logFile) {
        String path = logFile.toAbsolutePath().toString();
        System.setProperty(LogSetup.LOG_FILE_PROPERTY, path);
        LoggerContext ctx = context();
        // logback may have been set up before (tests, libraries logging early): again with the new path
        if (!(ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("file") instanceof FileAppender<?> file
                && path.equals(file.getFile()))) {
            ctx.reset();
            new LogSetup().configure(ctx);
        }
    }

    /** Flushes and closes log_file: after Camel's own shutdown lines (no shutdown hook of logback's). */
    static void stop() {
        context().stop();
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
