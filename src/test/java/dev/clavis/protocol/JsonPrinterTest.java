package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fast printer against protobuf's JsonFormat (the oracle, configured as Clavis configured it
 * before): the same text, to the character, for random messages of every request and response
 * type in the V2 table; for responses that carry models, the same JSON as the old legacy
 * {@code type_ext} pass made on the parsed tree.
 */
class JsonPrinterTest {
    private static final MethodTable METHODS = MethodTable.fromDescriptor();
    private static final JsonPrinter PRINTER = new JsonCodec(METHODS).printer();
    private static final JsonFormat.Printer ORACLE = JsonFormat.printer().preservingProtoFieldNames().printingEnumsAsInts()
            .omittingInsignificantWhitespace().includingDefaultValueFields(PRINTER.alwaysPrinted());
    private static final String AWKWARD = "<tag a='1'>&amp;=\"quoted\"\\ \t\n\r\b\f\u0001\u001f\u2028\u2029 é 漢字 \uD83D\uDE00";

    /** Reflection (Message.getField) is left for map fields only; every other field has its generated getter. */
    @Test
    void every_field_but_maps_is_read_through_its_generated_getter() {
        Set<Descriptor> seen = new HashSet<>();
        Deque<Descriptor> todo = new ArrayDeque<>();
        METHODS.methods().forEach(m -> todo.add(m.responsePrototype().getDescriptorForType()));
        int fields = 0;
        while (!todo.isEmpty()) {
            var type = todo.pop();
            if (!seen.add(type) || type.getFile().getPackage().equals("google.protobuf") || type.getOptions().getMapEntry()) continue;
            for (var f : PRINTER.reflectedFields(type)) {
                assertTrue(f.isMapField(), f.getFullName() + " is read through reflection");
            }
            for (var f : type.getFields()) {
                fields++;
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) todo.add(f.getMessageType());
            }
        }
        assertTrue(fields > 1000, "walked the response types: " + fields + " fields");
        assertEquals("InputId", GeneratedAccessors.camelCase("input_id"));
        assertEquals("X2Y", GeneratedAccessors.camelCase("x2_y"));
        assertEquals("Base64", GeneratedAccessors.camelCase("base64"));
    }

    @Test
    void prints_every_message_type_exactly_as_json_format_does() throws Exception {
        Random random = new Random(20261130);
        int compared = 0;
        for (RpcMethod method : METHODS.methods()) {
            for (Message prototype : List.of(method.requestPrototype(), method.responsePrototype())) {
                for (int i = 0; i < 8; i++) {
                    Message message = fill(prototype.newBuilderForType(), random, 0).build();
                    boolean legacy = LegacyOutputInfo.applies(message.getDescriptorForType());
                    String ours = PRINTER.print(message, legacy);
                    if (legacy) {
                        // The old pass re-serialised the whole tree with Gson's own escaping (no
                        // HTML escapes): the same JSON, spelled differently.
                        assertEquals(JsonParser.parseString(oracle(message, true)), JsonParser.parseString(ours),
                                message.getDescriptorForType().getFullName());
                    } else {
                        assertEquals(ORACLE.print(message), ours, message.getDescriptorForType().getFullName());
                    }
                    compared++;
                }
            }
        }
        System.out.println("JsonPrinterTest compared " + compared + " random messages");
    }

    @Test
    void empty_lists_of_responses_are_printed_and_timestamps_keep_their_precision() throws Exception {
        // From the first second of year 1 to the last of year 9999, whose fields fill every digit.
        for (long seconds : new long[] {-62_135_596_800L, 0, 1_764_500_000L, 253_402_300_799L}) {
            for (int nanos : new int[] {0, 5_000_000, 5_000, 5, 999_999_999}) {
                Timestamp t = Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
                StringBuilder out = new StringBuilder();
                JsonPrinter.timestamp(out, t);
                assertEquals(ORACLE.print(t), out.toString());
            }
        }
        Message empty = METHODS.method("ListApps").orElseThrow().responsePrototype();
        assertEquals(ORACLE.print(empty), PRINTER.print(empty, false));
    }

    private static String oracle(Message message, boolean legacy) throws Exception {
        String json = ORACLE.print(message);
        if (!legacy) return json;
        JsonElement tree = JsonParser.parseString(json);
        addTypeExt(tree);
        return tree.toString();
    }

    /** The legacy pass as it was: on the parsed tree, after printing. */
    private static void addTypeExt(JsonElement element) {
        if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(JsonPrinterTest::addTypeExt);
        } else if (element.isJsonObject()) {
            JsonObject object = element.getAsJsonObject();
            if (object.has("model_type_id") && object.get("output_info") instanceof JsonObject info && !info.has("type_ext")) {
                String type = object.get("model_type_id").getAsString().endsWith("-embedder") ? "embed" : "concept";
                info.addProperty("type", type);
                info.addProperty("type_ext", type);
            }
            object.entrySet().forEach(e -> addTypeExt(e.getValue()));
        }
    }

    private static Message.Builder fill(Message.Builder builder, Random random, int depth) {
        Descriptor type = builder.getDescriptorForType();
        for (FieldDescriptor f : type.getFields()) {
            if (random.nextInt(3) == 0) continue;
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= 3) continue;
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && f.getMessageType().getFullName().equals("google.protobuf.Any")) {
                continue; // JsonFormat needs a type registry for Any, and Clavis sets none.
            }
            if (f.isRepeated()) {
                for (int i = random.nextInt(3); i > 0; i--) builder.addRepeatedField(f, value(builder, f, random, depth));
            } else {
                builder.setField(f, value(builder, f, random, depth));
            }
        }
        return builder;
    }

    private static Object value(Message.Builder parent, FieldDescriptor f, Random random, int depth) {
        return switch (f.getJavaType()) {
            case INT -> random.nextBoolean() ? random.nextInt(100) : random.nextInt();
            case LONG -> random.nextBoolean() ? (long) random.nextInt(100) : random.nextLong();
            case FLOAT -> random.nextInt(10) == 0 ? Float.NaN : random.nextFloat() * (random.nextBoolean() ? 1 : 1e-7f);
            case DOUBLE -> random.nextInt(10) == 0 ? Double.NEGATIVE_INFINITY : random.nextDouble() * 1e12;
            case BOOLEAN -> random.nextBoolean();
            case STRING -> random.nextBoolean() ? "" : AWKWARD.substring(random.nextInt(AWKWARD.length() - 3));
            case BYTE_STRING -> ByteString.copyFrom(new byte[] {(byte) random.nextInt(), (byte) random.nextInt(), 0, -1});
            case ENUM -> {
                List<EnumValueDescriptor> values = f.getEnumType().getValues();
                yield values.get(random.nextInt(values.size()));
            }
            case MESSAGE -> message(parent.newBuilderForField(f), random, depth + 1);
        };
    }

    private static Message message(Message.Builder builder, Random random, int depth) {
        return switch (builder.getDescriptorForType().getFullName()) {
            case "google.protobuf.Timestamp" -> Timestamp.newBuilder().setSeconds(random.nextInt(2_000_000_000))
                    .setNanos(List.of(0, 123_000_000, 123_456_000, 123_456_789).get(random.nextInt(4))).build();
            case "google.protobuf.Duration" -> Duration.newBuilder().setSeconds(random.nextInt(1000)).build();
            case "google.protobuf.Struct" -> struct(random, 0);
            case "google.protobuf.Value" -> value(random, 0);
            case "google.protobuf.ListValue" -> list(random, 0);
            default -> fill(builder, random, depth).build();
        };
    }

    private static Struct struct(Random random, int depth) {
        Struct.Builder struct = Struct.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) struct.putFields(i + AWKWARD.substring(random.nextInt(8)), value(random, depth + 1));
        return struct.build();
    }

    private static ListValue list(Random random, int depth) {
        ListValue.Builder list = ListValue.newBuilder();
        for (int i = random.nextInt(3); i > 0; i--) list.addValues(value(random, depth + 1));
        return list.build();
    }

    private static Value value(Random random, int depth) {
        int kind = depth > 2 ? random.nextInt(4) : random.nextInt(6);
        return switch (kind) {
            case 0 -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
            case 1 -> Value.newBuilder().setNumberValue(random.nextInt(3) == 0 ? 1.0 : random.nextDouble() * 1e-9).build();
            case 2 -> Value.newBuilder().setStringValue(AWKWARD).build();
            case 3 -> Value.newBuilder().setBoolValue(random.nextBoolean()).build();
            case 4 -> Value.newBuilder().setStructValue(struct(random, depth)).build();
            default -> Value.newBuilder().setListValue(list(random, depth)).build();
        };
    }
}
