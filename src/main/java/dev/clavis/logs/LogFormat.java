package dev.clavis.logs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** The two shapes of log line: {@code text} ({@link TextLines}) and {@code json} ({@link JsonLines}). */
public enum LogFormat {
    TEXT, JSON;

    /** {@code text} or {@code json}, any case. */
    public static LogFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("log-format: text or json, got " + name);
        }
    }

    /** Switches every appender that writes lines to this format; text is what logback.xml sets. */
    public void apply() {
        if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                    appender.stop();
                    appender.setEncoder(encoder(context));
                    appender.start();
                }
            }
        }
    }

    /** An encoder, started, that writes lines of this format. */
    Encoder<ILoggingEvent> encoder(LoggerContext context) {
        LayoutBase<ILoggingEvent> layout = this == JSON ? new JsonLines() : new TextLines();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }
}
