package dev.clavis.models;

import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.Embedding;
import com.clarifai.grpc.api.OutputConfig;
import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.concepts.Concept;
import dev.clavis.concepts.ConceptService;
import dev.clavis.media.Media;
import dev.clavis.media.MediaLoader;
import dev.clavis.media.MediaRejected;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What predictions and workflow results share: reading a request input's media, echoing the
 * input without its bytes, and turning a prediction into {@code Data} with the output config
 * (min_value, max_concepts, select_concepts) applied.
 */
public final class Outputs {
    /** How long one request may spend downloading the inputs it names by URL. */
    public static final Duration FETCH_BUDGET = Duration.ofSeconds(30);

    private final MediaLoader media;
    private final ConceptService concepts;

    public Outputs(MediaLoader media, ConceptService concepts) {
        this.media = media;
        this.concepts = concepts;
    }

    /**
     * Reads an input's media. Past {@code deadline}, inputs by URL are refused rather than
     * fetched: a request of 128 slow URLs must not hold its caller for half an hour.
     */
    public Media load(com.clarifai.grpc.api.Input input, Instant deadline) throws MediaRejected {
        return load(input, deadline, 0);
    }

    /** The same for a model that looks at no more than {@code samples} pixels of an image (0: all). */
    public Media load(com.clarifai.grpc.api.Input input, Instant deadline, long samples) throws MediaRejected {
        Data d = input.getData();
        boolean byUrl = !d.getImage().getUrl().isEmpty() || !d.getText().getUrl().isEmpty();
        if (byUrl && Instant.now().isAfter(deadline)) {
            throw new MediaRejected(StatusCode.INPUT_DOWNLOAD_FAILED,
                    "Download skipped: the request's time for downloads (" + FETCH_BUDGET.toSeconds() + " s) ran out.");
        }
        return media.load(
                d.getImage().getBase64().isEmpty() ? null : d.getImage().getBase64().toByteArray(),
                d.getImage().getUrl().isEmpty() ? null : d.getImage().getUrl(),
                d.getText().getRaw().isEmpty() ? null : d.getText().getRaw(),
                d.getText().getUrl().isEmpty() ? null : d.getText().getUrl(), samples);
    }

    /** The input as given, without its bytes: callers know them, and they can be megabytes. */
    public static com.clarifai.grpc.api.Input echo(com.clarifai.grpc.api.Input input) {
        com.clarifai.grpc.api.Input.Builder out = input.toBuilder();
        if (out.getData().hasImage()) out.getDataBuilder().getImageBuilder().clearBase64();
        return out.build();
    }

    /** When a request starting now must stop downloading. */
    public static Instant fetchDeadline() {
        return Instant.now().plus(FETCH_BUDGET);
    }

    /** A cache of concept names for one request's outputs, by user/app/concept. */
    public Map<String, String> names() {
        return new HashMap<>();
    }

    public Data data(Model model, Predictor.Prediction prediction, OutputConfig config, Map<String, String> names) {
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
                        .setId(s.id()).setName(s.name() != null ? s.name() : name(model, s.id(), names))
                        .setValue((float) s.value()).setAppId(model.appId())));
        return data.build();
    }

    /**
     * A concept's name: the first time one of a model's concepts is asked for, all of them are
     * read in one query. A concept gone since training is shown by its id.
     */
    private String name(Model model, String conceptId, Map<String, String> names) {
        String key = model.userId() + "/" + model.appId() + "/" + conceptId;
        String known = names.get(key);
        if (known != null) return known;
        Map<String, Concept> read = concepts.byIds(model.userId(), model.appId(), model.concepts());
        for (String id : model.concepts()) {
            names.put(model.userId() + "/" + model.appId() + "/" + id, read.containsKey(id) ? read.get(id).name() : id);
        }
        return names.computeIfAbsent(key, k -> conceptId);
    }
}
