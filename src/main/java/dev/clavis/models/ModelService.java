package dev.clavis.models;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.auth.RevocableCache;
import io.micrometer.core.instrument.MeterRegistry;
import dev.clavis.auth.Revocation;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.Secrets;
import dev.clavis.concepts.ConceptService;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Ids;
import dev.clavis.protocol.Page;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The rules for models and versions: users create embedding classifiers over their own concepts,
 * and may add the fixed extractors to their apps (ready at once); the built-in models of
 * {@code clavis/main} are there to use, not to change. Training is {@link Training}'s.
 */
public final class ModelService {
    public static final int MAX_PER_REQUEST = 128;
    private static final int MAX_ID = 128;

    private final Jdbi jdbi;
    private final ConceptService concepts;
    private final Clock clock;
    private final Revocations revocations;
    private final RevocableCache<ModelRef, Described> described = new RevocableCache<>(10_000, Duration.ofMinutes(10));

    /** A model to create or change; null fields stay as they are on change. */
    public record ModelDraft(String id, String name, String typeId, String description, List<String> concepts,
                             Boolean mutuallyExclusive) {}

    /** A model with its newest trained version, if any. */
    public record Described(Model model, ModelVersion version) {}

    /** A model and a version id, "" for its latest trained version. */
    private record ModelRef(String userId, String appId, String modelId, String versionId) {}


    public ModelService(Jdbi jdbi, ConceptService concepts, Revocations revocations, Clock clock) {
        this.jdbi = jdbi;
        this.concepts = concepts;
        this.revocations = revocations;
        this.clock = clock;
    }

