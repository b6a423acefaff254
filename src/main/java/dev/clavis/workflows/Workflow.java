package dev.clavis.workflows;

import java.time.Instant;
import java.util.List;

/** A workflow of one app: its nodes in an order where every node comes after its inputs. */
public record Workflow(String userId, String appId, String id, String description, List<Node> nodes,
                       Instant createdAt, Instant modifiedAt) {

    /** One model in the graph; {@code versionId} empty = the model's latest trained version. */
    public record Node(String id, String modelId, String versionId, List<String> inputs, boolean suppressOutput) {}
}
