package dev.clavis.keys;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.clavis.auth.AccountReads;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.Caller;
import dev.clavis.auth.Credential;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Dispatcher;
import dev.clavis.protocol.Door;
import dev.clavis.protocol.RestFront;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /v2/users/{user_id}/keys/{key_id}/usage?from=&to=&granularity=hour|day} (Clavis's
 * own): a key's or PAT's requests per hour or day, by method and outcome, and where it was last
 * used from. The same readers as the audit log (see {@link AccountReads}).
 */
public final class UsageEndpoint {
    private final KeyService keys;
    private final CredentialUsage usage;
    private final Authenticator authenticator;
    private final Dispatcher dispatcher;
    private final ClientAddresses clients;
    private final Clock clock;

    public UsageEndpoint(KeyService keys, CredentialUsage usage, Authenticator authenticator, Dispatcher dispatcher,
                         ClientAddresses clients, Clock clock) {
        this.keys = keys;
        this.usage = usage;
        this.authenticator = authenticator;
        this.dispatcher = dispatcher;
        this.clients = clients;
        this.clock = clock;
    }

    public void handle(Context ctx) {
        String client = RestFront.clientAddress(ctx, clients);
        Dispatcher.Answer answer = dispatcher.outside(Door.REST, client, "GetKeyUsage", reqId -> {
            Caller caller = AccountReads.authorize(authenticator, RestFront.credentialHeaders(ctx), client,
                    ctx.pathParam("user_id"), "key usage");
            Credential key = keys.get(caller.userId(), ctx.pathParam("key_id"));
            String granularity = ctx.queryParam("granularity") == null ? "hour" : ctx.queryParam("granularity");
            if (!granularity.equals("hour") && !granularity.equals("day")) throw ApiException.badRequest("granularity: hour or day.");
            boolean daily = granularity.equals("day");
            Instant to = instant(ctx.queryParam("to"), "to", clock.instant());
            Instant from = instant(ctx.queryParam("from"), "from", to.minus(daily ? Duration.ofDays(30) : Duration.ofDays(7)));
            if (!from.isBefore(to)) throw ApiException.badRequest("from must be before to.");
            JsonArray periods = new JsonArray();
            for (CredentialUsage.Period p : usage.between(key.publicId(), from, to, daily)) {
                JsonObject period = new JsonObject();
                period.addProperty("time", p.start().toString());
                period.addProperty("method", p.method());
                period.addProperty("outcome", p.outcome());
                period.addProperty("count", p.count());
                periods.add(period);
            }
            JsonObject body = new JsonObject();
            body.add("status", Dispatcher.statusJson(StatusCode.SUCCESS, "", reqId));
            body.addProperty("key_id", key.publicId());
            body.addProperty("granularity", granularity);
            body.addProperty("from", from.toString());
            body.addProperty("to", to.toString());
            if (key.lastUsedAt() != null) body.addProperty("last_used_at", key.lastUsedAt().toString());
            String address = usage.lastAddress(key.publicId());
            if (address != null) body.addProperty("last_used_address", address);
            body.add("usage", periods);
            return new Dispatcher.Answer(200, StatusCode.SUCCESS, caller.publicId(), body.toString());
        });
        RestFront.write(ctx, answer.httpStatus(), answer.json());
    }

    private static Instant instant(String text, String name, Instant otherwise) {
        if (text == null || text.isBlank()) return otherwise;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": an RFC 3339 time such as 2026-11-30T12:00:00Z.");
        }
    }
}
