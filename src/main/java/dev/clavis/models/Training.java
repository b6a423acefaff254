package dev.clavis.models;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.Gson;
import dev.clavis.auth.Revocation;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.Secrets;
import dev.clavis.inputs.InputStore;
import dev.clavis.media.Media;
import dev.clavis.media.MediaLoader;
import dev.clavis.media.MediaRejected;
import dev.clavis.models.compute.ImageEmbedder;
import dev.clavis.models.compute.LogisticClassifier;
import dev.clavis.models.compute.TextEmbedder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains embedding classifiers in the background. A new version is queued (21103), then
 * training (21101), then trained (21100) with its learnt parameters, or failed with the reason
 * (21110 no data, 21111 a concept without positive examples, 21112 fewer than two classes).
 * Image and text inputs train separate heads, since their embeddings differ.
 */
public final class Training {
    private static final Logger log = LoggerFactory.getLogger(Training.class);
    static final Gson GSON = new Gson();

    private final Jdbi jdbi;
    private final MediaLoader media;
    private final ImageEmbedder imageEmbedder;
    private final TextEmbedder textEmbedder;
    private final Clock clock;
    private final Executor workers;
    private final LongAdder failures = new LongAdder();
    private final Revocations revocations;

    /** What a trained version stores: one head per kind of input it saw. Either may be null. */
    record Params(LogisticClassifier.Trained image, LogisticClassifier.Trained text) {}

    /** @param workers where training runs; its owner (the composition root) stops it */
    public Training(Jdbi jdbi, MediaLoader media, ImageEmbedder imageEmbedder, TextEmbedder textEmbedder, Executor workers,
                    Revocations revocations, Clock clock) {
        this.workers = workers;
        this.revocations = revocations;
        this.jdbi = jdbi;
        this.media = media;
        this.imageEmbedder = imageEmbedder;
        this.textEmbedder = textEmbedder;
        this.clock = clock;
    }

    /** Queues a new version of a classifier; returns it as queued. */
    public ModelVersion start(String userId, String appId, String modelId) {
        ModelStore store = jdbi.onDemand(ModelStore.class);
        Model model = store.find(userId, appId, modelId).orElseThrow(() -> ModelService.missing(modelId));
        if (!ModelType.of(model.typeId()).map(ModelType::trainable).orElse(false)) {
            throw new dev.clavis.protocol.ApiException(StatusCode.MODEL_INVALID_REQUEST, "Built-in models are trained already.");
        }
        if (model.concepts().isEmpty()) throw ModelService.invalid("Add concepts to the model's output_info before training it.");
        String versionId = Secrets.newId();
        store.insertVersion(userId, appId, modelId, versionId, StatusCode.MODEL_QUEUED_FOR_TRAINING_VALUE,
                String.join(" ", model.concepts()), clock.millis());
        ModelVersion version = store.findVersion(userId, appId, modelId, versionId).orElseThrow();
        workers.execute(() -> train(model, version));
        return version;
    }

    /** Trainings that ended without a trained version since start (no data, or an error). */
    public long failures() {
        return failures.sum();
    }

    /** Versions left queued or training by a stopped node are trained again. */
    public void resumeUnfinished() {
        ModelStore store = jdbi.onDemand(ModelStore.class);
        for (ModelVersion v : store.unfinished()) {
            store.find(v.userId(), v.appId(), v.modelId()).ifPresent(m -> workers.execute(() -> train(m, v)));
        }
    }

    private void train(Model model, ModelVersion version) {
        setStatus(model, version, StatusCode.MODEL_TRAINING_VALUE, "", null, 0, null);
        try {
            Result result = fit(model, version.concepts());
            if (result.code() != StatusCode.MODEL_TRAINED) failures.increment();
            setStatus(model, version, result.code().getNumber(), result.details(),
                    result.params() == null ? null : GSON.toJson(result.params()), result.inputs(), clock.millis());
        } catch (RuntimeException e) {
            failures.increment();
            log.error("training {}/{}/{} version {} failed", model.userId(), model.appId(), model.id(), version.id(), e);
            setStatus(model, version, StatusCode.MODEL_TRAINING_FAILED_VALUE, "Training failed: internal error.", null, 0,
                    clock.millis());
        }
    }

    /** Moves a version on; the model's cached descriptions (its latest trained version) go with it. */
    private void setStatus(Model model, ModelVersion version, int code, String details, String params, int inputs,
                           Long completedAt) {
        jdbi.useTransaction(h -> {
            h.attach(ModelStore.class).updateVersion(model.userId(), model.appId(), model.id(), version.id(), code, details,
                    params, inputs, completedAt);
            revocations.record(h, new Revocation.Model(model.userId(), model.appId(), model.id()));
        });
    }

    private record Result(StatusCode code, String details, Params params, int inputs) {}

    private Result fit(Model model, List<String> concepts) {
        InputStore inputs = jdbi.onDemand(InputStore.class);
        Map<String, Set<String>> positives = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        for (InputStore.Mark mark : inputs.marks(model.userId(), model.appId(), concepts)) {
            kinds.put(mark.inputId(), mark.kind());
            Set<String> set = positives.computeIfAbsent(mark.inputId(), k -> new HashSet<>());
            if (mark.value() > 0) set.add(mark.conceptId());
        }
        if (kinds.isEmpty()) {
            return new Result(StatusCode.MODEL_TRAINING_NO_DATA, "No ready input is annotated with the model's concepts.", null, 0);
        }
        Set<String> seen = new HashSet<>();
        positives.values().forEach(seen::addAll);
        List<String> without = concepts.stream().filter(c -> !seen.contains(c)).toList();
        if (!without.isEmpty()) {
            return new Result(StatusCode.MODEL_TRAINING_NO_POSITIVES, "No positive examples for: " + String.join(", ", without) + ".", null, kinds.size());
        }
        if (model.mutuallyExclusive() && concepts.size() < 2) {
            return new Result(StatusCode.MODEL_TRAINING_ONE_VS_N_SINGLE_CLASS, "Mutually exclusive concepts need at least two.", null, kinds.size());
        }
        List<LogisticClassifier.Example> images = new ArrayList<>();
        List<LogisticClassifier.Example> texts = new ArrayList<>();
        int used = 0;
        for (Map.Entry<String, String> input : kinds.entrySet()) {
            Set<String> labels = positives.get(input.getKey());
            if (model.mutuallyExclusive() && labels.isEmpty()) continue; // softmax needs a class
            byte[] content = inputs.content(model.userId(), model.appId(), input.getKey()).orElse(null);
            if (content == null) continue; // deleted meanwhile
            try {
                Media m = media.stored(input.getValue(), content);
                if (m instanceof Media.Picture p) images.add(new LogisticClassifier.Example(imageEmbedder.embed(p.pixels()), labels));
                if (m instanceof Media.Text t) texts.add(new LogisticClassifier.Example(textEmbedder.embed(t.text()), labels));
                used++;
            } catch (MediaRejected unreadable) {
                log.warn("input {} skipped in training: {}", input.getKey(), unreadable.getMessage());
            }
        }
        if (used == 0) return new Result(StatusCode.MODEL_TRAINING_NO_DATA, "No usable training input.", null, 0);
        Params params = new Params(
                images.isEmpty() ? null : LogisticClassifier.train(images, concepts, model.mutuallyExclusive()),
                texts.isEmpty() ? null : LogisticClassifier.train(texts, concepts, model.mutuallyExclusive()));
        return new Result(StatusCode.MODEL_TRAINED, "", params, used);
    }

}
