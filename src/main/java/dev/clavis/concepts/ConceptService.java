package dev.clavis.concepts;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Ids;
import dev.clavis.protocol.Page;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The rules for concepts: valid ids, unique per app, created on demand when inputs name them. */
public final class ConceptService {
    public static final int MAX_ID = 128;
    public static final int MAX_PER_REQUEST = 128;
    private static final int MAX_NAME = 256;

    private final Jdbi jdbi;
    private final Clock clock;

    /** A concept as a request names it; a blank name means "use the id". */
    public record ConceptDraft(String id, String name) {}

    public ConceptService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public List<Concept> create(String userId, String appId, List<ConceptDraft> drafts) {
        requireCount(drafts.size());
        Set<String> seen = new HashSet<>();
        for (ConceptDraft d : drafts) {
            validate(d);
            if (!seen.add(d.id())) throw duplicate(d.id());
        }
        return jdbi.inTransaction(h -> {
            ConceptStore store = h.attach(ConceptStore.class);
            List<Concept> out = new ArrayList<>();
            for (ConceptDraft d : drafts) {
                if (store.find(userId, appId, d.id()).isPresent()) throw duplicate(d.id());
                store.insert(userId, appId, d.id(), name(d), clock.millis());
                out.add(store.find(userId, appId, d.id()).orElseThrow());
            }
            return out;
        });
    }

    /** Creates, inside the caller's transaction, the named concepts that do not exist yet. */
    public void ensure(Handle h, String userId, String appId, List<ConceptDraft> drafts) {
        ConceptStore store = h.attach(ConceptStore.class);
        for (ConceptDraft d : drafts) {
            validate(d);
            if (store.find(userId, appId, d.id()).isEmpty()) store.insert(userId, appId, d.id(), name(d), clock.millis());
        }
    }

    public Concept get(String userId, String appId, String id) {
        return jdbi.onDemand(ConceptStore.class).find(userId, appId, id)
                .orElseThrow(() -> ApiException.notFound("Concept '" + id + "' not found."));
    }

    /** The concepts with these ids that exist, by id, in one query. */
    public Map<String, Concept> byIds(String userId, String appId, Collection<String> ids) {
        if (ids.isEmpty()) return Map.of();
        Map<String, Concept> found = new HashMap<>();
        for (Concept c : jdbi.onDemand(ConceptStore.class).findAll(userId, appId, List.copyOf(new LinkedHashSet<>(ids)))) {
            found.put(c.id(), c);
        }
        return found;
    }

    public List<Concept> list(String userId, String appId, Page page) {
        return jdbi.onDemand(ConceptStore.class).list(userId, appId, page.perPage(), page.offset());
    }

    /** Concepts whose name or id begins with {@code prefix}, ignoring case. */
    public List<Concept> search(String userId, String appId, String prefix, Page page) {
        String escaped = prefix.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return jdbi.onDemand(ConceptStore.class).searchByPrefix(userId, appId, escaped + "%", page.perPage(), page.offset());
    }

    /** Renames concepts ("overwrite" is the only action: a concept's id never changes). */
    public List<Concept> rename(String userId, String appId, String action, List<ConceptDraft> changes) {
        if (!action.isEmpty() && !action.equals("overwrite")) {
            throw new ApiException(StatusCode.CONCEPTS_INVALID_REQUEST, "Only action 'overwrite' is supported for concepts.");
        }
        requireCount(changes.size());
        return jdbi.inTransaction(h -> {
            ConceptStore store = h.attach(ConceptStore.class);
            List<Concept> out = new ArrayList<>();
            for (ConceptDraft c : changes) {
                validate(c);
                if (store.rename(userId, appId, c.id(), name(c)) == 0) throw ApiException.notFound("Concept '" + c.id() + "' not found.");
                out.add(store.find(userId, appId, c.id()).orElseThrow());
            }
            return out;
        });
    }

    public List<ConceptStore.ConceptCount> counts(String userId, String appId, Page page) {
        return jdbi.onDemand(ConceptStore.class).counts(userId, appId, page.perPage(), page.offset());
    }

    private static void validate(ConceptDraft d) {
        Ids.requireValid("concept id", d.id(), MAX_ID);
        if (d.name() != null && d.name().length() > MAX_NAME) {
            throw new ApiException(StatusCode.CONCEPTS_INVALID_REQUEST, "Concept names have at most " + MAX_NAME + " characters.");
        }
    }

    private static String name(ConceptDraft d) {
        return d.name() == null || d.name().isBlank() ? d.id() : d.name().strip();
    }

    private static void requireCount(int n) {
        if (n == 0 || n > MAX_PER_REQUEST) {
            throw new ApiException(StatusCode.CONCEPTS_INVALID_REQUEST,
                    "Send 1 to " + MAX_PER_REQUEST + " concepts per request, not " + n + ".");
        }
    }

    private static ApiException duplicate(String id) {
        return new ApiException(StatusCode.DATABASE_DUPLICATE_KEY, "Concept '" + id + "' already exists.");
    }
}
