package dev.clavis.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clavis.inputs.Input;
import dev.clavis.inputs.InputService;
import dev.clavis.inputs.InputStore;
import dev.clavis.media.Media;
import dev.clavis.media.MediaLoader;
import dev.clavis.media.MediaRejected;
import dev.clavis.models.ModelService;
import dev.clavis.models.ModelType;
import dev.clavis.models.Predictor;
import dev.clavis.models.compute.ImageEmbedder;
import dev.clavis.models.compute.TextEmbedder;
import dev.clavis.models.compute.Vectors;
import dev.clavis.protocol.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Searches an app's inputs in memory: fine for the thousands of inputs a self-hosted app holds
 * (at most {@link #MAX_SCANNED} are considered), not for millions. Embeddings of stored inputs
 * are computed once and kept, since an input's media never changes.
 */
public final class SearchService {
    public static final int MAX_SCANNED = 10_000;
    private static final double PREDICTED_THRESHOLD = 0.5;

    private final Jdbi jdbi;
    private final InputService inputs;
    private final ModelService models;
    private final Predictor predictor;
    private final MediaLoader media;
    private final ImageEmbedder imageEmbedder;
    private final TextEmbedder textEmbedder;
    private final Cache<String, float[]> embeddings = Caffeine.newBuilder().maximumSize(100_000).build();

    /** A matching input and its score: cosine similarity when ranked, 1 otherwise. */
    public record Hit(Input input, double score) {}

    public SearchService(Jdbi jdbi, InputService inputs, ModelService models, Predictor predictor, MediaLoader media,
                         ImageEmbedder imageEmbedder, TextEmbedder textEmbedder) {
        this.jdbi = jdbi;
        this.inputs = inputs;
        this.models = models;
        this.predictor = predictor;
        this.media = media;
        this.imageEmbedder = imageEmbedder;
        this.textEmbedder = textEmbedder;
    }

    public List<Hit> search(String userId, String appId, Criteria criteria, Page page) {
        List<Input> candidates = inputs.list(userId, appId, List.of(), new Page(1, MAX_SCANNED)).stream()
                .filter(i -> i.statusCode() == 30000).toList();
        List<ModelService.Described> classifiers = criteria.concepts().stream().anyMatch(Criteria.ConceptCriterion::predicted)
                ? models.list(userId, appId, ModelType.EMBEDDING_CLASSIFIER.id(), "", new Page(1, 1000)).stream()
                        .filter(d -> d.version() != null).toList()
                : List.of();
        float[] query = criteria.ranked() ? queryVector(userId, appId, criteria) : null;
        boolean queryIsPicture = criteria.similarTo() instanceof Media.Picture
                || (criteria.similarToInput() != null && kindOf(userId, appId, criteria.similarToInput()).equals("IMAGE"));

        List<Hit> hits = new ArrayList<>();
        for (Input input : candidates) {
            if (!matchesMetadata(input, criteria.metadata())) continue;
            if (!matchesConcepts(input, criteria.concepts(), classifiers)) continue;
            if (query == null) {
                hits.add(new Hit(input, 1.0));
            } else if (input.kind().equals("IMAGE") == queryIsPicture) {
                float[] vector = embedding(input);
                if (vector != null) hits.add(new Hit(input, Vectors.cosine(query, vector)));
            }
        }
        if (query != null) hits.sort(Comparator.comparingDouble(Hit::score).reversed());
        return hits.stream().skip(page.offset()).limit(page.perPage()).toList();
    }

    private float[] queryVector(String userId, String appId, Criteria criteria) {
        if (criteria.similarToInput() != null) {
            float[] v = embedding(inputs.get(userId, appId, criteria.similarToInput()));
            return v == null ? new float[0] : v;
        }
        return criteria.similarTo() instanceof Media.Picture p ? imageEmbedder.embed(p.pixels())
                : textEmbedder.embed(((Media.Text) criteria.similarTo()).text());
    }

    private String kindOf(String userId, String appId, String inputId) {
        return inputs.get(userId, appId, inputId).kind();
    }

    /** The built-in embedding of a stored input; null if its media cannot be read. */
    private float[] embedding(Input input) {
        String key = input.userId() + "/" + input.appId() + "/" + input.id() + "/" + input.createdAt().toEpochMilli();
        return embeddings.get(key, k -> {
            Optional<byte[]> content = jdbi.onDemand(InputStore.class).content(input.userId(), input.appId(), input.id());
            if (content.isEmpty()) return null;
            try {
                Media m = media.stored(input.kind(), content.get());
                return m instanceof Media.Picture p ? imageEmbedder.embed(p.pixels()) : textEmbedder.embed(((Media.Text) m).text());
            } catch (MediaRejected unreadable) {
                return null;
            }
        });
    }

    private boolean matchesConcepts(Input input, List<Criteria.ConceptCriterion> wanted, List<ModelService.Described> classifiers) {
        for (Criteria.ConceptCriterion c : wanted) {
            boolean has = c.predicted() ? predicted(input, c.idOrName(), classifiers)
                    : input.concepts().stream().anyMatch(k -> k.value() > 0 && (k.id().equals(c.idOrName()) || k.name().equals(c.idOrName())));
            if (has != c.present()) return false;
        }
        return true;
    }

    /**
     * Whether one of the app's classifiers gives the concept at least {@link #PREDICTED_THRESHOLD}.
     * Classifiers take the built-in embeddings, so the input's cached embedding serves every one
     * of them: no media is read or decoded again per classifier.
     */
    private boolean predicted(Input input, String concept, List<ModelService.Described> classifiers) {
        float[] vector = null;
        for (ModelService.Described d : classifiers) {
            if (!d.model().concepts().contains(concept)) continue;
            if (vector == null) vector = embedding(input);
            if (vector == null) return false;
            try {
                Predictor.Prediction p = predictor.classifyEmbedding(d.version(), vector, input.kind().equals("IMAGE"));
                if (p instanceof Predictor.Prediction.Concepts cs
                        && cs.concepts().stream().anyMatch(s -> s.id().equals(concept) && s.value() >= PREDICTED_THRESHOLD)) {
                    return true;
                }
            } catch (MediaRejected notForThisKind) {
                // e.g. a text input and a classifier trained on images only
            }
        }
        return false;
    }

    private static boolean matchesMetadata(Input input, List<String> wanted) {
        if (wanted.isEmpty()) return true;
        JsonObject actual = JsonParser.parseString(input.metadata()).getAsJsonObject();
        for (String w : wanted) {
            if (!contains(actual, JsonParser.parseString(w))) return false;
        }
        return true;
    }

    /** Whether {@code actual} holds everything {@code wanted} names, objects compared key by key. */
    private static boolean contains(JsonElement actual, JsonElement wanted) {
        if (wanted.isJsonObject()) {
            if (actual == null || !actual.isJsonObject()) return false;
            for (Map.Entry<String, JsonElement> e : wanted.getAsJsonObject().entrySet()) {
                if (!contains(actual.getAsJsonObject().get(e.getKey()), e.getValue())) return false;
            }
            return true;
        }
        if (actual == null) return false;
        if (wanted.isJsonPrimitive() && wanted.getAsJsonPrimitive().isNumber() && actual.isJsonPrimitive()
                && actual.getAsJsonPrimitive().isNumber()) {
            return wanted.getAsDouble() == actual.getAsDouble();
        }
        return actual.equals(wanted);
    }
}
