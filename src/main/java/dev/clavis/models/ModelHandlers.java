package dev.clavis.models;

import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.DeleteModelRequest;
import com.clarifai.grpc.api.DeleteModelVersionRequest;
import com.clarifai.grpc.api.DeleteModelsRequest;
import com.clarifai.grpc.api.GetModelRequest;
import com.clarifai.grpc.api.GetModelTypeRequest;
import com.clarifai.grpc.api.GetModelVersionRequest;
import com.clarifai.grpc.api.ListModelConceptsRequest;
import com.clarifai.grpc.api.ListModelTypesRequest;
import com.clarifai.grpc.api.ListModelVersionsRequest;
import com.clarifai.grpc.api.ListModelsRequest;
import com.clarifai.grpc.api.MultiConceptResponse;
import com.clarifai.grpc.api.MultiModelResponse;
import com.clarifai.grpc.api.MultiModelTypeResponse;
import com.clarifai.grpc.api.MultiModelVersionResponse;
import com.clarifai.grpc.api.OutputConfig;
import com.clarifai.grpc.api.OutputInfo;
import com.clarifai.grpc.api.PatchModelsRequest;
import com.clarifai.grpc.api.PostModelVersionsRequest;
import com.clarifai.grpc.api.PostModelsRequest;
import com.clarifai.grpc.api.PostModelsSearchesRequest;
import com.clarifai.grpc.api.SingleModelResponse;
import com.clarifai.grpc.api.SingleModelTypeResponse;
import com.clarifai.grpc.api.SingleModelVersionResponse;
import com.clarifai.grpc.api.status.BaseResponse;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.concepts.Concept;
import dev.clavis.concepts.ConceptHandlers;
import dev.clavis.concepts.ConceptService;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Statuses;
import dev.clavis.protocol.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The model, version, model type and training RPCs. Prediction is {@link PredictHandlers}'. */
public final class ModelHandlers {
    private final ModelService models;
    private final Training training;
    private final ConceptService concepts;

    public ModelHandlers(ModelService models, Training training, ConceptService concepts) {
        this.models = models;
        this.training = training;
        this.concepts = concepts;
    }

    /**
     * Takes {@code models} or the deprecated singular {@code model} that older clients send. The
     * response holds one model, so one model is created per request.
     */
    public SingleModelResponse postModels(Call call, PostModelsRequest request) {
        List<com.clarifai.grpc.api.Model> given = new ArrayList<>(request.getModelsList());
        if (request.hasModel()) given.add(request.getModel());
        if (given.size() != 1) throw ModelService.invalid("Send exactly one model per request; its response holds one.");
        return single(models.create(call.userId(), call.appId(), List.of(draft(given.get(0)))).get(0));
    }

    public MultiModelResponse listModels(Call call, ListModelsRequest request) {
        return multi(models.list(call.userId(), call.appId(), request.getModelTypeId(), "",
                Page.of(request.getPage(), request.getPerPage())));
    }

    public MultiModelResponse postModelsSearches(Call call, PostModelsSearchesRequest request) {
        Page page = Page.of(request.getPagination().getPage(), request.getPagination().getPerPage());
        return multi(models.list(call.userId(), call.appId(), request.getModelQuery().getModelTypeId(),
                request.getModelQuery().getName(), page));
    }

    public SingleModelResponse getModel(Call call, GetModelRequest request) {
        return single(models.get(call.userId(), call.appId(), request.getModelId(), request.getVersionId()));
    }

    public SingleModelResponse getModelOutputInfo(Call call, GetModelRequest request) {
        return single(models.get(call.userId(), call.appId(), request.getModelId(), request.getVersionId()));
    }

    public MultiModelResponse patchModels(Call call, PatchModelsRequest request) {
        return multi(models.patch(call.userId(), call.appId(), request.getAction(),
                request.getModelsList().stream().map(ModelHandlers::draft).toList()));
    }

    public BaseResponse deleteModel(Call call, DeleteModelRequest request) {
        models.delete(call.userId(), call.appId(), List.of(request.getModelId()));
        return BaseResponse.getDefaultInstance();
    }

    public BaseResponse deleteModels(Call call, DeleteModelsRequest request) {
        List<String> ids = request.getDeleteAll() ? models.allIds(call.userId(), call.appId()) : request.getIdsList();
        if (!ids.isEmpty() || !request.getDeleteAll()) models.delete(call.userId(), call.appId(), ids);
        return BaseResponse.getDefaultInstance();
    }

    /** Trains a new version in the background; the answer shows it queued (21103). */
    public SingleModelResponse postModelVersions(Call call, PostModelVersionsRequest request) {
        ModelVersion queued = training.start(call.userId(), call.appId(), request.getModelId());
        // The version as queued: training may already have moved it on, and says so when asked.
        ModelService.Described model = models.get(call.userId(), call.appId(), request.getModelId(), queued.id());
        return single(new ModelService.Described(model.model(), queued));
    }

    public MultiModelVersionResponse listModelVersions(Call call, ListModelVersionsRequest request) {
        MultiModelVersionResponse.Builder response = MultiModelVersionResponse.newBuilder();
        for (ModelVersion v : models.versions(call.userId(), call.appId(), request.getModelId(), Page.of(request.getPage(), request.getPerPage()))) {
            response.addModelVersions(version(v));
        }
        return response.build();
    }

