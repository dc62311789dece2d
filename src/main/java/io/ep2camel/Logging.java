package io.ep2camel;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

import java.nio.file.Path;

/** Points log4j2's rolling file appender (src/main/resources/log4j2.xml) at log_file. */
final class Logging {
    static final String LOG_FILE_PROPERTY = "ep2.log_file";

    private Logging() {
    }

    static void logTo(Path logFile) {
        System.setProperty(LOG_FILE_PROPERTY, logFile.toAbsolutePath().toString());
        // log4j may already be up (tests, libraries logging early): re-read the config with the new path
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }
}
