package dev.clavis.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferedStdoutAppenderTest {
    private final LoggerContext context = new LoggerContext();

    {
        context.setMDCAdapter(new LogbackMDCAdapter());
    }
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Test
    void every_line_is_written_when_the_appender_stops() {
        BufferedStdoutAppender<ILoggingEvent> appender = appender(60_000);
        for (int i = 0; i < 1000; i++) appender.doAppend(event("line " + i));
        appender.stop();
        String out = written.toString(StandardCharsets.UTF_8);
        assertEquals(1000, out.lines().count());
        assertTrue(out.endsWith("line 999\n"), out.substring(Math.max(0, out.length() - 40)));
    }

    @Test
    void lines_from_many_threads_come_out_whole_through_a_small_buffer() throws InterruptedException {
        BufferedStdoutAppender<ILoggingEvent> appender = appender(60_000, 256);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) appender.doAppend(event("thread " + thread + " line " + i + " " + "x".repeat(i % 90)));
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        appender.stop();
        List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(16_000, lines.size());
        for (String line : lines) assertTrue(line.matches("thread \\d line (\\d+) x*") && line.endsWith(
                "x".repeat(Integer.parseInt(line.split(" ")[3]) % 90)), line);
    }

    @Test
    void a_quiet_logger_still_sees_its_line_within_the_flush_interval() throws InterruptedException {
        BufferedStdoutAppender<ILoggingEvent> appender = appender(50);
        appender.doAppend(event("alone"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (written.size() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals("alone\n", written.toString(StandardCharsets.UTF_8));
        appender.stop();
    }

    private BufferedStdoutAppender<ILoggingEvent> appender(int flushMillis) {
        return appender(flushMillis, 64 * 1024);
    }

    private BufferedStdoutAppender<ILoggingEvent> appender(int flushMillis, int bufferBytes) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        BufferedStdoutAppender<ILoggingEvent> appender = new BufferedStdoutAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setFlushMillis(flushMillis);
        appender.setBufferSize(bufferBytes);
        appender.setTarget(written);
        appender.start();
        return appender;
    }

    private LoggingEvent event(String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("test");
        event.setLevel(ch.qos.logback.classic.Level.INFO);
        event.setMessage(message);
        return event;
    }
}
