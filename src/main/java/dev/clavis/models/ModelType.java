package dev.clavis.models;

import java.util.List;
import java.util.Optional;

/** The kinds of model this server runs. Users may create any; only the classifier learns. */
public enum ModelType {
    COLOR_RECOGNIZER("color-recognizer", "Color recognizer", List.of("image"), List.of("concepts"), false),
    VISUAL_EMBEDDER("visual-embedder", "Visual embedder", List.of("image"), List.of("embeddings"), false),
    TEXT_EMBEDDER("text-embedder", "Text embedder", List.of("text"), List.of("embeddings"), false),
    EMBEDDING_CLASSIFIER("embedding-classifier", "Embedding classifier", List.of("image", "text"), List.of("concepts"), true);

    private final String id;
    private final String title;
    private final List<String> inputFields;
    private final List<String> outputFields;
    private final boolean trainable;

    ModelType(String id, String title, List<String> inputFields, List<String> outputFields, boolean trainable) {
        this.id = id;
        this.title = title;
        this.inputFields = inputFields;
        this.outputFields = outputFields;
        this.trainable = trainable;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public List<String> inputFields() {
        return inputFields;
    }

    public List<String> outputFields() {
        return outputFields;
    }

    public boolean trainable() {
        return trainable;
    }

    public static Optional<ModelType> of(String id) {
        for (ModelType t : values()) if (t.id.equals(id)) return Optional.of(t);
        return Optional.empty();
    }
}
