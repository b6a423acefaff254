package dev.clavis.models;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.Gson;
import dev.clavis.auth.Revocation;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.Secrets;
import dev.clavis.inputs.InputStore;
import dev.clavis.jobs.Job;
import dev.clavis.jobs.JobQueue;
import dev.clavis.jobs.JobWorkers;
import dev.clavis.jobs.Lease;
import dev.clavis.media.Media;
import dev.clavis.media.MediaLoader;
import dev.clavis.media.MediaRejected;
import dev.clavis.models.compute.ImageEmbedder;
import dev.clavis.models.compute.LogisticClassifier;
import dev.clavis.models.compute.TextEmbedder;
import dev.clavis.protocol.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains embedding classifiers in the background, as {@link Job#TRAINING} jobs that any node
 * may run. A new version is queued (21103), then training (21101), then trained (21100) with its
 * learnt parameters, or failed with the reason (21110 no data, 21111 a concept without positive
 * examples, 21112 fewer than two classes). Image and text inputs train separate heads, since
 * their embeddings differ. Each status is written under the job's lease.
 */
public final class Training implements JobWorkers.Handler {
    private static final Logger log = LoggerFactory.getLogger(Training.class);
    static final Gson GSON = new Gson();

    private final Jdbi jdbi;
    private final MediaLoader media;
    private final ImageEmbedder imageEmbedder;
    private final TextEmbedder textEmbedder;
    private final Clock clock;
    private final JobQueue jobs;
    private final Revocations revocations;

    /** What a trained version stores: one head per kind of input it saw. Either may be null. */
    record Params(LogisticClassifier.Trained image, LogisticClassifier.Trained text) {}

    public Training(Jdbi jdbi, MediaLoader media, ImageEmbedder imageEmbedder, TextEmbedder textEmbedder, JobQueue jobs,
                    Revocations revocations, Clock clock) {
        this.jobs = jobs;
        this.revocations = revocations;
        this.jdbi = jdbi;
        this.media = media;
        this.imageEmbedder = imageEmbedder;
        this.textEmbedder = textEmbedder;
        this.clock = clock;
    }

    /** Queues a new version of a classifier; returns it as queued. */
    public ModelVersion start(String userId, String appId, String modelId) {
        ModelStore models = jdbi.onDemand(ModelStore.class);
        Model model = models.find(userId, appId, modelId).orElseThrow(() -> ModelService.missing(modelId));
        if (!ModelType.of(model.typeId()).map(ModelType::trainable).orElse(false)) {
            throw new ApiException(StatusCode.MODEL_INVALID_REQUEST, "Built-in models are trained already.");
        }
        if (model.concepts().isEmpty()) throw ModelService.invalid("Add concepts to the model's output_info before training it.");
        String versionId = Secrets.newId();
        return jdbi.inTransaction(h -> {
            ModelStore store = h.attach(ModelStore.class);
            store.insertVersion(userId, appId, modelId, versionId, StatusCode.MODEL_QUEUED_FOR_TRAINING_VALUE,
                    String.join(" ", model.concepts()), clock.millis());
            jobs.add(h, Job.TRAINING, userId, appId, List.of(modelId + "/" + versionId));
            return store.findVersion(userId, appId, modelId, versionId).orElseThrow();
        });
    }

    @Override
    public void run(Lease lease) {
        Job job = lease.job();
        String modelId = modelId(job);
        String versionId = versionId(job);
        ModelStore store = jdbi.onDemand(ModelStore.class);
        Model model = store.find(job.userId(), job.appId(), modelId).orElse(null);
        ModelVersion version = model == null ? null : store.findVersion(job.userId(), job.appId(), modelId, versionId).orElse(null);
        if (version == null) {
            lease.finish(true, "Nothing to do: the model or version was deleted.", h -> {});
            return;
        }
        lease.write(h -> setStatus(h, model, versionId, StatusCode.MODEL_TRAINING_VALUE, "", null, 0, null));
        Result result = fit(model, version.concepts());
        boolean trained = result.code() == StatusCode.MODEL_TRAINED;
        lease.finish(trained, trained ? "Trained on " + result.inputs() + " inputs." : result.details(),
                h -> setStatus(h, model, versionId, result.code().getNumber(), result.details(),
                        result.params() == null ? null : GSON.toJson(result.params()), result.inputs(), clock.millis()));
    }

    @Override
    public void abandon(Handle transaction, Job job, String why) {
        ModelStore store = transaction.attach(ModelStore.class);
        store.find(job.userId(), job.appId(), modelId(job)).ifPresent(model -> setStatus(transaction, model, versionId(job),
                StatusCode.MODEL_TRAINING_FAILED_VALUE, "Training " + why.substring(0, 1).toLowerCase(Locale.ROOT)
                        + why.substring(1), null, 0, clock.millis()));
    }

    private static String modelId(Job job) {
        return job.target().substring(0, job.target().lastIndexOf('/'));
    }

    private static String versionId(Job job) {
        return job.target().substring(job.target().lastIndexOf('/') + 1);
    }

    /** Moves a version on; the model's cached descriptions (its latest trained version) go with it. */
    private void setStatus(Handle h, Model model, String versionId, int code, String details, String params, int inputs,
                           Long completedAt) {
        h.attach(ModelStore.class).updateVersion(model.userId(), model.appId(), model.id(), versionId, code, details,
                params, inputs, completedAt);
        revocations.record(h, new Revocation.Model(model.userId(), model.appId(), model.id()));
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
