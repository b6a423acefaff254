package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import com.clarifai.grpc.api.utils.Extensions;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protocol messages to and from Clarifai's JSON: proto field names, enums as numbers out and
 * names or numbers in, unknown request fields ignored, every top-level list and every
 * {@code cl_show_if_empty} field printed even when empty.
 */
public final class JsonCodec {
    static final int MAX_DEPTH = 64;
    private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();
    private final JsonPrinter printer;
    /** Fields with a {@code cl_default_float}: JSON requests that leave them out mean this value. */
    private final Map<FieldDescriptor, Float> defaults = new HashMap<>();
    /** The same fields by the message type that declares them. */
    private final Map<Descriptor, List<FieldDescriptor>> declaredDefaults = new HashMap<>();
    /** Message types from which such a field can be reached; others need no second look. */
    private final Set<Descriptor> reachesDefaults = new HashSet<>();
    /** Each message type's fields by proto and JSON name, as JsonFormat finds them. */
    private final Map<Descriptor, Map<String, FieldDescriptor>> fieldNames = new ConcurrentHashMap<>();

    public JsonCodec(MethodTable table) {
        Set<FieldDescriptor> alwaysPrinted = new HashSet<>();
        Set<Descriptor> seen = new HashSet<>();
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        registry.add(Extensions.clShowIfEmpty);
        registry.add(Extensions.clDefaultFloat);
        collectDefaults(table.methods().stream().map(m -> m.requestPrototype().getDescriptorForType()).toList(), registry);
        for (RpcMethod m : table.methods()) {
            Descriptor response = m.responsePrototype().getDescriptorForType();
            for (FieldDescriptor f : response.getFields()) {
                if (f.isRepeated()) alwaysPrinted.add(f);
            }
            collectShownIfEmpty(response, registry, seen, alwaysPrinted);
        }
        this.printer = new JsonPrinter(alwaysPrinted);
    }

