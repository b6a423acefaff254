package dev.clavis.ops;

import com.google.gson.JsonObject;
import dev.clavis.auth.RedisRateLimiter;
import dev.clavis.db.Database;
import dev.clavis.db.RevocationFeed;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether this node should be sent requests: the database answers and holds the schema this code
 * expects, the revocation feed is listening (PostgreSQL; SQLite has no other node to hear from),
 * and the node is not shutting down. Whether rate limits are shared (Redis) is reported too, but
 * does not make a node unready: it limits on its own meanwhile. {@code GET /readyz} asks afresh each time; the gRPC health
 * service is told the same by {@link #publish}, which the node runs every second.
 */
public final class Readiness {
    private final Database database;
    private final RevocationFeed feed;
    /** Null when rate limits are each node's own. */
    private final RedisRateLimiter sharedLimits;
    private final HealthStatusManager health = new HealthStatusManager();
    private volatile boolean stopping;

    /** What each check found, and whether all passed. */
    public record Report(boolean ready, Map<String, String> checks) {
        /** {@code {"status":"ready"|"not ready","checks":{...}}}, the body of {@code /readyz}. */
        public String json() {
            JsonObject body = new JsonObject();
            body.addProperty("status", ready ? "ready" : "not ready");
            JsonObject details = new JsonObject();
            checks.forEach(details::addProperty);
            body.add("checks", details);
            return body.toString();
        }
    }

    public Readiness(Database database, RevocationFeed feed, RedisRateLimiter sharedLimits) {
        this.database = database;
        this.feed = feed;
        this.sharedLimits = sharedLimits;
    }

    public Report check() {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean ready = true;
        String schema;
        try {
            schema = database.schemaCurrent() ? "ok" : "the schema is not the one this version migrated to";
        } catch (RuntimeException e) {
            schema = "does not answer";
        }
        checks.put("database", schema);
        ready &= schema.equals("ok");
        if (database.isSqlite()) {
            checks.put("revocation_feed", "not used (SQLite: one node)");
        } else {
            boolean listening = feed.listening();
            checks.put("revocation_feed", listening ? "ok" : "not listening; reconnecting");
            ready &= listening;
        }
        // Not a reason to stop sending requests here: limits hold per node meanwhile (fail-open).
        checks.put("rate_limits", sharedLimits == null ? "per node" : sharedLimits.shared() ? "shared (Redis)"
                : "per node: Redis does not answer");
        if (stopping) {
            checks.put("shutdown", "in progress");
            ready = false;
        }
        return new Report(ready, checks);
    }

    /** The standard {@code grpc.health.v1.Health} service, reporting what {@link #publish} last found. */
    public BindableService healthService() {
        return health.getHealthService();
    }

    /** Tells the gRPC health service what a check finds now. */
    public void publish() {
        if (stopping) return;
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                check().ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    /** From now on, not ready: balancers stop sending before the doors close. */
    public void stopping() {
        stopping = true;
        health.enterTerminalState();
    }
}
