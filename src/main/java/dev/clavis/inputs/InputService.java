package dev.clavis.inputs;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.auth.Secrets;
import dev.clavis.concepts.ConceptService;
import dev.clavis.jobs.Job;
import dev.clavis.jobs.JobQueue;
import dev.clavis.media.Images;
import dev.clavis.media.MediaRejected;
import dev.clavis.media.UrlFetcher;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Ids;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Structs;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The rules for inputs. Each input of a request stands alone: a bad image or a duplicate id
 * gets its own status and the others are stored, all in one transaction. Inputs given by URL
 * are stored pending, with a download job in the same transaction (see {@link InputDownloads}).
 */
public final class InputService {
    public static final int MAX_PER_REQUEST = 128;
    public static final int MAX_ID = 128;
    public static final int MAX_TEXT_BYTES = 1024 * 1024;
    static final int READY = StatusCode.INPUT_DOWNLOAD_SUCCESS_VALUE;
    static final int PENDING = StatusCode.INPUT_DOWNLOAD_PENDING_VALUE;

    private final Jdbi jdbi;
    private final ConceptService concepts;
    private final Images images;
    private final JobQueue jobs;
    private final Clock clock;

    /** An input to add: exactly one of image bytes, image URL, text or text URL. Null id = generated. */
    public record InputDraft(String id, byte[] image, String imageUrl, String text, String textUrl, String metadata,
                             List<ConceptMark> concepts) {}

    /** A concept marked on an input; value 1 shows it, 0 marks its absence. */
    public record ConceptMark(String id, String name, double value) {}

    /** What became of one input of a request: stored, or refused with a status. */
    public record Outcome(String id, Input input, StatusCode code, String details) {
        public boolean stored() {
            return input != null;
        }
    }

    public InputService(Jdbi jdbi, ConceptService concepts, Images images, JobQueue jobs, Clock clock) {
        this.jdbi = jdbi;
        this.concepts = concepts;
        this.images = images;
        this.jobs = jobs;
        this.clock = clock;
    }

