package dev.clavis.logs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends the audit channel (logger {@code clavis.audit}) to a file of its own instead of standard
 * output: appended to, each line written through at once (an audit line is not buffered), in the
 * same format as the other logs.
 */
public final class AuditLog {
    public static final String LOGGER = "clavis.audit";

    private AuditLog() {}

    public static void routeTo(Path file, LogFormat format) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) routeTo(context, file, format);
    }

    static void routeTo(LoggerContext context, Path file, LogFormat format) {
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("AUDIT");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setImmediateFlush(true);
        appender.setEncoder(format.encoder(context));
        appender.start();
        Logger audit = context.getLogger(LOGGER);
        audit.addAppender(appender);
        audit.setAdditive(false);
    }
}
