package dev.clavis.protocol;

import com.clarifai.grpc.api.Model;
import com.clarifai.grpc.api.MultiModelResponse;
import com.clarifai.grpc.api.MultiOutputResponse;
import com.clarifai.grpc.api.OutputInfo;
import com.clarifai.grpc.api.PostWorkflowResultsResponse;
import com.clarifai.grpc.api.SingleModelResponse;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Set;

/**
 * Older clients (the Java client 2.x among them) choose how to read a prediction from
 * {@code model.output_info.type_ext}, a field the current protocol no longer has. Responses that
 * carry models get it back in their JSON ({@link JsonPrinter} adds it as it prints), derived from
 * {@code model_type_id}: "embed" for embedders, "concept" for everything that answers with concepts.
 */
final class LegacyOutputInfo {
    private static final Set<Descriptor> CARRY_MODELS = Set.of(MultiOutputResponse.getDescriptor(),
            SingleModelResponse.getDescriptor(), MultiModelResponse.getDescriptor(), PostWorkflowResultsResponse.getDescriptor());
    private static final FieldDescriptor MODEL_OUTPUT_INFO = Model.getDescriptor().findFieldByName("output_info");

    private LegacyOutputInfo() {}

    static boolean applies(Descriptor responseType) {
        return CARRY_MODELS.contains(responseType);
    }

    static boolean isOutputInfo(Descriptor type) {
        return type == OutputInfo.getDescriptor();
    }

    /** The model type a child message is the output_info of, or "" when it is not a model's output_info. */
    static String modelTypeIdFor(Message parent, FieldDescriptor child) {
        return child == MODEL_OUTPUT_INFO ? ((Model) parent).getModelTypeId() : "";
    }

    static String typeExt(String modelTypeId) {
        return modelTypeId.endsWith("-embedder") ? "embed" : "concept";
    }
}
