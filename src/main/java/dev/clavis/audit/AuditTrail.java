package dev.clavis.audit;

import com.google.gson.Gson;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Records audit entries, in the database with the change they describe and, once it commits,
 * as a line on the audit channel (logger {@code clavis.audit}); searches them for their owner.
 * The acting door, user, credential, request and address come from {@link Actor}. Never a
 * secret: events carry public ids.
 */
public final class AuditTrail {
    private static final Logger channel = LoggerFactory.getLogger("clavis.audit");
    private static final Gson GSON = new Gson();

    private final Jdbi jdbi;
    private final Clock clock;

    /**
     * One event. {@code ownerId} is whose log it goes in (the account it concerns); the targets
     * are what it was done to, each null when not concerned; details are shown as they are.
     */
    public record Event(String ownerId, String operation, boolean success, String appId, String credential,
                        String targetUserId, Map<String, Object> details) {
        public static Event of(String ownerId, String operation) {
            return new Event(ownerId, operation, true, null, null, null, Map.of());
        }

        public Event app(String id) {
            return new Event(ownerId, operation, success, id, credential, targetUserId, details);
        }

        public Event credential(String publicId) {
            return new Event(ownerId, operation, success, appId, publicId, targetUserId, details);
        }

        public Event user(String id) {
            return new Event(ownerId, operation, success, appId, credential, id, details);
        }

        public Event failed() {
            return new Event(ownerId, operation, false, appId, credential, targetUserId, details);
        }

        public Event detail(String name, Object value) {
            Map<String, Object> more = new LinkedHashMap<>(details);
            more.put(name, value);
            return new Event(ownerId, operation, success, appId, credential, targetUserId, more);
        }
    }

    public AuditTrail(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Within the change's own transaction: the entry commits, or rolls back, with it. */
    public void record(Handle h, Event event) {
        Actor actor = Actor.current();
        h.attach(AuditStore.class).insert(clock.millis(), event.ownerId(), event.operation(), event.success() ? 1 : 0,
                actor.userId(), actor.credential(), actor.door(), event.appId(), event.credential(), event.targetUserId(),
                GSON.toJson(event.details()), actor.reqId(), actor.address());
        h.afterCommit(() -> log(event, actor));
    }

    /** An event that changes nothing else (a refused sign-in, a refused expired key). */
    public void record(Event event) {
        jdbi.useTransaction(h -> record(h, event));
    }

    /** What {@code AuditStore.search} takes, with its defaults filled in. */
    public record Query(Instant from, Instant to, List<String> operations, Boolean success, List<String> sourceIps,
                        String credential, String appId, boolean ascending, int page, int perPage) {}

    public List<AuditEntry> search(String ownerId, Query q) {
        return jdbi.onDemand(AuditStore.class).search(ownerId,
                q.from() == null ? 0 : q.from().toEpochMilli(), q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli(),
                q.operations().isEmpty(), q.operations(), q.sourceIps().isEmpty(), q.sourceIps(),
                q.success() == null ? -1 : q.success() ? 1 : 0, q.credential() == null ? "" : q.credential(),
                q.appId() == null ? "" : q.appId(), q.ascending() ? "ASC" : "DESC", q.perPage(),
                (long) (q.page() - 1) * q.perPage());
    }

    /** Drops entries older than {@code before}; returns how many. */
    public int prune(Instant before) {
        return jdbi.onDemand(AuditStore.class).pruneBefore(before.toEpochMilli());
    }

    private static void log(Event event, Actor actor) {
        LoggingEventBuilder line = channel.atInfo().setMessage(event.operation())
                .addKeyValue("owner", event.ownerId())
                .addKeyValue("success", event.success())
                .addKeyValue("door", actor.door());
        if (actor.credential() != null) line = line.addKeyValue("actor", actor.credential());
        if (event.appId() != null) line = line.addKeyValue("app", event.appId());
        if (event.credential() != null) line = line.addKeyValue("credential", event.credential());
        if (event.targetUserId() != null) line = line.addKeyValue("user", event.targetUserId());
        for (Map.Entry<String, Object> detail : event.details().entrySet()) line = line.addKeyValue(detail.getKey(), detail.getValue());
        if (actor.address() != null) line = line.addKeyValue("address", actor.address());
        line.log();
    }
}
