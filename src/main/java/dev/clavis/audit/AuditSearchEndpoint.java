package dev.clavis.audit;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.clavis.auth.AccountReads;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.Caller;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Dispatcher;
import dev.clavis.protocol.Door;
import dev.clavis.protocol.RestFront;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v2/users/{user_id}/audit_log/searches}, shaped like Clarifai's newer
 * {@code PostAuditLogSearchesRequest} ({@code query.timestamp_from}, {@code timestamp_to},
 * {@code operations}, {@code success}, {@code source_ips}, and Clavis's {@code credential_id} and
 * {@code app_id}; {@code sort_ascending}; {@code pagination}) and answering {@code entries} like
 * its {@code AuditLogEntry}. The 10.3.3 descriptor has no such method, so it is REST only. A user
 * reads only their own log, with a PAT or session holding {@code All} or {@code Keys:Get} (10.3.3
 * has no {@code AuditLogs:Get} scope to ask for instead).
 */
public final class AuditSearchEndpoint {
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_PER_PAGE = 1000;

    private final AuditTrail trail;
    private final Authenticator authenticator;
    private final Dispatcher dispatcher;
    private final RestFront rest;
    private final ClientAddresses clients;

    public AuditSearchEndpoint(AuditTrail trail, Authenticator authenticator, Dispatcher dispatcher, RestFront rest,
                               ClientAddresses clients) {
        this.trail = trail;
        this.authenticator = authenticator;
        this.dispatcher = dispatcher;
        this.rest = rest;
        this.clients = clients;
    }

    public void handle(Context ctx) {
        String client = RestFront.clientAddress(ctx, clients);
        Dispatcher.Answer answer = dispatcher.outside(Door.REST, client, "PostAuditLogSearches", reqId -> {
            Caller caller = AccountReads.authorize(authenticator, RestFront.credentialHeaders(ctx), client,
                    ctx.pathParam("user_id"), "audit log");
            AuditTrail.Query query = query(parse(rest.body(ctx, MAX_BODY_BYTES)));
            JsonArray entries = new JsonArray();
            for (AuditEntry entry : trail.search(caller.userId(), query)) entries.add(json(entry));
            JsonObject body = new JsonObject();
            body.add("status", Dispatcher.statusJson(StatusCode.SUCCESS, "", reqId));
            body.add("entries", entries);
            return new Dispatcher.Answer(200, StatusCode.SUCCESS, caller.publicId(), body.toString());
        });
        RestFront.write(ctx, answer.httpStatus(), answer.json());
    }

    private static JsonObject parse(String text) {
        if (text.isBlank()) return new JsonObject();
        try {
            JsonElement root = JsonParser.parseString(text);
            if (root.isJsonObject()) return root.getAsJsonObject();
        } catch (JsonParseException malformed) {
            // answered below
        }
        throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "Send a JSON object: {\"query\": {...}, \"pagination\": {...}}.");
    }

    static AuditTrail.Query query(JsonObject body) {
        try {
            JsonObject q = body.has("query") ? body.getAsJsonObject("query") : new JsonObject();
            JsonObject pagination = body.has("pagination") ? body.getAsJsonObject("pagination") : new JsonObject();
            int page = pagination.has("page") ? pagination.get("page").getAsInt() : 1;
            int perPage = pagination.has("per_page") ? pagination.get("per_page").getAsInt() : 100;
            if (page < 1 || perPage < 1 || perPage > MAX_PER_PAGE) {
                throw ApiException.badRequest("pagination: page from 1, per_page from 1 to " + MAX_PER_PAGE + ".");
            }
            return new AuditTrail.Query(instant(q, "timestamp_from"), instant(q, "timestamp_to"), strings(q, "operations"),
                    q.has("success") ? q.get("success").getAsBoolean() : null, strings(q, "source_ips"),
                    q.has("credential_id") ? q.get("credential_id").getAsString() : null,
                    q.has("app_id") ? q.get("app_id").getAsString() : null,
                    body.has("sort_ascending") && body.get("sort_ascending").getAsBoolean(), page, perPage);
        } catch (ClassCastException | IllegalStateException | UnsupportedOperationException | NumberFormatException wrongType) {
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "A field of the search has the wrong type.");
        }
    }

    private static Instant instant(JsonObject q, String field) {
        if (!q.has(field)) return null;
        try {
            return Instant.parse(q.get(field).getAsString());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + ": an RFC 3339 time such as 2026-11-30T12:00:00Z.");
        }
    }

    private static List<String> strings(JsonObject q, String field) {
        List<String> out = new ArrayList<>();
        if (q.has(field)) q.getAsJsonArray(field).forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /** Shaped like Clarifai's AuditLogEntry, with Clavis's door and acting credential besides. */
    private static JsonObject json(AuditEntry e) {
        JsonObject entry = new JsonObject();
        entry.addProperty("timestamp", e.at().toString());
        JsonObject user = new JsonObject();
        user.addProperty("id", e.actorUserId() == null ? "" : e.actorUserId());
        entry.add("user", user);
        entry.addProperty("operation", e.operation());
        entry.addProperty("description", description(e));
        JsonArray targets = new JsonArray();
        if (e.targetUserId() != null) targets.add(target("user", e.targetUserId()));
        if (e.targetAppId() != null) targets.add(target("app", e.targetAppId()));
        if (e.targetCredential() != null) targets.add(target("key", e.targetCredential()));
        entry.add("targets", targets);
        entry.add("details", JsonParser.parseString(e.details()));
        entry.addProperty("success", e.success());
        entry.addProperty("req_id", e.reqId() == null ? "" : e.reqId());
        entry.addProperty("source_ip", e.sourceIp() == null ? "" : e.sourceIp());
        entry.addProperty("door", e.door());
        if (e.actorCredential() != null) entry.addProperty("credential_id", e.actorCredential());
        return entry;
    }

    private static JsonObject target(String kind, String id) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", id);
        JsonObject target = new JsonObject();
        target.add(kind, inner);
        return target;
    }

    /** A line a person reads: the operation in words, and what it concerned. */
    static String description(AuditEntry e) {
        String what = e.operation().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        StringBuilder text = new StringBuilder(Character.toUpperCase(what.charAt(0)) + what.substring(1));
        if (e.targetCredential() != null) text.append(" ").append(e.targetCredential());
        if (e.targetAppId() != null) text.append(" in app ").append(e.targetAppId());
        if (!e.success()) text.append(" (refused)");
        return text.toString();
    }
}
