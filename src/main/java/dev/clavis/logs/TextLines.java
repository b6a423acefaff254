package dev.clavis.logs;

import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.event.KeyValuePair;

/**
 * The text log line: {@code 2026-11-30T18:06:16.207Z INFO  clavis.requests - call req_id=…
 * door=rest method=MyScopes …}, i.e. the UTC time to the millisecond, the level padded to five,
 * the logger (shortened to about 24 characters), the message, then the MDC ({@code req_id}) and
 * the event's key-value pairs as {@code name=value}, and a stack trace on the lines after.
 * <p>
 * Written by hand rather than by a logback pattern because every request writes one: the pattern
 * formatted the date anew for each line and built each converter's text apart (a tenth of a warm
 * MyScopes request). Here lines within the same second share its formatted text and each
 * logger's short name is worked out once.
 */
public final class TextLines extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int LOGGER_LENGTH = 24;

    /** A second and its text; replaced whole, so a reader never pairs one second with another's text. */
    private record Second(long epochSecond, String text) {}

    private volatile Second lastSecond = new Second(Long.MIN_VALUE, "");
    private final Abbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(LOGGER_LENGTH);
    private final Map<String, String> loggerNames = new ConcurrentHashMap<>();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(256);
        long millis = event.getTimeStamp();
        line.append(second(Math.floorDiv(millis, 1000))).append('.');
        int fraction = (int) Math.floorMod(millis, 1000);
        if (fraction < 100) line.append('0');
        if (fraction < 10) line.append('0');
        line.append(fraction).append('Z').append(' ');
        String level = event.getLevel().toString();
        line.append(level);
        for (int pad = level.length(); pad < 5; pad++) line.append(' ');
        line.append(' ').append(loggerNames.computeIfAbsent(event.getLoggerName(), abbreviator::abbreviate))
                .append(" - ").append(event.getFormattedMessage());
        appendFields(event, line);
        line.append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) line.append(ThrowableProxyUtil.asString(thrown));
        return line.toString();
    }

    /** The MDC and the event's key-value pairs, each as {@code " name=value"}. */
    private static void appendFields(ILoggingEvent event, StringBuilder line) {
        for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
            line.append(' ').append(entry.getKey()).append('=').append(entry.getValue());
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) line.append(' ').append(pair.key).append('=').append(pair.value);
        }
    }

    private String second(long epochSecond) {
        Second cached = lastSecond;
        if (cached.epochSecond() != epochSecond) {
            cached = new Second(epochSecond, SECONDS.format(Instant.ofEpochSecond(epochSecond)));
            lastSecond = cached;
        }
        return cached.text();
    }
}
