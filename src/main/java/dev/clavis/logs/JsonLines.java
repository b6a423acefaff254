package dev.clavis.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One flat JSON object per line: {@code time}, {@code level}, {@code logger}, {@code message},
 * then the MDC ({@code req_id}) and the event's key-value pairs (a call's door, method,
 * credential, code, http, ms, client) as fields of their own, and {@code error} with a stack
 * trace. Flat, so that {@code jq '.method'} or a log shipper reads a field without knowing
 * which layer set it (logback's own JsonEncoder nests them in lists of one-key objects).
 */
public final class JsonLines extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter json = new JsonWriter(out)) {
            json.beginObject();
            json.name("time").value(Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.name("level").value(event.getLevel().toString());
            json.name("logger").value(event.getLoggerName());
            json.name("message").value(event.getFormattedMessage());
            for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
                json.name(entry.getKey()).value(entry.getValue());
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    json.name(pair.key);
                    if (pair.value instanceof Number number) json.value(number);
                    else json.value(String.valueOf(pair.value));
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) json.name("error").value(ThrowableProxyUtil.asString(thrown));
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }
}