    public List<Outcome> add(String userId, String appId, List<InputDraft> drafts) {
        if (drafts.isEmpty() || drafts.size() > MAX_PER_REQUEST) {
            throw new ApiException(StatusCode.INPUT_INVALID_REQUEST,
                    "Send 1 to " + MAX_PER_REQUEST + " inputs per request, not " + drafts.size() + ".");
        }
        List<Object> prepared = new ArrayList<>(); // Prepared or Outcome (refused), in request order
        Set<String> ids = new HashSet<>();
        for (InputDraft d : drafts) {
            Object p = prepare(d);
            if (p instanceof Prepared ok && !ids.add(ok.id())) {
                p = new Outcome(ok.id(), null, StatusCode.INPUT_DUPLICATE, "Input id '" + ok.id() + "' appears twice in the request.");
            }
            prepared.add(p);
        }
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            List<String> downloads = new ArrayList<>();
            InputStore store = h.attach(InputStore.class);
            List<Outcome> out = new ArrayList<>();
            for (Object p : prepared) {
                if (p instanceof Outcome refused) {
                    out.add(refused);
                } else if (p instanceof Prepared ok) {
                    if (store.find(userId, appId, ok.id()).isPresent()) {
                        out.add(new Outcome(ok.id(), null, StatusCode.INPUT_DUPLICATE, "Input '" + ok.id() + "' already exists."));
                        continue;
                    }
                    int status = ok.url() == null ? READY : PENDING;
                    store.insert(userId, appId, ok.id(), ok.kind(), ok.url(), ok.content(), ok.mediaType(), ok.width(), ok.height(),
                            ok.metadata(), status, "", now);
                    setConcepts(h, userId, appId, ok.id(), ok.concepts(), true);
                    out.add(new Outcome(ok.id(), withConcepts(store, store.find(userId, appId, ok.id()).orElseThrow()),
                            StatusCode.forNumber(status), ""));
                    if (ok.url() != null) downloads.add(ok.id());
                }
            }
            // A full queue refuses the request here, and the inputs above roll back with it.
            jobs.add(h, Job.DOWNLOAD, userId, appId, downloads);
            return out;
        });
    }

    public Input get(String userId, String appId, String id) {
        InputStore store = jdbi.onDemand(InputStore.class);
        return withConcepts(store, store.find(userId, appId, id).orElseThrow(() -> missing(id)));
    }

    public List<Input> list(String userId, String appId, List<String> ids, Page page) {
        return jdbi.withHandle(h -> {
            InputStore store = h.attach(InputStore.class);
            List<Input> found = ids.isEmpty() ? store.list(userId, appId, page.perPage(), page.offset())
                    : store.listByIds(userId, appId, ids).stream().skip(page.offset()).limit(page.perPage()).toList();
            return withConcepts(store, userId, appId, found);
        });
    }

    /** Deletes inputs, all or none; their bytes and concept marks go with them. */
    public void delete(String userId, String appId, List<String> ids) {
        if (ids.isEmpty() || ids.size() > MAX_PER_REQUEST) {
            throw new ApiException(StatusCode.INPUT_INVALID_REQUEST, "Name 1 to " + MAX_PER_REQUEST + " input ids to delete.");
        }
        jdbi.useTransaction(h -> {
            int deleted = h.attach(InputStore.class).delete(userId, appId, List.copyOf(new HashSet<>(ids)));
            if (deleted != new HashSet<>(ids).size()) throw missing(String.join(", ", ids));
        });
    }

    /**
     * Changes inputs' metadata and concepts: {@code merge} adds (and deep-merges metadata),
     * {@code overwrite} replaces what is given, {@code remove} takes the given concepts and keys away.
     */
    public List<Input> patch(String userId, String appId, String action, List<InputDraft> changes) {
        String op = action.isEmpty() ? "merge" : action;
        if (!op.equals("merge") && !op.equals("overwrite") && !op.equals("remove")) {
            throw new ApiException(StatusCode.INPUT_INVALID_REQUEST, "action is merge, overwrite or remove, not '" + action + "'.");
        }
        if (changes.isEmpty() || changes.size() > MAX_PER_REQUEST) {
            throw new ApiException(StatusCode.INPUT_INVALID_REQUEST, "Send 1 to " + MAX_PER_REQUEST + " inputs per request.");
        }
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            InputStore store = h.attach(InputStore.class);
            List<Input> out = new ArrayList<>();
            for (InputDraft c : changes) {
                Input current = store.find(userId, appId, c.id() == null ? "" : c.id()).orElseThrow(() -> missing(c.id()));
                if (c.metadata() != null) {
                    store.updateMetadata(userId, appId, current.id(),
                            Structs.change(current.metadata(), c.metadata(), op.equals("remove") ? "delete" : op), now);
                }
                if (op.equals("remove")) {
                    for (ConceptMark m : c.concepts()) store.deleteConcept(userId, appId, current.id(), m.id());
                } else {
                    setConcepts(h, userId, appId, current.id(), c.concepts(), op.equals("overwrite") && !c.concepts().isEmpty());
                }
                out.add(withConcepts(store, store.find(userId, appId, current.id()).orElseThrow()));
            }
            return out;
        });
    }

    /** Inputs by state: ready, waiting to download, failed. */
    public Map<Integer, Integer> countByStatus(String userId, String appId) {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (int code : jdbi.onDemand(InputStore.class).statuses(userId, appId)) counts.merge(code, 1, Integer::sum);
        return counts;
    }

    /** A checked input ready to store; {@code url} set (and no content) when it is still to be downloaded. */
    private record Prepared(String id, String kind, String url, byte[] content, String mediaType, Integer width,
                            Integer height, String metadata, List<ConceptMark> concepts) {}

    /** Checks one draft; returns a {@link Prepared} to store or an {@link Outcome} that refuses it. */
    private Object prepare(InputDraft d) {
        String id = d.id() == null || d.id().isEmpty() ? Secrets.newId() : d.id();
        try {
            if (!Ids.valid(id, MAX_ID)) {
                throw new MediaRejected(StatusCode.INPUT_INVALID_ARGUMENT, "Invalid input id: use 1 to " + MAX_ID
                        + " letters or digits, with hyphens or underscores between them.");
            }
            int given = (d.image() != null ? 1 : 0) + (d.imageUrl() != null ? 1 : 0) + (d.text() != null ? 1 : 0)
                    + (d.textUrl() != null ? 1 : 0);
            if (given != 1) {
                throw new MediaRejected(StatusCode.INPUT_INVALID_ARGUMENT,
                        "Give exactly one of image.base64, image.url, text.raw or text.url.");
            }
            for (ConceptMark m : d.concepts()) {
                if (!Ids.valid(m.id(), ConceptService.MAX_ID)) {
                    throw new MediaRejected(StatusCode.INPUT_INVALID_ARGUMENT, "Invalid concept id on the input.");
                }
            }
            String metadata = d.metadata() == null ? "{}" : d.metadata();
            if (d.imageUrl() != null || d.textUrl() != null) {
                String url = d.imageUrl() != null ? d.imageUrl() : d.textUrl();
                UrlFetcher.requireFetchable(url);
                return new Prepared(id, d.imageUrl() != null ? "IMAGE" : "TEXT", url, null, null, null, null, metadata, d.concepts());
            }
            if (d.text() != null) {
                byte[] text = d.text().getBytes(StandardCharsets.UTF_8);
                if (text.length == 0) throw new MediaRejected(StatusCode.INPUT_INVALID_ARGUMENT, "The text is empty.");
                if (text.length > MAX_TEXT_BYTES) {
                    throw new MediaRejected(StatusCode.INPUT_OVER_LIMIT, "Texts have at most " + MAX_TEXT_BYTES + " bytes.");
                }
                return new Prepared(id, "TEXT", null, text, "text/plain", null, null, metadata, d.concepts());
            }
            Images.Decoded image = images.decode(d.image());
            return new Prepared(id, "IMAGE", null, d.image(), image.mediaType(), image.width(), image.height(), metadata, d.concepts());
        } catch (MediaRejected e) {
            return new Outcome(id, null, e.code(), e.getMessage());
        }
    }

    private void setConcepts(Handle h, String userId, String appId, String inputId, List<ConceptMark> marks, boolean replace) {
        if (marks.isEmpty() && !replace) return;
        concepts.ensure(h, userId, appId, marks.stream().map(m -> new ConceptService.ConceptDraft(m.id(), m.name())).toList());
        InputStore store = h.attach(InputStore.class);
        if (replace) store.deleteConcepts(userId, appId, inputId);
        for (ConceptMark m : marks) {
            store.deleteConcept(userId, appId, inputId, m.id());
            store.insertConcept(userId, appId, inputId, m.id(), m.value() > 0 ? 1.0 : 0.0);
        }
    }

    private static Input withConcepts(InputStore store, Input input) {
        return withConcepts(store, input.userId(), input.appId(), List.of(input)).get(0);
    }

    private static List<Input> withConcepts(InputStore store, String userId, String appId, List<Input> inputs) {
        if (inputs.isEmpty()) return inputs;
        Map<String, List<Input.InputConcept>> byInput = new LinkedHashMap<>();
        for (InputStore.TaggedConcept t : store.concepts(userId, appId, inputs.stream().map(Input::id).toList())) {
            byInput.computeIfAbsent(t.inputId(), k -> new ArrayList<>()).add(t.concept());
        }
        return inputs.stream().map(i -> i.withConcepts(List.copyOf(byInput.getOrDefault(i.id(), List.of())))).toList();
    }

    private static ApiException missing(String id) {
        return new ApiException(StatusCode.INPUT_DOES_NOT_EXIST, "Input '" + id + "' not found.");
    }
}
