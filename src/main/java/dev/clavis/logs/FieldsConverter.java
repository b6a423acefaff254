package dev.clavis.logs;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * {@code %fields} in a text pattern: the MDC ({@code req_id}) and the event's key-value pairs,
 * each as {@code " name=value"}, so the text format carries what the JSON format carries.
 */
public final class FieldsConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (mdc.isEmpty() && (pairs == null || pairs.isEmpty())) return "";
        StringBuilder out = new StringBuilder(128);
        mdc.forEach((name, value) -> out.append(' ').append(name).append('=').append(value));
        if (pairs != null) {
            for (KeyValuePair pair : pairs) out.append(' ').append(pair.key).append('=').append(pair.value);
        }
        return out.toString();
    }
}
