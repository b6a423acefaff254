package dev.clavis.workflows;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.models.ModelService;
import dev.clavis.models.ModelType;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Ids;
import dev.clavis.protocol.Page;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The rules for workflows: nodes name models of the same app (so an app key's workflow never
 * reaches outside its app), the graph has no cycles, and a node fed by another takes what that
 * one gives: only a classifier takes input, and only from an embedder.
 */
public final class WorkflowService {
    public static final int MAX_NODES = 32;
    private static final int MAX_PER_REQUEST = 128;

    private final Jdbi jdbi;
    private final ModelService models;
    private final Clock clock;

    /** A workflow to create or replace. */
    public record WorkflowDraft(String id, String description, List<Workflow.Node> nodes) {}

    public WorkflowService(Jdbi jdbi, ModelService models, Clock clock) {
        this.jdbi = jdbi;
        this.models = models;
        this.clock = clock;
    }

    public List<Workflow> create(String userId, String appId, List<WorkflowDraft> drafts) {
        requireCount(drafts.size());
        List<WorkflowDraft> checked = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (WorkflowDraft d : drafts) {
            Ids.requireValid("workflow id", d.id(), 128);
            if (!ids.add(d.id())) throw duplicate(d.id());
            checked.add(new WorkflowDraft(d.id(), d.description() == null ? "" : d.description(), ordered(userId, appId, d.nodes())));
        }
        return jdbi.inTransaction(h -> {
            WorkflowStore store = h.attach(WorkflowStore.class);
            List<Workflow> out = new ArrayList<>();
            for (WorkflowDraft d : checked) {
                if (store.find(userId, appId, d.id()).isPresent()) throw duplicate(d.id());
                store.insert(userId, appId, d.id(), d.description(), WorkflowStore.toJson(d.nodes()), clock.millis());
                out.add(store.find(userId, appId, d.id()).orElseThrow());
            }
            return out;
        });
    }

    public Workflow get(String userId, String appId, String id) {
        return jdbi.onDemand(WorkflowStore.class).find(userId, appId, id).orElseThrow(() -> missing(id));
    }

    public List<Workflow> list(String userId, String appId, Page page) {
        return jdbi.onDemand(WorkflowStore.class).list(userId, appId, page.perPage(), page.offset());
    }

    /** Replaces the description and, when given, the nodes ("overwrite", the default, or "merge"). */
    public List<Workflow> patch(String userId, String appId, String action, List<WorkflowDraft> changes) {
        if (!action.isEmpty() && !action.equals("overwrite") && !action.equals("merge")) {
            throw new ApiException(StatusCode.WORKFLOW_INVALID_REQUEST, "action is overwrite or merge, not '" + action + "'.");
        }
        requireCount(changes.size());
        return jdbi.inTransaction(h -> {
            WorkflowStore store = h.attach(WorkflowStore.class);
            List<Workflow> out = new ArrayList<>();
            for (WorkflowDraft c : changes) {
                Workflow current = store.find(userId, appId, c.id()).orElseThrow(() -> missing(c.id()));
                List<Workflow.Node> nodes = c.nodes().isEmpty() ? current.nodes() : ordered(userId, appId, c.nodes());
                String description = c.description() == null || c.description().isEmpty() ? current.description() : c.description();
                store.update(userId, appId, current.id(), description, WorkflowStore.toJson(nodes), clock.millis());
                out.add(store.find(userId, appId, current.id()).orElseThrow());
            }
            return out;
        });
    }

    public void delete(String userId, String appId, List<String> ids) {
        if (ids.isEmpty()) throw new ApiException(StatusCode.WORKFLOW_INVALID_REQUEST, "Name the workflows to delete.");
        jdbi.useTransaction(h -> {
            WorkflowStore store = h.attach(WorkflowStore.class);
            for (String id : ids) store.find(userId, appId, id).orElseThrow(() -> missing(id));
            store.delete(userId, appId, List.copyOf(new LinkedHashSet<>(ids)));
        });
    }

    public List<String> allIds(String userId, String appId) {
        return jdbi.onDemand(WorkflowStore.class).ids(userId, appId);
    }

    /** Checks the nodes and returns them so that each comes after the nodes it takes input from. */
    private List<Workflow.Node> ordered(String userId, String appId, List<Workflow.Node> nodes) {
        if (nodes.isEmpty() || nodes.size() > MAX_NODES) throw invalid("A workflow has 1 to " + MAX_NODES + " nodes.");
        Map<String, Workflow.Node> byId = new HashMap<>();
        Map<String, ModelType> types = new HashMap<>();
        for (Workflow.Node n : nodes) {
            if (!Ids.valid(n.id(), 128)) throw invalid("Invalid node id '" + n.id() + "'.");
            if (byId.put(n.id(), n) != null) throw invalid("Node '" + n.id() + "' appears twice.");
            ModelService.Described model;
            try {
                model = models.get(userId, appId, n.modelId(), n.versionId());
            } catch (ApiException notInApp) {
                throw invalid("Node '" + n.id() + "': model '" + n.modelId() + "' is not a model of this app.");
            }
            types.put(n.id(), ModelType.of(model.model().typeId()).orElseThrow());
        }
        for (Workflow.Node n : nodes) {
            if (n.inputs().size() > 1) throw invalid("Node '" + n.id() + "' takes at most one input node.");
            for (String from : n.inputs()) {
                if (!byId.containsKey(from)) throw invalid("Node '" + n.id() + "' takes input from unknown node '" + from + "'.");
                boolean fits = types.get(n.id()) == ModelType.EMBEDDING_CLASSIFIER
                        && (types.get(from) == ModelType.VISUAL_EMBEDDER || types.get(from) == ModelType.TEXT_EMBEDDER);
                if (!fits) throw invalid("Node '" + n.id() + "' cannot take node '" + from + "''s output: only a classifier takes an embedder's.");
            }
        }
        List<Workflow.Node> out = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (out.size() < nodes.size()) {
            boolean progress = false;
            for (Workflow.Node n : nodes) {
                if (!placed.contains(n.id()) && placed.containsAll(n.inputs())) {
                    out.add(n);
                    placed.add(n.id());
                    progress = true;
                }
            }
            if (!progress) throw invalid("The nodes form a cycle.");
        }
        return out;
    }

    private static void requireCount(int n) {
        if (n == 0 || n > MAX_PER_REQUEST) throw invalid("Send 1 to " + MAX_PER_REQUEST + " workflows per request, not " + n + ".");
    }

    private static ApiException invalid(String details) {
        return new ApiException(StatusCode.WORKFLOW_INVALID_ARGUMENT, details);
    }

    private static ApiException missing(String id) {
        return new ApiException(StatusCode.WORKFLOW_DOES_NOT_EXIST, "Workflow '" + id + "' not found.");
    }

    private static ApiException duplicate(String id) {
        return new ApiException(StatusCode.DATABASE_DUPLICATE_KEY, "Workflow '" + id + "' already exists.");
    }
}
