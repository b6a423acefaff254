package dev.clavis.logs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Where log lines go besides the audit file. */
public final class LogOutput {
    private LogOutput() {}

    /**
     * Log lines to standard error: an administrative command's standard output is its answer
     * (a table, JSON, a new secret on the last line), which log lines must not interleave with.
     */
    public static void toStandardError() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof BufferedStdoutAppender<ILoggingEvent> appender) {
                    appender.stop();
                    appender.setTarget(new FileOutputStream(FileDescriptor.err));
                    appender.start();
                }
            }
        }
    }
}