    public List<Described> create(String userId, String appId, List<ModelDraft> drafts) {
        requireCount(drafts.size());
        Set<String> ids = new HashSet<>();
        for (ModelDraft d : drafts) {
            if (d.id() != null && !d.id().isEmpty() && !ids.add(d.id())) throw duplicate(d.id());
        }
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            ModelStore store = h.attach(ModelStore.class);
            List<Described> out = new ArrayList<>();
            for (ModelDraft d : drafts) {
                String id = d.id() == null || d.id().isEmpty() ? Secrets.newId() : d.id();
                Ids.requireValid("model id", id, MAX_ID);
                String typeId = d.typeId() == null || d.typeId().isEmpty() ? ModelType.EMBEDDING_CLASSIFIER.id() : d.typeId();
                ModelType type = ModelType.of(typeId).orElseThrow(() -> invalid("Unknown model type '" + typeId + "'."));
                if (store.find(userId, appId, id).isPresent()) throw duplicate(id);
                List<String> conceptIds = conceptIds(d.concepts());
                concepts.ensure(h, userId, appId, conceptIds.stream().map(c -> new ConceptService.ConceptDraft(c, null)).toList());
                store.insert(userId, appId, id, name(d, id), typeId, d.description() == null ? "" : d.description(),
                        String.join(" ", conceptIds), Boolean.TRUE.equals(d.mutuallyExclusive()) ? 1 : 0, now);
                if (!type.trainable()) {
                    // A fixed extractor has nothing to learn: its one version is ready at once.
                    String versionId = Secrets.newId();
                    store.insertVersion(userId, appId, id, versionId, StatusCode.MODEL_TRAINED_VALUE, "", now);
                    store.updateVersion(userId, appId, id, versionId, StatusCode.MODEL_TRAINED_VALUE, "", null, 0, now);
                }
                out.add(new Described(store.find(userId, appId, id).orElseThrow(), store.latestTrained(userId, appId, id).orElse(null)));
            }
            return out;
        });
    }

    /**
     * A model with the version asked for, or its latest trained one. Cached: every prediction asks,
     * and every change to a model or its versions revokes it (see {@link #revoke}).
     */
    public Described get(String userId, String appId, String modelId, String versionId) {
        String version = versionId == null ? "" : versionId;
        return described.get(new ModelRef(userId, appId, modelId, version), ref -> Optional.of(load(ref))).orElseThrow();
    }

    private Described load(ModelRef ref) {
        ModelStore store = jdbi.onDemand(ModelStore.class);
        Model model = store.find(ref.userId(), ref.appId(), ref.modelId()).orElseThrow(() -> missing(ref.modelId()));
        ModelVersion version = ref.versionId().isEmpty()
                ? store.latestTrained(ref.userId(), ref.appId(), ref.modelId()).orElse(null)
                : store.findVersion(ref.userId(), ref.appId(), ref.modelId(), ref.versionId())
                        .orElseThrow(() -> missingVersion(ref.versionId()));
        return new Described(model, version);
    }

    /** Drops what a committed change revoked from the model cache. */
    /** The model-description cache's size and hit ratio. */
    public void bindTo(MeterRegistry registry) {
        described.bindTo(registry, "models");
    }

    public void revoke(Revocation revocation) {
        if (revocation instanceof Revocation.Model m) {
            described.revokeWhere(d -> d.model().userId().equals(m.userId()) && d.model().appId().equals(m.appId())
                    && d.model().id().equals(m.modelId()));
        } else if (revocation instanceof Revocation.App app) {
            described.revokeWhere(d -> d.model().userId().equals(app.userId()) && d.model().appId().equals(app.appId()));
        } else if (revocation instanceof Revocation.Everything) {
            described.revokeAll();
        }
    }

    /** An app's models; with no app (a PAT on the user-level route), the user's models in all apps. */
    public List<Described> list(String userId, String appId, String typeId, String namePrefix, Page page) {
        ModelStore store = jdbi.onDemand(ModelStore.class);
        if (appId.isEmpty()) {
            return store.listForUser(userId, typeId, page.perPage(), page.offset()).stream()
                    .map(m -> new Described(m, store.latestTrained(userId, m.appId(), m.id()).orElse(null))).toList();
        }
        String escaped = namePrefix.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return store.list(userId, appId, typeId, escaped + "%", page.perPage(), page.offset()).stream()
                .map(m -> new Described(m, store.latestTrained(userId, appId, m.id()).orElse(null))).toList();
    }

    /** Changes models: {@code merge} adds concepts, {@code overwrite} replaces them, {@code remove} takes them away. */
    public List<Described> patch(String userId, String appId, String action, List<ModelDraft> changes) {
        String op = action.isEmpty() ? "merge" : action;
        if (!Set.of("merge", "overwrite", "remove").contains(op)) throw invalid("action is merge, overwrite or remove.");
        requireCount(changes.size());
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            ModelStore store = h.attach(ModelStore.class);
            List<Described> out = new ArrayList<>();
            for (ModelDraft c : changes) {
                Model m = store.find(userId, appId, c.id() == null ? "" : c.id()).orElseThrow(() -> missing(c.id()));
                requireOwnType(m);
                LinkedHashSet<String> conceptIds = new LinkedHashSet<>(m.concepts());
                List<String> given = conceptIds(c.concepts());
                switch (op) {
                    case "merge" -> conceptIds.addAll(given);
                    case "remove" -> given.forEach(conceptIds::remove);
                    default -> {
                        if (c.concepts() != null && !given.isEmpty()) {
                            conceptIds.clear();
                            conceptIds.addAll(given);
                        }
                    }
                }
                concepts.ensure(h, userId, appId, conceptIds.stream().map(id -> new ConceptService.ConceptDraft(id, null)).toList());
                store.update(userId, appId, m.id(), c.name() == null || c.name().isBlank() ? m.name() : c.name(),
                        c.description() == null || c.description().isEmpty() ? m.description() : c.description(),
                        String.join(" ", conceptIds),
                        (c.mutuallyExclusive() == null ? m.mutuallyExclusive() : c.mutuallyExclusive()) ? 1 : 0, now);
                revocations.record(h, new Revocation.Model(userId, appId, m.id()));
                out.add(new Described(store.find(userId, appId, m.id()).orElseThrow(), store.latestTrained(userId, appId, m.id()).orElse(null)));
            }
            return out;
        });
    }

    /** Deletes models with all their versions, all or none. */
    public void delete(String userId, String appId, List<String> ids) {
        if (ids.isEmpty() || ids.size() > MAX_PER_REQUEST) throw invalid("Name 1 to " + MAX_PER_REQUEST + " model ids to delete.");
        jdbi.useTransaction(h -> {
            ModelStore store = h.attach(ModelStore.class);
            for (String id : ids) requireOwnType(store.find(userId, appId, id).orElseThrow(() -> missing(id)));
            store.delete(userId, appId, List.copyOf(new LinkedHashSet<>(ids)));
            for (String id : new LinkedHashSet<>(ids)) revocations.record(h, new Revocation.Model(userId, appId, id));
        });
    }

    /** Every model of an app, for "delete all". */
    public List<String> allIds(String userId, String appId) {
        return jdbi.onDemand(ModelStore.class).list(userId, appId, "", "%", Integer.MAX_VALUE, 0).stream().map(Model::id).toList();
    }

    public List<ModelVersion> versions(String userId, String appId, String modelId, Page page) {
        ModelStore store = jdbi.onDemand(ModelStore.class);
        store.find(userId, appId, modelId).orElseThrow(() -> missing(modelId));
        return store.listVersions(userId, appId, modelId, page.perPage(), page.offset());
    }

    public void deleteVersion(String userId, String appId, String modelId, String versionId) {
        jdbi.useTransaction(h -> {
            ModelStore store = h.attach(ModelStore.class);
            requireOwnType(store.find(userId, appId, modelId).orElseThrow(() -> missing(modelId)));
            if (store.deleteVersion(userId, appId, modelId, versionId) == 0) throw missingVersion(versionId);
            revocations.record(h, new Revocation.Model(userId, appId, modelId));
        });
    }

    private static void requireOwnType(Model m) {
        if (m.userId().equals("clavis")) {
            throw new ApiException(StatusCode.MODEL_INVALID_REQUEST, "Built-in models cannot be changed or deleted.");
        }
    }

    private static List<String> conceptIds(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String c : given == null ? List.<String>of() : given) {
            if (!Ids.valid(c, ConceptService.MAX_ID)) throw invalid("Invalid concept id '" + c + "'.");
            if (!out.contains(c)) out.add(c);
        }
        return out;
    }

    private static String name(ModelDraft d, String id) {
        return d.name() == null || d.name().isBlank() ? id : d.name().strip();
    }

    private static void requireCount(int n) {
        if (n == 0 || n > MAX_PER_REQUEST) throw invalid("Send 1 to " + MAX_PER_REQUEST + " models per request, not " + n + ".");
    }

    static ApiException missing(String id) {
        return new ApiException(StatusCode.MODEL_DOES_NOT_EXIST, "Model '" + id + "' not found.");
    }

    static ApiException missingVersion(String id) {
        return new ApiException(StatusCode.MODEL_DOES_NOT_EXIST, "Model version '" + id + "' not found.");
    }

    static ApiException invalid(String details) {
        return new ApiException(StatusCode.MODEL_INVALID_ARGUMENT, details);
    }

    private static ApiException duplicate(String id) {
        return new ApiException(StatusCode.DATABASE_DUPLICATE_KEY, "Model '" + id + "' already exists.");
    }
}
