package dev.clavis.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code google.api.http} path such as {@code /v2/users/{user_app_id.user_id}/keys}: literal
 * segments and variables naming a (dotted) request field, each variable matching one segment.
 */
public final class PathTemplate {
    private final String text;
    private final List<String> literals; // null entry = variable
    private final List<String> variables; // field path per segment, null for literals
    private final int literalCount;

    private PathTemplate(String text, List<String> literals, List<String> variables) {
        this.text = text;
        this.literals = literals;
        this.variables = variables;
        this.literalCount = (int) literals.stream().filter(s -> s != null).count();
    }

    public static PathTemplate parse(String text) {
        if (!text.startsWith("/")) throw new IllegalArgumentException("path must start with /: " + text);
        List<String> literals = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        for (String segment : text.substring(1).split("/", -1)) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String field = segment.substring(1, segment.length() - 1);
                if (field.contains("=")) throw new IllegalArgumentException("unsupported variable pattern: " + text);
                literals.add(null);
                variables.add(field);
            } else {
                literals.add(segment);
                variables.add(null);
            }
        }
        return new PathTemplate(text, unmodifiable(literals), unmodifiable(variables));
    }

    /** Splits a raw request path into URL-decoded segments, or empty if it cannot be decoded. */
    public static Optional<List<String>> segments(String rawPath) {
        if (!rawPath.startsWith("/")) return Optional.empty();
        String[] raw = rawPath.substring(1).split("/", -1);
        List<String> decoded = new ArrayList<>(raw.length);
        try {
            for (String s : raw) {
                boolean plain = s.indexOf('%') < 0 && s.indexOf('+') < 0;
                decoded.add(plain ? s : URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException malformedEscape) {
            return Optional.empty();
        }
        return Optional.of(decoded);
    }

    /** The variables bound by matching these segments, or empty if the path does not match. */
    public Optional<Map<String, String>> match(List<String> segments) {
        if (segments.size() != literals.size()) return Optional.empty();
        // Most templates tried do not match: find out before allocating anything.
        for (int i = 0; i < segments.size(); i++) {
            String literal = literals.get(i);
            if (literal != null ? !literal.equals(segments.get(i)) : segments.get(i).isEmpty()) return Optional.empty();
        }
        Map<String, String> bound = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            if (literals.get(i) == null) bound.put(variables.get(i), segments.get(i));
        }
        return Optional.of(bound);
    }

    public int segmentCount() {
        return literals.size();
    }

    /** More literal segments means more specific: {@code concepts/status} beats {@code concepts/{id}}. */
    public int literalCount() {
        return literalCount;
    }

    public boolean hasVariable(String fieldPath) {
        return variables.contains(fieldPath);
    }

    @Override
    public String toString() {
        return text;
    }

    // Not List.copyOf: the two lists use null for "not this kind of segment".
    private static List<String> unmodifiable(List<String> list) {
        return Collections.unmodifiableList(list);
    }
}
