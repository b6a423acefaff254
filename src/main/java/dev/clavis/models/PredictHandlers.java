package dev.clavis.models;

import com.clarifai.grpc.api.MultiOutputResponse;
import com.clarifai.grpc.api.Output;
import com.clarifai.grpc.api.OutputConfig;
import com.clarifai.grpc.api.PostModelOutputsRequest;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.auth.Secrets;
import dev.clavis.media.MediaRejected;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Statuses;
import dev.clavis.protocol.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * PostModelOutputs on all its routes: one output per input, each with its own status. The
 * request fails (10020, HTTP 400) only when every input failed, and is mixed (10010) when some did.
 */
public final class PredictHandlers {
    public static final int MAX_INPUTS = 128;

    private final ModelService models;
    private final Predictor predictor;
    private final Outputs outputs;
    private final ModelHandlers modelViews;
    private final Clock clock;

    public PredictHandlers(ModelService models, Predictor predictor, Outputs outputs, ModelHandlers modelViews, Clock clock) {
        this.models = models;
        this.predictor = predictor;
        this.outputs = outputs;
        this.modelViews = modelViews;
        this.clock = clock;
    }

    public MultiOutputResponse postModelOutputs(Call call, PostModelOutputsRequest request) {
        ModelService.Described described = models.get(call.userId(), call.appId(), request.getModelId(), request.getVersionId());
        ModelVersion version = described.version();
        if (version == null) {
            throw new ApiException(StatusCode.MODEL_UNTRAINED, "Model '" + request.getModelId() + "' has no trained version yet.");
        }
        if (!version.trained()) {
            throw new ApiException(StatusCode.MODEL_UNTRAINED, "Version '" + version.id() + "' is not trained (status "
                    + version.statusCode() + ").");
        }
        if (request.getInputsCount() == 0 || request.getInputsCount() > MAX_INPUTS) {
            throw new ApiException(StatusCode.PREDICT_INVALID_REQUEST,
                    "Send 1 to " + MAX_INPUTS + " inputs per request, not " + request.getInputsCount() + ".");
        }
        OutputConfig config = request.getModel().getOutputInfo().getOutputConfig();
        com.clarifai.grpc.api.Model modelView = modelViews.toProto(described);
        Map<String, String> names = outputs.names();
        Instant deadline = Outputs.fetchDeadline();
        long samples = predictor.samplesWanted(described.model());
        MultiOutputResponse.Builder response = MultiOutputResponse.newBuilder();
        int failed = 0;
        for (com.clarifai.grpc.api.Input input : request.getInputsList()) {
            Output.Builder output = Output.newBuilder().setId(Secrets.newId()).setCreatedAt(Timestamps.of(clock.instant()))
                    .setModel(modelView).setInput(Outputs.echo(input));
            try {
                Predictor.Prediction prediction = predictor.run(described.model(), version, outputs.load(input, deadline, samples));
                output.setData(outputs.data(described.model(), prediction, config, names))
                        .setStatus(Statuses.of(StatusCode.SUCCESS, null));
            } catch (MediaRejected e) {
                failed++;
                output.setStatus(Statuses.of(e.code(), e.getMessage()));
            }
            response.addOutputs(output);
        }
        if (failed > 0) {
            StatusCode overall = failed == request.getInputsCount() ? StatusCode.FAILURE : StatusCode.MIXED_STATUS;
            response.setStatus(Statuses.of(overall, failed + " of " + request.getInputsCount() + " inputs failed; each output says why."));
        }
        return response.build();
    }
}
