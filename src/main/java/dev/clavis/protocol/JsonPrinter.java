package dev.clavis.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Prints protocol messages as Clarifai's JSON, character for character as protobuf's
 * {@code JsonFormat} printer configured the way {@link JsonCodec} configures it (proto field
 * names, enums as numbers, no whitespace, the given fields printed even when empty), at a
 * fraction of its cost: every response of every request goes through here, and JsonFormat spent
 * more time on a MyScopes answer than the rest of the request path together (reflection through
 * {@code getAllFields} into a fresh TreeMap per message, a SimpleDateFormat per timestamp).
 *
 * <p>Timestamps, Struct, Value and ListValue, the well-known types Clavis's responses carry, are
 * printed here; the rarer ones (Duration, FieldMask, wrappers, Any) by JsonFormat itself.
 * {@code JsonPrinterTest} compares the two on random messages of every response type.
 */
final class JsonPrinter {
    private final Set<FieldDescriptor> alwaysPrinted;
    private final JsonFormat.Printer fallback;
    private final Map<Descriptor, TypePlan> plans = new ConcurrentHashMap<>();

    JsonPrinter(Set<FieldDescriptor> alwaysPrinted) {
        this.alwaysPrinted = Set.copyOf(alwaysPrinted);
        this.fallback = JsonFormat.printer().preservingProtoFieldNames().printingEnumsAsInts()
                .omittingInsignificantWhitespace();
    }

    Set<FieldDescriptor> alwaysPrinted() {
        return alwaysPrinted;
    }

    /**
     * @param legacyTypeExt whether {@code output_info} objects of models get the {@code type} and
     *                      {@code type_ext} that older clients read (see {@link LegacyOutputInfo})
     */
    String print(Message message, boolean legacyTypeExt) {
        StringBuilder out = new StringBuilder(256);
        message(out, message, legacyTypeExt ? "" : null);
        return out.toString();
    }

