package dev.clavis.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** The two line formats, and the audit channel kept apart in a file of its own. */
class LogLinesTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    @Test
    void a_json_line_is_one_flat_object_with_the_mdc_the_fields_and_the_stack_trace() {
        LoggerContext context = context();
        ListAppender<ILoggingEvent> captured = capture(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), context);
        MDC.put("req_id", "abc123");
        try {
            context.getLogger("clavis.requests").atInfo().setMessage("call").addKeyValue("method", "MyScopes")
                    .addKeyValue("code", 10000).addKeyValue("client", "a \"quoted\"\nname").log();
            context.getLogger("x").error("boom", new IllegalStateException("why"));
            // A list keeps events for later: their MDC is read now, as an appender writing at once would.
            captured.list.forEach(ILoggingEvent::prepareForDeferredProcessing);
        } finally {
            MDC.remove("req_id");
        }
        JsonLines json = new JsonLines();
        json.setContext(context);
        json.start();
        String first = json.doLayout(captured.list.get(0));
        assertTrue(first.endsWith("}\n") && first.indexOf('\n') == first.length() - 1, "one line: " + first);
        JsonObject call = JsonParser.parseString(first).getAsJsonObject();
        assertEquals("call", call.get("message").getAsString());
        assertEquals("clavis.requests", call.get("logger").getAsString());
        assertEquals("abc123", call.get("req_id").getAsString());
        assertEquals("MyScopes", call.get("method").getAsString());
        assertTrue(call.get("code").getAsJsonPrimitive().isNumber(), "numbers stay numbers");
        assertEquals("a \"quoted\"\nname", call.get("client").getAsString());
        JsonObject error = JsonParser.parseString(json.doLayout(captured.list.get(1))).getAsJsonObject();
        assertTrue(error.get("error").getAsString().contains("IllegalStateException: why"), error.toString());

        TextLines text = new TextLines();
        assertTrue(text.doLayout(captured.list.get(0)).endsWith(
                " INFO  clavis.requests - call req_id=abc123 method=MyScopes code=10000 client=a \"quoted\"\nname" + NL));
        assertTrue(text.doLayout(captured.list.get(1)).contains(" ERROR x - boom req_id=abc123" + NL + "java.lang.IllegalStateException: why"),
                "a line the call caused carries its req_id, and the stack trace follows it");
    }

    @Test
    void a_text_line_has_the_utc_time_to_the_millisecond_the_padded_level_and_a_short_logger_name() {
        LoggerContext context = context();
        TextLines text = new TextLines();
        long noon = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
        assertEquals("2026-11-30T12:00:00.007Z WARN  clavis.requests - slow" + NL,
                text.doLayout(event(context, "clavis.requests", Level.WARN, "slow", noon + 7)));
        assertEquals("2026-11-30T12:00:00.999Z INFO  clavis.requests - call" + NL,
                text.doLayout(event(context, "clavis.requests", Level.INFO, "call", noon + 999)));
        // The next second, and one before the last: each line has its own second, not the last one formatted.
        assertEquals("2026-11-30T12:00:01.040Z INFO  d.c.protocol.Dispatcher - call" + NL,
                text.doLayout(event(context, "dev.clavis.protocol.Dispatcher", Level.INFO, "call", noon + 1040)));
        assertEquals("2026-11-30T11:59:59.000Z ERROR clavis.requests - late" + NL,
                text.doLayout(event(context, "clavis.requests", Level.ERROR, "late", noon - 1000)));
    }

    private static LoggingEvent event(LoggerContext context, String logger, Level level, String message, long millis) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger(logger), level, message, null, null);
        event.setTimeStamp(millis);
        return event;
    }

    @Test
    void the_audit_channel_goes_to_its_own_file_in_the_chosen_format_and_not_to_the_other_logs() throws Exception {
        LoggerContext context = context();
        ListAppender<ILoggingEvent> others = capture(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), context);
        Path file = dir.resolve("audit.log");
        AuditLog.routeTo(context, file, LogFormat.JSON);
        context.getLogger(AuditLog.LOGGER).atInfo().setMessage("credential deleted").addKeyValue("credential", "k1").log();
        context.getLogger("clavis.requests").info("call");

        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), "written through at once: " + lines);
        assertEquals("k1", JsonParser.parseString(lines.get(0)).getAsJsonObject().get("credential").getAsString());
        assertEquals(List.of("call"), others.list.stream().map(ILoggingEvent::getMessage).toList());

        Path text = dir.resolve("audit.txt");
        LoggerContext textContext = context();
        AuditLog.routeTo(textContext, text, LogFormat.TEXT);
        textContext.getLogger(AuditLog.LOGGER).atInfo().setMessage("credential created").addKeyValue("kind", "PAT").log();
        List<String> textLines = Files.readAllLines(text);
        assertEquals(1, textLines.size(), textLines.toString());
        assertTrue(textLines.get(0).endsWith("Z INFO  clavis.audit - credential created kind=PAT"), textLines.get(0));
    }

    /** A context of the test's own, so routing the audit channel leaves the suite's logging alone. */
    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();
        return context;
    }

    private static ListAppender<ILoggingEvent> capture(Logger logger, LoggerContext context) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
        return appender;
    }
}
