package dev.clavis.apps;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.audit.AuditTrail;
import dev.clavis.auth.RevocableCache;
import io.micrometer.core.instrument.MeterRegistry;
import dev.clavis.auth.Revocation;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.Secrets;
import dev.clavis.keys.KeyService;
import dev.clavis.keys.KeyStore;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Ids;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.Structs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The rules for apps: valid ids, one owner, an {@code All} key with every new app. */
public final class AppService {
    public static final int MAX_APPS_PER_REQUEST = 128;
    private static final int MAX_NAME = 256;
    private static final int MAX_DESCRIPTION = 4096;

    private final Jdbi jdbi;
    private final KeyService keys;
    private final Revocations revocations;
    private final Clock clock;
    private final AuditTrail audit;
    private final RevocableCache<AppRef, App> cache = new RevocableCache<>(100_000, Duration.ofMinutes(10));

    private record AppRef(String userId, String appId) {
        // Written out: a record's own equals and hashCode go through method handles, which
        // showed in every app-level call's cache lookup.
        @Override
        public boolean equals(Object other) {
            return other instanceof AppRef ref && userId.equals(ref.userId) && appId.equals(ref.appId);
        }

        @Override
        public int hashCode() {
            return userId.hashCode() * 31 + appId.hashCode();
        }
    }

    /** An app to create; a blank id gets a generated one, a blank name the id. */
    public record AppDraft(String id, String name, String description, int visibility, String metadata) {}

    /**
     * A change to one app. Null fields, and visibility 0, stay as they are. {@code metadataOp} is
     * {@code overwrite} (default), {@code merge} (deep) or {@code delete} (the given keys).
     */
    public record AppChange(String id, String name, String description, int visibility, String metadata,
                            String metadataOp) {}