    /**
     * @param modelTypeId when printing for legacy clients, the {@code model_type_id} of the model
     *                    this message is the {@code output_info} of ("" elsewhere); null otherwise
     */
    private void message(StringBuilder out, Message message, String modelTypeId) {
        Descriptor type = message.getDescriptorForType();
        TypePlan plan = planOf(type);
        if (plan.wellKnown()) {
            wellKnownType(out, message, type);
            return;
        }
        out.append('{');
        boolean first = true;
        // The generated class's own getters when this is an instance of it (not, say, a DynamicMessage).
        boolean generated = message.getClass() == plan.generatedClass();
        for (FieldPlan p : plan.fields()) {
            FieldDescriptor f = p.field();
            Accessors direct = generated ? p.accessors() : null;
            Object value;
            if (p.repeated()) {
                if (direct != null) {
                    value = direct.get().apply(message);
                    if (!p.always() && ((List<?>) value).isEmpty()) continue;
                } else {
                    if (!p.always() && message.getRepeatedFieldCount(f) == 0) continue;
                    value = message.getField(f);
                }
            } else if (p.presence()) {
                if (direct != null ? !direct.has().test(message) : !message.hasField(f)) continue;
                value = direct != null ? direct.get().apply(message) : message.getField(f);
            } else {
                value = direct != null ? direct.get().apply(message) : message.getField(f);
                if (!p.always() && value.equals(direct != null ? p.directDefault() : p.defaultValue())) continue;
            }
            if (!first) out.append(',');
            first = false;
            out.append(p.key());
            if (p.map()) {
                map(out, f, (List<?>) value, modelTypeId == null ? null : "");
            } else if (p.repeated()) {
                out.append('[');
                List<?> list = (List<?>) value;
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(',');
                    single(out, f, list.get(i), modelTypeId == null ? null : "");
                }
                out.append(']');
            } else {
                single(out, f, value, childTypeId(message, f, modelTypeId));
            }
        }
        if (modelTypeId != null && !modelTypeId.isEmpty() && LegacyOutputInfo.isOutputInfo(type)) {
            if (!first) out.append(',');
            String legacy = LegacyOutputInfo.typeExt(modelTypeId);
            out.append("\"type\":\"").append(legacy).append("\",\"type_ext\":\"").append(legacy).append('"');
        }
        out.append('}');
    }

    /** What the legacy pass needs to know about a child: whether it is a model's output_info. */
    private static String childTypeId(Message parent, FieldDescriptor f, String modelTypeId) {
        return modelTypeId == null ? null : LegacyOutputInfo.modelTypeIdFor(parent, f);
    }

    private void single(StringBuilder out, FieldDescriptor f, Object value, String modelTypeId) {
        switch (f.getType()) {
            case INT32, SINT32, SFIXED32 -> out.append((int) (Integer) value);
            case INT64, SINT64, SFIXED64 -> out.append('"').append((long) (Long) value).append('"');
            case UINT32, FIXED32 -> out.append(Integer.toUnsignedString((Integer) value));
            case UINT64, FIXED64 -> out.append('"').append(Long.toUnsignedString((Long) value)).append('"');
            case BOOL -> out.append((boolean) (Boolean) value);
            case FLOAT -> floating(out, (Float) value, Float.isNaN((Float) value), Float.isInfinite((Float) value));
            case DOUBLE -> floating(out, (Double) value, Double.isNaN((Double) value), Double.isInfinite((Double) value));
            case STRING -> string(out, (String) value);
            case BYTES -> out.append('"').append(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray())).append('"');
            case ENUM -> {
                // A generated getter gives the number (getXxxValue), reflection the value descriptor.
                if (f.getEnumType().getFullName().equals("google.protobuf.NullValue")) out.append("null");
                else out.append(value instanceof Integer number ? number.intValue() : ((EnumValueDescriptor) value).getNumber());
            }
            case MESSAGE, GROUP -> message(out, (Message) value, modelTypeId);
        }
    }

    private static void floating(StringBuilder out, Number value, boolean nan, boolean infinite) {
        if (nan) out.append("\"NaN\"");
        else if (infinite) out.append(value.doubleValue() < 0 ? "\"-Infinity\"" : "\"Infinity\"");
        else out.append(value);
    }

    /** Map fields print as objects; keys are always strings. */
    private void map(StringBuilder out, FieldDescriptor f, List<?> entries, String modelTypeId) {
        Descriptor entryType = f.getMessageType();
        FieldDescriptor key = entryType.findFieldByName("key");
        FieldDescriptor value = entryType.findFieldByName("value");
        out.append('{');
        for (int i = 0; i < entries.size(); i++) {
            Message entry = (Message) entries.get(i);
            if (i > 0) out.append(',');
            Object k = entry.getField(key);
            if (k instanceof String s) {
                string(out, s);
            } else {
                out.append('"');
                single(out, key, k, null);
                out.append('"');
            }
            out.append(':');
            single(out, value, entry.getField(value), modelTypeId);
        }
        out.append('}');
    }

    private void wellKnownType(StringBuilder out, Message message, Descriptor type) {
        switch (type.getFullName()) {
            case "google.protobuf.Timestamp" -> timestamp(out, (Timestamp) message);
            case "google.protobuf.Struct" -> struct(out, (Struct) message);
            case "google.protobuf.Value" -> value(out, (Value) message);
            case "google.protobuf.ListValue" -> list(out, (ListValue) message);
            default -> {
                try {
                    // Duration, FieldMask, wrappers, Any, Empty: rare in responses, JsonFormat's own.
                    out.append(fallback.print(message));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("response not printable as JSON", e);
                }
            }
        }
    }

    private void struct(StringBuilder out, Struct struct) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Value> e : struct.getFieldsMap().entrySet()) {
            if (!first) out.append(',');
            first = false;
            string(out, e.getKey());
            out.append(':');
            value(out, e.getValue());
        }
        out.append('}');
    }

    private void value(StringBuilder out, Value value) {
        switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> out.append("null");
            case NUMBER_VALUE -> {
                double d = value.getNumberValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("google.protobuf.Value cannot encode NaN or infinity");
                }
                out.append(d);
            }
            case STRING_VALUE -> string(out, value.getStringValue());
            case BOOL_VALUE -> out.append(value.getBoolValue());
            case STRUCT_VALUE -> struct(out, value.getStructValue());
            case LIST_VALUE -> list(out, value.getListValue());
        }
    }

    private void list(StringBuilder out, ListValue list) {
        out.append('[');
        for (int i = 0; i < list.getValuesCount(); i++) {
            if (i > 0) out.append(',');
            value(out, list.getValues(i));
        }
        out.append(']');
    }

    /** RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as protobuf's {@code Timestamps.toString}. */
    static void timestamp(StringBuilder out, Timestamp t) {
        long seconds = t.getSeconds();
        int nanos = t.getNanos();
        // 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, as Timestamps.checkValid says.
        if (seconds < -62_135_596_800L || seconds > 253_402_300_799L || nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("Timestamp is not valid: seconds " + seconds + ", nanos " + nanos);
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        out.append('"');
        pad(out, time.getYear(), 4).append('-');
        pad(out, time.getMonthValue(), 2).append('-');
        pad(out, time.getDayOfMonth(), 2).append('T');
        pad(out, time.getHour(), 2).append(':');
        pad(out, time.getMinute(), 2).append(':');
        pad(out, time.getSecond(), 2);
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) pad(out, nanos / 1_000_000, 3);
            else if (nanos % 1_000 == 0) pad(out, nanos / 1_000, 6);
            else pad(out, nanos, 9);
        }
        out.append("Z\"");
    }

    /** {@code value}, not negative and at most {@code width} digits, written in {@code width} digits with zeros in front. */
    private static StringBuilder pad(StringBuilder out, int value, int width) {
        // Digit by digit: every answer prints two timestamps, and Integer.toString made a string per field.
        int divisor = 1;
        for (int i = 1; i < width; i++) divisor *= 10;
        for (; divisor > 0; divisor /= 10) out.append((char) ('0' + value / divisor % 10));
        return out;
    }

    /**
     * A JSON string escaped as Gson escapes it by default, which is what JsonFormat uses: control
     * characters, quote and backslash, and the HTML-sensitive {@code < > & = '} as {@code \\u}
     * escapes, plus the line and paragraph separators.
     */
    static void string(StringBuilder out, String s) {
        out.append('"');
        int last = 0;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            String replacement;
            if (c < ESCAPES.length) {
                replacement = ESCAPES[c];
                if (replacement == null) continue;
            } else if (c == '\u2028') {
                replacement = "\\u2028";
            } else if (c == '\u2029') {
                replacement = "\\u2029";
            } else {
                continue;
            }
            if (last < i) out.append(s, last, i);
            out.append(replacement);
            last = i + 1;
        }
        if (last < length) out.append(s, last, length);
        out.append('"');
    }

    private static final String[] ESCAPES = new String[128];

    static {
        for (int c = 0; c < 0x20; c++) ESCAPES[c] = String.format("\\u%04x", c);
        ESCAPES['"'] = "\\\"";
        ESCAPES['\\'] = "\\\\";
        ESCAPES['\t'] = "\\t";
        ESCAPES['\b'] = "\\b";
        ESCAPES['\n'] = "\\n";
        ESCAPES['\r'] = "\\r";
        ESCAPES['\f'] = "\\f";
        for (char c : new char[] {'<', '>', '&', '=', '\''}) ESCAPES[c] = String.format("\\u%04x", (int) c);
    }

    /**
     * What printing a message type needs to know, worked out once per type: its fields in
     * field-number order (the order JsonFormat prints them in), each with the answers the
     * descriptor would otherwise be asked on every message, and the generated class's getters.
     *
     * @param generatedClass the class whose getters the field plans hold; null when there is none
     */
    private record TypePlan(boolean wellKnown, FieldPlan[] fields, Class<?> generatedClass) {}

    /**
     * @param key           the field's name as printed, quoted, with its colon
     * @param accessors     the generated class's getters for the field; null where reflection is used (maps)
     * @param directDefault the default as the getter returns it (an enum's number, not its descriptor)
     */
    private record FieldPlan(FieldDescriptor field, String key, boolean repeated, boolean map, boolean presence,
                             boolean always, Object defaultValue, Accessors accessors, Object directDefault) {}

    /**
     * A field's value and presence through the generated class's own methods, bound once as
     * lambdas: {@code Message.getField} goes through protobuf's reflection table and
     * {@code Method.invoke} for every field of every message printed, which was most of the
     * printer's time. {@code has} is null for fields without presence.
     */
    private record Accessors(Function<Message, Object> get, Predicate<Message> has) {}

    private TypePlan planOf(Descriptor type) {
        return plans.computeIfAbsent(type, t -> {
            Class<?> generated = generatedClass(t);
            FieldPlan[] fields = t.getFields().stream()
                    .sorted(Comparator.comparingInt(FieldDescriptor::getNumber))
                    .map(f -> {
                        boolean presence = !f.isRepeated() && f.hasPresence();
                        Object defaultValue = f.isRepeated() || f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                                ? null : f.getDefaultValue();
                        Object directDefault = defaultValue instanceof EnumValueDescriptor e ? (Object) e.getNumber() : defaultValue;
                        return new FieldPlan(f, "\"" + f.getName() + "\":", f.isRepeated(), f.isMapField(), presence,
                                alwaysPrinted.contains(f), defaultValue, generated == null ? null : accessors(generated, f, presence),
                                directDefault);
                    })
                    .toArray(FieldPlan[]::new);
            return new TypePlan(t.getFile().getPackage().equals("google.protobuf"), fields, generated);
        });
    }

    /** The fields of a type that are printed through reflection: for the test that keeps them few. */
    List<FieldDescriptor> reflectedFields(Descriptor type) {
        return Arrays.stream(planOf(type).fields()).filter(p -> p.accessors() == null).map(FieldPlan::field).toList();
    }

    /**
     * The generated class of a message type, named as protoc names it: in the file's Java package,
     * on its own or nested in the file's outer class; null if no such class is loaded.
     */
    private static Class<?> generatedClass(Descriptor type) {
        var file = type.getFile();
        String javaPackage = file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage() : file.getPackage();
        List<String> nesting = new ArrayList<>();
        for (Descriptor d = type; d != null; d = d.getContainingType()) nesting.add(0, d.getName());
        String nested = String.join("$", nesting);
        List<String> candidates = new ArrayList<>();
        if (file.getOptions().getJavaMultipleFiles()) {
            candidates.add(javaPackage + "." + nested);
        } else {
            String base = file.getName().replaceAll("^.*/", "").replaceAll("\\.proto$", "");
            String outer = file.getOptions().hasJavaOuterClassname() ? file.getOptions().getJavaOuterClassname()
                    : GeneratedAccessors.camelCase(base);
            candidates.add(javaPackage + "." + outer + "$" + nested);
            candidates.add(javaPackage + "." + outer + "OuterClass$" + nested); // when a message takes the outer name
        }
        for (String name : candidates) {
            try {
                Class<?> found = Class.forName(name, true, JsonPrinter.class.getClassLoader());
                if (Message.class.isAssignableFrom(found) && found.getMethod("getDescriptor").invoke(null) == type) return found;
            } catch (ReflectiveOperationException e) {
                // the next spelling
            }
        }
        return null;
    }

    /**
     * The getters protoc generates for a field ({@code getFooBar}, {@code getFooBarList},
     * {@code getFooBarValue} for enums, {@code hasFooBar}), or null when one is missing (a name
     * protoc changed to avoid a clash) or the field is a map: those fields take reflection.
     */
    private static Accessors accessors(Class<?> type, FieldDescriptor f, boolean presence) {
        if (f.isMapField()) return null;
        String camel = GeneratedAccessors.camelCase(f.getName());
        boolean enumNumber = f.getJavaType() == FieldDescriptor.JavaType.ENUM;
        String getter = "get" + camel + (enumNumber ? "Value" : "") + (f.isRepeated() ? "List" : "");
        try {
            Function<Message, Object> get = GeneratedAccessors.bind(type, getter, new Class<?>[0], Function.class, "apply", Object.class);
            Predicate<Message> has = presence
                    ? GeneratedAccessors.bind(type, "has" + camel, new Class<?>[0], Predicate.class, "test", boolean.class) : null;
            return new Accessors(get, has);
        } catch (Error e) {
            throw e;
        } catch (Throwable missingOrUnlike) {
            return null;
        }
    }
}
