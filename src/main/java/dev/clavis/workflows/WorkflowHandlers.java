package dev.clavis.workflows;

import com.clarifai.grpc.api.DeleteWorkflowRequest;
import com.clarifai.grpc.api.DeleteWorkflowsRequest;
import com.clarifai.grpc.api.GetWorkflowRequest;
import com.clarifai.grpc.api.ListWorkflowsRequest;
import com.clarifai.grpc.api.MultiWorkflowResponse;
import com.clarifai.grpc.api.NodeInput;
import com.clarifai.grpc.api.Output;
import com.clarifai.grpc.api.OutputConfig;
import com.clarifai.grpc.api.PatchWorkflowsRequest;
import com.clarifai.grpc.api.PostWorkflowResultsRequest;
import com.clarifai.grpc.api.PostWorkflowResultsResponse;
import com.clarifai.grpc.api.PostWorkflowsRequest;
import com.clarifai.grpc.api.SingleWorkflowResponse;
import com.clarifai.grpc.api.WorkflowNode;
import com.clarifai.grpc.api.WorkflowResult;
import com.clarifai.grpc.api.status.BaseResponse;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.auth.Secrets;
import dev.clavis.media.Media;
import dev.clavis.media.MediaRejected;
import dev.clavis.models.ModelHandlers;
import dev.clavis.models.ModelService;
import dev.clavis.models.ModelType;
import dev.clavis.models.Outputs;
import dev.clavis.models.Predictor;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Call;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Statuses;
import dev.clavis.protocol.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The workflow RPCs, and PostWorkflowResults running each node's model on each input. */
public final class WorkflowHandlers {
    private static final int MAX_INPUTS = 128;

    private final WorkflowService workflows;
    private final ModelService models;
    private final ModelHandlers modelViews;
    private final Predictor predictor;
    private final Outputs outputs;
    private final Clock clock;

    public WorkflowHandlers(WorkflowService workflows, ModelService models, ModelHandlers modelViews, Predictor predictor,
                            Outputs outputs, Clock clock) {
        this.workflows = workflows;
        this.models = models;
        this.modelViews = modelViews;
        this.predictor = predictor;
        this.outputs = outputs;
        this.clock = clock;
    }

    public MultiWorkflowResponse postWorkflows(Call call, PostWorkflowsRequest request) {
        return multi(workflows.create(call.userId(), call.appId(), request.getWorkflowsList().stream().map(WorkflowHandlers::draft).toList()));
    }

    public MultiWorkflowResponse listWorkflows(Call call, ListWorkflowsRequest request) {
        if (!call.target().hasApp()) throw new ApiException(StatusCode.CONN_KEY_INVALID, "Must provide app_id: workflows are listed per app.");
        return multi(workflows.list(call.userId(), call.appId(), Page.of(request.getPage(), request.getPerPage())));
    }

    public SingleWorkflowResponse getWorkflow(Call call, GetWorkflowRequest request) {
        return SingleWorkflowResponse.newBuilder().setWorkflow(toProto(workflows.get(call.userId(), call.appId(), request.getWorkflowId()))).build();
    }

    public MultiWorkflowResponse patchWorkflows(Call call, PatchWorkflowsRequest request) {
        return multi(workflows.patch(call.userId(), call.appId(), request.getAction(),
                request.getWorkflowsList().stream().map(WorkflowHandlers::draft).toList()));
    }

    public BaseResponse deleteWorkflow(Call call, DeleteWorkflowRequest request) {
        workflows.delete(call.userId(), call.appId(), List.of(request.getWorkflowId()));
        return BaseResponse.getDefaultInstance();
    }

    public BaseResponse deleteWorkflows(Call call, DeleteWorkflowsRequest request) {
        List<String> ids = request.getDeleteAll() ? workflows.allIds(call.userId(), call.appId()) : request.getIdsList();
        if (!ids.isEmpty() || !request.getDeleteAll()) workflows.delete(call.userId(), call.appId(), ids);
        return BaseResponse.getDefaultInstance();
    }

    public PostWorkflowResultsResponse postWorkflowResults(Call call, PostWorkflowResultsRequest request) {
        Workflow workflow = workflows.get(call.userId(), call.appId(), request.getWorkflowId());
        if (request.getInputsCount() == 0 || request.getInputsCount() > MAX_INPUTS) {
            throw new ApiException(StatusCode.WORKFLOW_INVALID_REQUEST, "Send 1 to " + MAX_INPUTS + " inputs per request.");
        }
        Map<String, ModelService.Described> nodeModels = new HashMap<>();
        Map<String, com.clarifai.grpc.api.Model> nodeViews = new HashMap<>();
        for (Workflow.Node n : workflow.nodes()) {
            ModelService.Described d = models.get(call.userId(), call.appId(), n.modelId(), n.versionId());
            if (d.version() == null || !d.version().trained()) {
                throw new ApiException(StatusCode.MODEL_UNTRAINED, "Node '" + n.id() + "': model '" + n.modelId() + "' has no trained version.");
            }
            nodeModels.put(n.id(), d);
            // Mapped once per request, not once per input and node.
            nodeViews.put(n.id(), modelViews.toProto(d));
        }
        PostWorkflowResultsResponse.Builder response = PostWorkflowResultsResponse.newBuilder().setWorkflow(toProto(workflow));
        Map<String, String> names = outputs.names();
        Instant deadline = Outputs.fetchDeadline();
        int failed = 0;
        for (com.clarifai.grpc.api.Input input : request.getInputsList()) {
            WorkflowResult result = run(workflow, nodeModels, nodeViews, input, request.getOutputConfig(), names, deadline);
            if (result.getStatus().getCode() != StatusCode.SUCCESS) failed++;
            response.addResults(result);
        }
        if (failed > 0) {
            StatusCode overall = failed == request.getInputsCount() ? StatusCode.FAILURE : StatusCode.MIXED_STATUS;
            response.setStatus(Statuses.of(overall, failed + " of " + request.getInputsCount() + " inputs failed; each result says why."));
        }
        return response.build();
    }

