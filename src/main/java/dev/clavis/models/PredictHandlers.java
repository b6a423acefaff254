package dev.clavis.models;

import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.Embedding;
import com.clarifai.grpc.api.MultiOutputResponse;
import com.clarifai.grpc.api.Output;
import com.clarifai.grpc.api.OutputConfig;
import com.clarifai.grpc.api.PostModelOutputsRequest;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.auth.Secrets;
import dev.clavis.concepts.ConceptService;
import dev.clavis.media.Media;
import dev.clavis.media.MediaLoader;
import dev.clavis.media.MediaRejected;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Statuses;
import dev.clavis.protocol.Timestamps;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PostModelOutputs on all its routes: one output per input, each with its own status. The
 * request fails (10020, HTTP 400) only when every input failed, and is mixed (10010) when some did.
 */
public final class PredictHandlers {
    public static final int MAX_INPUTS = 128;

    private final ModelService models;
    private final Predictor predictor;
    private final MediaLoader media;
    private final ConceptService concepts;
    private final ModelHandlers modelViews;
    private final Clock clock;

    public PredictHandlers(ModelService models, Predictor predictor, MediaLoader media, ConceptService concepts,
                           ModelHandlers modelViews, Clock clock) {
        this.models = models;
        this.predictor = predictor;
        this.media = media;
        this.concepts = concepts;
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
        Map<String, String> names = new HashMap<>();
        MultiOutputResponse.Builder response = MultiOutputResponse.newBuilder();
        int failed = 0;
        for (com.clarifai.grpc.api.Input input : request.getInputsList()) {
            Output.Builder output = Output.newBuilder().setId(Secrets.newId()).setCreatedAt(Timestamps.of(clock.instant()))
                    .setModel(modelView).setInput(echo(input));
            try {
                Predictor.Prediction prediction = predictor.run(described.model(), version, load(input));
                output.setData(data(call, prediction, config, names)).setStatus(Statuses.of(StatusCode.SUCCESS, null));
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

    private Media load(com.clarifai.grpc.api.Input input) throws MediaRejected {
        Data d = input.getData();
        return media.load(
                d.getImage().getBase64().isEmpty() ? null : d.getImage().getBase64().toByteArray(),
                d.getImage().getUrl().isEmpty() ? null : d.getImage().getUrl(),
                d.getText().getRaw().isEmpty() ? null : d.getText().getRaw(),
                d.getText().getUrl().isEmpty() ? null : d.getText().getUrl());
    }

    /** The input as given, without its bytes: callers know them, and they can be megabytes. */
    private static com.clarifai.grpc.api.Input echo(com.clarifai.grpc.api.Input input) {
        com.clarifai.grpc.api.Input.Builder out = input.toBuilder();
        if (out.getData().hasImage()) out.getDataBuilder().getImageBuilder().clearBase64();
        return out.build();
    }

    private Data data(Call call, Predictor.Prediction prediction, OutputConfig config, Map<String, String> names) {
        Data.Builder data = Data.newBuilder();
        if (prediction instanceof Predictor.Prediction.Embedding e) {
            Embedding.Builder embedding = Embedding.newBuilder().setNumDimensions(e.vector().length);
            for (float v : e.vector()) embedding.addVector(v);
            return data.addEmbeddings(embedding).build();
        }
        List<Predictor.Scored> scored = ((Predictor.Prediction.Concepts) prediction).concepts();
        Set<String> selected = config.getSelectConceptsList().stream().map(com.clarifai.grpc.api.Concept::getId).collect(Collectors.toSet());
        int max = config.getMaxConcepts() > 0 ? config.getMaxConcepts() : Integer.MAX_VALUE;
        scored.stream()
                .filter(s -> selected.isEmpty() ? s.value() >= config.getMinValue() : selected.contains(s.id()))
                .limit(selected.isEmpty() ? max : Long.MAX_VALUE)
                .forEach(s -> data.addConcepts(com.clarifai.grpc.api.Concept.newBuilder()
                        .setId(s.id()).setName(s.name() != null ? s.name() : name(call, s.id(), names))
                        .setValue((float) s.value()).setAppId(call.appId())));
        return data.build();
    }

    private String name(Call call, String conceptId, Map<String, String> names) {
        return names.computeIfAbsent(conceptId, id -> {
            try {
                return concepts.get(call.userId(), call.appId(), id).name();
            } catch (ApiException deletedSinceTraining) {
                return id;
            }
        });
    }
}
