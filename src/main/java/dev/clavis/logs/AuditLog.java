package dev.clavis.logs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends the audit channel (logger {@code clavis.audit}) to a file of its own instead of standard
 * output: appended to, each line written through at once (an audit line is not buffered), in the
 * same format as the other logs.
 */
public final class AuditLog {
    static final String LOGGER = "clavis.audit";
    private static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{24} - %msg%fields%n";

    private AuditLog() {}

    public static void routeTo(Path file, LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        LayoutBase<ILoggingEvent> layout;
        if (format == LogFormat.JSON) {
            layout = new JsonLines();
        } else {
            PatternLayout pattern = new PatternLayout();
            pattern.getInstanceConverterMap().put("fields", FieldsConverter::new);
            pattern.setPattern(TEXT_PATTERN);
            layout = pattern;
        }
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("AUDIT");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setImmediateFlush(true);
        appender.setEncoder(encoder);
        appender.start();
        Logger audit = context.getLogger(LOGGER);
        audit.addAppender(appender);
        audit.setAdditive(false);
    }
}