    /**
     * Merges a JSON object into the builder; malformed JSON or wrong types are 11100. One
     * streaming pass checks the body's shape (see {@link #needsDefaults}) and JsonFormat parses it;
     * only a body that leaves out a {@code cl_default_float} field is parsed into a tree, filled in
     * and printed again first.
     */
    public void merge(String json, Message.Builder into) {
        Descriptor type = into.getDescriptorForType();
        boolean fill = needsDefaults(json, type);
        try {
            if (fill) {
                JsonElement tree = JsonParser.parseString(json);
                fillDefaults(tree, type);
                json = tree.toString();
            }
            parser.merge(json, into);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // The parser's message names the offending field and value, never more of the body.
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "Malformed JSON body: " + brief(e.getMessage()));
        }
    }

    /**
     * A body of Clavis's own (not a V2 message) as a JSON object, held to the same limits as
     * message bodies (nesting, nothing after the value); anything else is 11100.
     */
    public JsonObject object(String json) {
        needsDefaults(json, com.google.protobuf.Empty.getDescriptor());
        try {
            JsonElement tree = JsonParser.parseString(json);
            if (tree.isJsonObject()) return tree.getAsJsonObject();
        } catch (RuntimeException malformed) {
            // answered below
        }
        throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "The body must be a JSON object.");
    }

    /**
     * Reads the body once as a stream of tokens, without building it, and refuses what
     * JsonFormat's parser would let through: nesting deeper than any V2 message needs (the parser
     * recurses per level, and ten thousand brackets would exhaust the thread's stack) and text
     * after the JSON value (the parser stops reading there and would ignore it). Following the
     * message types as it goes, it answers whether an object of a type with {@code cl_default_float}
     * fields leaves one out or gives a boolean for one.
     */
    boolean needsDefaults(String json, Descriptor root) {
        JsonReader reader = new JsonReader(new StringReader(json));
        // As JsonFormat reads (setLenient(false) in its own words).
        reader.setStrictness(Strictness.LEGACY_STRICT);
        Deque<Frame> open = new ArrayDeque<>();
        boolean needed = false;
        Descriptor next = reachesDefaults.contains(root) ? root : null;
        try {
            do {
                Frame top = open.peek();
                switch (reader.peek()) {
                    case BEGIN_OBJECT -> {
                        reader.beginObject();
                        open.push(new Frame(next, false, declaredDefaults));
                        if (open.size() > MAX_DEPTH) {
                            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "JSON nested deeper than " + MAX_DEPTH + " levels.");
                        }
                    }
                    case BEGIN_ARRAY -> {
                        reader.beginArray();
                        open.push(new Frame(next, true, declaredDefaults));
                        if (open.size() > MAX_DEPTH) {
                            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "JSON nested deeper than " + MAX_DEPTH + " levels.");
                        }
                    }
                    case END_OBJECT -> {
                        reader.endObject();
                        needed |= open.pop().leavesOutADefault();
                    }
                    case END_ARRAY -> {
                        reader.endArray();
                        open.pop();
                    }
                    case NAME -> {
                        String name = reader.nextName();
                        if (top.isMap) {
                            next = top.mapValues;
                        } else {
                            FieldDescriptor field = top.type == null ? null : fieldNamed(top.type, name);
                            next = valueType(field);
                            if (field != null && defaults.containsKey(field)) {
                                top.gave(field);
                                if (reader.peek() == JsonToken.BOOLEAN) needed = true;
                            }
                        }
                        continue;
                    }
                    default -> reader.skipValue();
                }
                Frame container = open.peek();
                // What an element of the container just entered or left holds, for its next value.
                next = container == null ? null : container.isArray ? container.type : null;
            } while (!open.isEmpty());
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "Unexpected text after the JSON body.");
            }
        } catch (IOException | IllegalStateException e) {
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "Malformed JSON body: " + brief(e.getMessage()));
        }
        return needed;
    }

    /**
     * An object or array being read. {@code type} is the message type of the object, or of an
     * array's elements, when defaults can be reached from it; null otherwise. A map field's
     * object has map keys for names, and {@code mapValues} is its values' type.
     */
    private static final class Frame {
        final Descriptor type;
        final boolean isArray;
        final boolean isMap;
        final Descriptor mapValues;
        /** The default-bearing fields this object must give, and those it gave (made only when it gives one). */
        private final List<FieldDescriptor> expected;
        private Set<FieldDescriptor> given;

        Frame(Descriptor type, boolean isArray, Map<Descriptor, List<FieldDescriptor>> declaredDefaults) {
            boolean map = type != null && !isArray && type.getOptions().getMapEntry();
            this.type = map ? null : type;
            this.isArray = isArray;
            this.isMap = map;
            FieldDescriptor value = map ? type.findFieldByName("value") : null;
            this.mapValues = value != null && value.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? value.getMessageType() : null;
            this.expected = this.type == null || isArray ? List.of() : declaredDefaults.getOrDefault(this.type, List.of());
        }

        void gave(FieldDescriptor field) {
            if (given == null) given = new HashSet<>();
            given.add(field);
        }

        boolean leavesOutADefault() {
            for (FieldDescriptor f : expected) {
                if (given == null || !given.contains(f)) return true;
            }
            return false;
        }
    }

    /** The message type a field's value holds, when defaults can be reached from it. */
    private Descriptor valueType(FieldDescriptor field) {
        if (field == null || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) return null;
        Descriptor type = field.getMessageType();
        if (field.isMapField()) return type; // a map entry type: Frame reads it as a map
        return reachesDefaults.contains(type) ? type : null;
    }

    private FieldDescriptor fieldNamed(Descriptor type, String name) {
        return fieldNames.computeIfAbsent(type, t -> {
            Map<String, FieldDescriptor> byName = new HashMap<>();
            for (FieldDescriptor f : t.getFields()) {
                byName.put(f.getName(), f);
                byName.put(f.getJsonName(), f);
            }
            return byName;
        }).get(name);
    }

    /** The printer, for the test that holds it against JsonFormat. */
    JsonPrinter printer() {
        return printer;
    }

    public String print(Message message) {
        return printer.print(message, LegacyOutputInfo.applies(message.getDescriptorForType()));
    }

    /**
     * Adds the declared default of every absent {@code cl_default_float} field, and turns a
     * boolean given for one into 1 or 0, recursively.
     */
    private void fillDefaults(JsonElement element, Descriptor type) {
        if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(e -> fillDefaults(e, type));
            return;
        }
        if (!element.isJsonObject() || !reachesDefaults.contains(type)) return;
        JsonObject object = element.getAsJsonObject();
        for (FieldDescriptor f : type.getFields()) {
            JsonElement value = object.has(f.getName()) ? object.get(f.getName()) : object.get(f.getJsonName());
            Float declared = defaults.get(f);
            if (declared != null && value == null) object.addProperty(f.getName(), declared);
            // Older clients send concept values as booleans ("value": true): 1 and 0.
            if (declared != null && value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
                object.remove(f.getName());
                object.remove(f.getJsonName());
                object.addProperty(f.getName(), value.getAsBoolean() ? 1.0 : 0.0);
            }
            if (value != null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) fillDefaults(value, f.getMessageType());
        }
    }

    /**
     * Records every {@code cl_default_float} field reachable from the request types, and marks
     * each message type from which one can be reached. Message types form cycles (Data holds
     * Regions, which hold Data), so reachability is computed to a fixpoint, not by recursion.
     */
    private void collectDefaults(List<Descriptor> requestTypes, ExtensionRegistry registry) {
        Set<Descriptor> all = new HashSet<>();
        Deque<Descriptor> pending = new ArrayDeque<>(requestTypes);
        while (!pending.isEmpty()) {
            Descriptor d = pending.pop();
            if (!all.add(d)) continue;
            for (FieldDescriptor f : d.getFields()) {
                FieldOptions options = options(f, registry);
                if (options.hasExtension(Extensions.clDefaultFloat)) {
                    defaults.put(f, options.getExtension(Extensions.clDefaultFloat));
                    declaredDefaults.computeIfAbsent(d, k -> new ArrayList<>()).add(f);
                    reachesDefaults.add(d);
                }
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) pending.push(f.getMessageType());
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Descriptor d : all) {
                if (reachesDefaults.contains(d)) continue;
                for (FieldDescriptor f : d.getFields()) {
                    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && reachesDefaults.contains(f.getMessageType())) {
                        changed = reachesDefaults.add(d);
                        break;
                    }
                }
            }
        }
    }

    private static void collectShownIfEmpty(Descriptor type, ExtensionRegistry registry,
                                            Set<Descriptor> seen, Set<FieldDescriptor> out) {
        Deque<Descriptor> pending = new ArrayDeque<>();
        pending.push(type);
        while (!pending.isEmpty()) {
            Descriptor d = pending.pop();
            if (!seen.add(d)) continue;
            for (FieldDescriptor f : d.getFields()) {
                if (showIfEmpty(f, registry) && !f.hasPresence()) out.add(f);
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) pending.push(f.getMessageType());
            }
        }
    }

    private static boolean showIfEmpty(FieldDescriptor f, ExtensionRegistry registry) {
        return options(f, registry).getExtension(Extensions.clShowIfEmpty);
    }

    private static FieldOptions options(FieldDescriptor f, ExtensionRegistry registry) {
        try {
            return FieldOptions.parseFrom(f.getOptions().toByteString(), registry);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable options on " + f.getFullName(), e);
        }
    }

    private static String brief(String message) {
        if (message == null) return "unreadable";
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
