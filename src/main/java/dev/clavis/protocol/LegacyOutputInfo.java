package dev.clavis.protocol;

import com.clarifai.grpc.api.MultiModelResponse;
import com.clarifai.grpc.api.MultiOutputResponse;
import com.clarifai.grpc.api.PostWorkflowResultsResponse;
import com.clarifai.grpc.api.SingleModelResponse;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Descriptors.Descriptor;
import java.util.Set;

/**
 * Older clients (the Java client 2.x among them) choose how to read a prediction from
 * {@code model.output_info.type_ext}, a field the current protocol no longer has. Responses that
 * carry models get it back in their JSON, derived from {@code model_type_id}: "embed" for
 * embedders, "concept" for everything that answers with concepts.
 */
final class LegacyOutputInfo {
    private static final Set<Descriptor> CARRY_MODELS = Set.of(MultiOutputResponse.getDescriptor(),
            SingleModelResponse.getDescriptor(), MultiModelResponse.getDescriptor(), PostWorkflowResultsResponse.getDescriptor());

    private LegacyOutputInfo() {}

    static boolean applies(Descriptor responseType) {
        return CARRY_MODELS.contains(responseType);
    }

    static String addTypeExt(String json) {
        JsonElement tree = JsonParser.parseString(json);
        walk(tree);
        return tree.toString();
    }

    private static void walk(JsonElement element) {
        if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(LegacyOutputInfo::walk);
        } else if (element.isJsonObject()) {
            JsonObject object = element.getAsJsonObject();
            if (object.has("model_type_id") && object.get("output_info") instanceof JsonObject info && !info.has("type_ext")) {
                String type = object.get("model_type_id").getAsString().endsWith("-embedder") ? "embed" : "concept";
                info.addProperty("type", type);
                info.addProperty("type_ext", type);
            }
            object.entrySet().forEach(e -> walk(e.getValue()));
        }
    }
}