    public SingleModelVersionResponse getModelVersion(Call call, GetModelVersionRequest request) {
        ModelService.Described d = models.get(call.userId(), call.appId(), request.getModelId(), request.getVersionId());
        return SingleModelVersionResponse.newBuilder().setModelVersion(version(d.version())).build();
    }

    public BaseResponse deleteModelVersion(Call call, DeleteModelVersionRequest request) {
        models.deleteVersion(call.userId(), call.appId(), request.getModelId(), request.getVersionId());
        return BaseResponse.getDefaultInstance();
    }

    public MultiConceptResponse listModelConcepts(Call call, ListModelConceptsRequest request) {
        ModelService.Described d = models.get(call.userId(), call.appId(), request.getModelId(), request.getVersionId());
        List<String> ids = d.version() != null && !d.version().concepts().isEmpty() ? d.version().concepts() : d.model().concepts();
        Page page = Page.of(request.getPage(), request.getPerPage());
        List<String> shown = ids.stream().skip(page.offset()).limit(page.perPage()).toList();
        Map<String, Concept> byId = concepts.byIds(call.userId(), call.appId(), shown);
        MultiConceptResponse.Builder response = MultiConceptResponse.newBuilder();
        for (String id : shown) {
            Concept c = byId.get(id);
            if (c != null) response.addConcepts(ConceptHandlers.toProto(c));
        }
        return response.build();
    }

    public MultiModelTypeResponse listModelTypes(Call call, ListModelTypesRequest request) {
        MultiModelTypeResponse.Builder response = MultiModelTypeResponse.newBuilder();
        for (ModelType t : ModelType.values()) response.addModelTypes(type(t));
        return response.build();
    }

    public SingleModelTypeResponse getModelType(Call call, GetModelTypeRequest request) {
        ModelType t = ModelType.of(request.getModelTypeId())
                .orElseThrow(() -> new ApiException(StatusCode.MODEL_DOES_NOT_EXIST, "Model type '" + request.getModelTypeId() + "' not found."));
        return SingleModelTypeResponse.newBuilder().setModelType(type(t)).build();
    }

    private static ModelService.ModelDraft draft(com.clarifai.grpc.api.Model m) {
        OutputInfo info = m.getOutputInfo();
        List<String> conceptIds = info.getData().getConceptsList().stream().map(com.clarifai.grpc.api.Concept::getId).toList();
        Boolean exclusive = info.hasOutputConfig() ? info.getOutputConfig().getConceptsMutuallyExclusive() : null;
        return new ModelService.ModelDraft(m.getId(), m.getName(), m.getModelTypeId(), m.getDescription(),
                info.hasData() ? conceptIds : null, exclusive);
    }

    private MultiModelResponse multi(List<ModelService.Described> list) {
        MultiModelResponse.Builder response = MultiModelResponse.newBuilder();
        list.forEach(d -> response.addModels(toProto(d)));
        return response.build();
    }

    private SingleModelResponse single(ModelService.Described d) {
        return SingleModelResponse.newBuilder().setModel(toProto(d)).build();
    }

    /** A model as the wire shows it, with its concepts read in one query. */
    public com.clarifai.grpc.api.Model toProto(ModelService.Described d) {
        Model m = d.model();
        Data.Builder data = Data.newBuilder();
        Map<String, Concept> byId = concepts.byIds(m.userId(), m.appId(), m.concepts());
        for (String id : m.concepts()) {
            Concept c = byId.get(id);
            if (c != null) data.addConcepts(ConceptHandlers.toProto(c));
        }
        com.clarifai.grpc.api.Model.Builder out = com.clarifai.grpc.api.Model.newBuilder()
                .setId(m.id()).setName(m.name()).setAppId(m.appId()).setUserId(m.userId())
                .setModelTypeId(m.typeId()).setDescription(m.description())
                .setCreatedAt(Timestamps.of(m.createdAt())).setModifiedAt(Timestamps.of(m.modifiedAt()))
                .setOutputInfo(OutputInfo.newBuilder().setData(data)
                        .setOutputConfig(OutputConfig.newBuilder().setConceptsMutuallyExclusive(m.mutuallyExclusive())));
        if (d.version() != null) out.setModelVersion(version(d.version()));
        return out.build();
    }

    static com.clarifai.grpc.api.ModelVersion version(ModelVersion v) {
        com.clarifai.grpc.api.ModelVersion.Builder out = com.clarifai.grpc.api.ModelVersion.newBuilder()
                .setId(v.id()).setAppId(v.appId()).setUserId(v.userId())
                .setCreatedAt(Timestamps.of(v.createdAt()))
                .setStatus(Statuses.of(StatusCode.forNumber(v.statusCode()), v.statusDetails()))
                .setActiveConceptCount(v.concepts().size())
                .setTotalInputCount(v.totalInputCount());
        if (v.completedAt() != null) out.setCompletedAt(Timestamps.of(v.completedAt()));
        return out.build();
    }

    private static com.clarifai.grpc.api.ModelType type(ModelType t) {
        return com.clarifai.grpc.api.ModelType.newBuilder().setId(t.id()).setTitle(t.title())
                .addAllInputFields(t.inputFields()).addAllOutputFields(t.outputFields())
                .setTrainable(t.trainable()).setCreatable(true).build();
    }
}