    /** One input through every node, in order; a node fed by a failed node fails too. */
    private WorkflowResult run(Workflow workflow, Map<String, ModelService.Described> nodeModels,
                               Map<String, com.clarifai.grpc.api.Model> nodeViews, com.clarifai.grpc.api.Input input,
                               OutputConfig config, Map<String, String> names, Instant deadline) {
        WorkflowResult.Builder result = WorkflowResult.newBuilder().setId(Secrets.newId()).setCreatedAt(Timestamps.of(clock.instant()))
                .setInput(Outputs.echo(input));
        Media media;
        try {
            media = outputs.load(input, deadline);
        } catch (MediaRejected e) {
            return result.setStatus(Statuses.of(e.code(), e.getMessage())).build();
        }
        Map<String, Predictor.Prediction> done = new HashMap<>();
        boolean allOk = true;
        for (Workflow.Node node : workflow.nodes()) {
            ModelService.Described d = nodeModels.get(node.id());
            Output.Builder output = Output.newBuilder().setId(Secrets.newId()).setCreatedAt(Timestamps.of(clock.instant()))
                    .setModel(nodeViews.get(node.id())).setInput(Outputs.echo(input));
            try {
                Predictor.Prediction prediction;
                if (node.inputs().isEmpty()) {
                    prediction = predictor.run(d.model(), d.version(), media);
                } else {
                    String from = node.inputs().get(0);
                    if (!(done.get(from) instanceof Predictor.Prediction.Embedding embedding)) {
                        throw new MediaRejected(StatusCode.FAILURE, "Node '" + from + "' gave no embedding.");
                    }
                    boolean picture = ModelType.of(nodeModels.get(from).model().typeId()).orElseThrow() == ModelType.VISUAL_EMBEDDER;
                    prediction = predictor.classifyEmbedding(d.version(), embedding.vector(), picture);
                }
                done.put(node.id(), prediction);
                output.setData(outputs.data(d.model(), prediction, config, names)).setStatus(Statuses.of(StatusCode.SUCCESS, null));
            } catch (MediaRejected e) {
                allOk = false;
                output.setStatus(Statuses.of(e.code(), e.getMessage()));
            }
            if (!node.suppressOutput()) result.addOutputs(output);
        }
        return result.setStatus(allOk ? Statuses.of(StatusCode.SUCCESS, null)
                : Statuses.of(StatusCode.FAILURE, "A node failed; its output says why.")).build();
    }

    private static WorkflowService.WorkflowDraft draft(com.clarifai.grpc.api.Workflow w) {
        List<Workflow.Node> nodes = w.getNodesList().stream().map(n -> new Workflow.Node(n.getId(), n.getModel().getId(),
                n.getModel().getModelVersion().getId(), n.getNodeInputsList().stream().map(NodeInput::getNodeId).toList(),
                n.getSuppressOutput())).toList();
        return new WorkflowService.WorkflowDraft(w.getId(), w.getDescription(), nodes);
    }

    private static MultiWorkflowResponse multi(List<Workflow> list) {
        return MultiWorkflowResponse.newBuilder().addAllWorkflows(list.stream().map(WorkflowHandlers::toProto).toList()).build();
    }

    static com.clarifai.grpc.api.Workflow toProto(Workflow w) {
        com.clarifai.grpc.api.Workflow.Builder out = com.clarifai.grpc.api.Workflow.newBuilder()
                .setId(w.id()).setAppId(w.appId()).setUserId(w.userId()).setDescription(w.description())
                .setCreatedAt(Timestamps.of(w.createdAt())).setModifiedAt(Timestamps.of(w.modifiedAt()));
        for (Workflow.Node n : w.nodes()) {
            WorkflowNode.Builder node = WorkflowNode.newBuilder().setId(n.id()).setSuppressOutput(n.suppressOutput())
                    .setModel(com.clarifai.grpc.api.Model.newBuilder().setId(n.modelId()).setAppId(w.appId()).setUserId(w.userId())
                            .setModelVersion(com.clarifai.grpc.api.ModelVersion.newBuilder().setId(n.versionId())));
            n.inputs().forEach(i -> node.addNodeInputs(NodeInput.newBuilder().setNodeId(i)));
            out.addNodes(node);
        }
        return out.build();
    }
}
