package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import java.util.Map;

/** {@code google.protobuf.Struct} to and from the JSON text records keep it as. */
public final class Structs {
    private Structs() {}

    public static String toJson(Struct struct) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(struct);
        } catch (InvalidProtocolBufferException e) {
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "metadata is not valid JSON.");
        }
    }

    public static Struct fromJson(String json) {
        // Most records have no metadata; this one is read on every MyScopes.
        if (json.equals("{}")) return Struct.getDefaultInstance();
        Struct.Builder struct = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(json, struct);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored metadata is not a JSON object", e);
        }
        return struct.build();
    }

    /**
     * Applies a metadata change to stored JSON: {@code overwrite} (or empty) replaces it,
     * {@code merge} merges deeply, {@code delete} removes the keys the change names (nested
     * objects name nested keys).
     */
    public static String change(String currentJson, String changeJson, String op) {
        JsonObject base = JsonParser.parseString(currentJson).getAsJsonObject();
        JsonObject change = JsonParser.parseString(changeJson).getAsJsonObject();
        return switch (op == null ? "" : op) {
            case "", "overwrite" -> change.toString();
            case "merge" -> merge(base, change).toString();
            case "delete", "remove" -> remove(base, change).toString();
            default -> throw ApiException.badRequest("The metadata operation is overwrite, merge or delete, not '" + op + "'.");
        };
    }

    private static JsonObject merge(JsonObject base, JsonObject change) {
        for (Map.Entry<String, JsonElement> e : change.entrySet()) {
            JsonElement old = base.get(e.getKey());
            if (old != null && old.isJsonObject() && e.getValue().isJsonObject()) {
                merge(old.getAsJsonObject(), e.getValue().getAsJsonObject());
            } else {
                base.add(e.getKey(), e.getValue());
            }
        }
        return base;
    }

    private static JsonObject remove(JsonObject base, JsonObject change) {
        for (Map.Entry<String, JsonElement> e : change.entrySet()) {
            JsonElement old = base.get(e.getKey());
            if (old != null && old.isJsonObject() && e.getValue().isJsonObject() && e.getValue().getAsJsonObject().size() > 0) {
                remove(old.getAsJsonObject(), e.getValue().getAsJsonObject());
            } else {
                base.remove(e.getKey());
            }
        }
        return base;
    }
}