    public AppService(Jdbi jdbi, KeyService keys, Revocations revocations, Clock clock) {
        this.audit = new AuditTrail(jdbi, clock);
        this.jdbi = jdbi;
        this.keys = keys;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** A new app and its first key, whose secret only this return value holds. */
    public record Created(App app, KeyService.Issued key) {}

    /** Creates the apps, each with its first key, all or none. */
    public List<Created> create(String ownerId, List<AppDraft> drafts) {
        requireCount(drafts.size());
        Set<String> ids = new HashSet<>();
        List<AppDraft> valid = new ArrayList<>();
        for (AppDraft d : drafts) {
            String id = d.id() == null || d.id().isBlank() ? Secrets.newId() : d.id();
            Ids.requireValid("app id", id);
            if (!ids.add(id)) throw new ApiException(StatusCode.DATABASE_DUPLICATE_KEY, "App '" + id + "' is listed twice.");
            String name = d.name() == null || d.name().isBlank() ? id : d.name().strip();
            valid.add(new AppDraft(id, text("name", name, MAX_NAME), text("description", d.description(), MAX_DESCRIPTION),
                    visibility(d.visibility()), metadata(d.metadata())));
        }
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            AppStore apps = h.attach(AppStore.class);
            List<Created> created = new ArrayList<>();
            for (AppDraft d : valid) {
                if (apps.find(ownerId, d.id()).isPresent()) {
                    throw new ApiException(StatusCode.DATABASE_DUPLICATE_KEY, "App '" + d.id() + "' already exists.");
                }
                apps.insert(ownerId, d.id(), d.name(), d.description(), d.visibility(), d.metadata(), now);
                audit.record(h, AuditTrail.Event.of(ownerId, "APP_CREATE").app(d.id())
                        .detail("visibility", d.visibility() == App.PUBLIC ? "public" : "private"));
                KeyService.Issued key = keys.createAppKey(h, ownerId, d.id());
                created.add(new Created(apps.find(ownerId, d.id()).orElseThrow(), key));
            }
            return created;
        });
    }

    /**
     * An app by owner and id, from the cache when it holds it: authorization asks this on every
     * request a PAT makes to an app, and MyScopes shows the app. Changes revoke it (see
     * {@link #revoke}); absence is not cached, so a new app is found at once.
     */
    public Optional<App> find(String userId, String appId) {
        return cache.get(new AppRef(userId, appId), ref -> jdbi.onDemand(AppStore.class).find(ref.userId(), ref.appId()));
    }

    public App get(String userId, String appId) {
        return find(userId, appId).orElseThrow(() -> notFound(appId));
    }

    /** A user's apps; someone else sees only the public ones. */
    public List<App> list(String ownerId, String viewerId, Page page) {
        return jdbi.onDemand(AppStore.class).list(ownerId, !ownerId.equals(viewerId), page.perPage(), page.offset());
    }

    public List<App> patch(String ownerId, String action, List<AppChange> changes) {
        if (!action.isEmpty() && !action.equals("overwrite")) {
            throw ApiException.badRequest("Only action 'overwrite' is supported for apps, not '" + action + "'.");
        }
        requireCount(changes.size());
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            AppStore apps = h.attach(AppStore.class);
            List<App> out = new ArrayList<>();
            for (AppChange c : changes) {
                App current = apps.find(ownerId, c.id()).orElseThrow(() -> notFound(c.id()));
                String name = c.name() == null || c.name().isBlank() ? current.name() : text("name", c.name().strip(), MAX_NAME);
                String description = c.description() == null ? current.description() : text("description", c.description(), MAX_DESCRIPTION);
                int visibility = c.visibility() == 0 ? current.visibility() : visibility(c.visibility());
                String metadata = c.metadata() == null ? current.metadata() : changeMetadata(current.metadata(), c.metadata(), c.metadataOp());
                apps.update(ownerId, current.id(), name, description, visibility, metadata, now);
                revocations.record(h, new Revocation.App(ownerId, current.id()));
                audit.record(h, AuditTrail.Event.of(ownerId, "APP_UPDATE").app(current.id())
                        .detail("name", current.name().equals(name) ? name : current.name() + " -> " + name)
                        .detail("visibility", current.visibility() == visibility ? String.valueOf(visibility)
                                : current.visibility() + " -> " + visibility));
                out.add(apps.find(ownerId, current.id()).orElseThrow());
            }
            return out;
        });
    }

    /** What the app holds: inputs, models, keys. */
    public AppStore.Contents contents(String userId, String appId) {
        return jdbi.onDemand(AppStore.class).contents(userId, appId);
    }

    /** Every app, or one user's (the administrator's listing). */
    public List<App> listEvery(Optional<String> ownerId) {
        return jdbi.onDemand(AppStore.class).listEvery(ownerId.orElse(""));
    }

    /** Deletes an app and its keys; the keys stop working on the next request. */
    public void delete(String ownerId, String appId) {
        jdbi.useTransaction(h -> delete(h, ownerId, appId));
    }

    /** The same inside a larger change (a user being deleted). */
    public void delete(Handle h, String ownerId, String appId) {
        int keysDeleted = h.attach(KeyStore.class).deleteForApp(ownerId, appId);
        if (h.attach(AppStore.class).delete(ownerId, appId) == 0) throw notFound(appId);
        revocations.record(h, new Revocation.App(ownerId, appId));
        audit.record(h, AuditTrail.Event.of(ownerId, "APP_DELETE").app(appId).detail("keys_deleted", keysDeleted));
    }

    /** The app cache's size and hit ratio. */
    public void bindTo(MeterRegistry registry) {
        cache.bindTo(registry, "apps");
    }

    /** Drops what a committed change revoked from the app cache. */
    public void revoke(Revocation revocation) {
        if (revocation instanceof Revocation.App app) {
            cache.revokeWhere(a -> a.userId().equals(app.userId()) && a.id().equals(app.appId()));
        } else if (revocation instanceof Revocation.Everything) {
            cache.revokeAll();
        }
    }

    private static void requireCount(int n) {
        if (n == 0 || n > MAX_APPS_PER_REQUEST) {
            throw ApiException.badRequest("Send 1 to " + MAX_APPS_PER_REQUEST + " apps per request, not " + n + ".");
        }
    }

    private static ApiException notFound(String appId) {
        return ApiException.notFound("App '" + appId + "' not found.");
    }

    private static String text(String what, String value, int max) {
        String v = value == null ? "" : value;
        if (v.length() > max) throw ApiException.badRequest("An app's " + what + " has at most " + max + " characters.");
        return v;
    }

    private static int visibility(int gettable) {
        if (gettable == 0) return App.PRIVATE;
        if (gettable != App.PRIVATE && gettable != App.PUBLIC) {
            throw ApiException.badRequest("visibility.gettable is 10 (private) or 50 (public), not " + gettable + ".");
        }
        return gettable;
    }

    private static String metadata(String json) {
        return json == null || json.isBlank() ? "{}" : json;
    }

    private static String changeMetadata(String current, String given, String op) {
        return Structs.change(current, metadata(given), op);
    }
}
