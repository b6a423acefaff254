package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import com.clarifai.grpc.api.utils.Extensions;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** Message types from which such a field can be reached; others need no second look. */
    private final Set<Descriptor> reachesDefaults = new HashSet<>();

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

    /** Merges a JSON object into the builder; malformed JSON or wrong types are 11100. */
    public void merge(String json, Message.Builder into) {
        requireShallow(json);
        try {
            Descriptor type = into.getDescriptorForType();
            if (reachesDefaults.contains(type)) {
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

    /** The printer, for the test that holds it against JsonFormat. */
    JsonPrinter printer() {
        return printer;
    }

    public String print(Message message) {
        return printer.print(message, LegacyOutputInfo.applies(message.getDescriptorForType()));
    }

    /**
     * Checks what the parser lets pass: nesting deeper than any V2 message needs (the parser
     * recurses per level, and ten thousand brackets would exhaust the thread's stack), and
     * anything after the JSON value (the parser stops reading there and would ignore it).
     */
    static void requireShallow(String json) {
        int depth = 0;
        boolean inString = false;
        boolean closed = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (closed) {
                if (!Character.isWhitespace(c)) {
                    throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "Unexpected text after the JSON body.");
                }
            } else if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "JSON nested deeper than " + MAX_DEPTH + " levels.");
                }
            } else if (c == '}' || c == ']') {
                closed = --depth == 0;
            }
        }
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
