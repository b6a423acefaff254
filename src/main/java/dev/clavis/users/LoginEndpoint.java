package dev.clavis.users;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.clavis.keys.KeyService;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Dispatcher;
import dev.clavis.protocol.Door;
import dev.clavis.protocol.RestFront;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /v2/login} with {@code {"email","password"}}: answers {@code {"status",
 * "v2_user_id","session_token"}}. Not part of the published protocol, so REST only. A wrong
 * email and a wrong password get the same answer; repeated failures are throttled like the portal's.
 */
public final class LoginEndpoint {
    /** An email and a password: a sign-in larger than this is not one. */
    private static final int MAX_BODY_BYTES = 4096;

    private final UserService users;
    private final KeyService keys;
    private final RestFront rest;
    private final Dispatcher dispatcher;
    private final SignInThrottle throttle;
    private final ClientAddresses clients;

    public LoginEndpoint(UserService users, KeyService keys, RestFront rest, Dispatcher dispatcher, SignInThrottle throttle,
                         ClientAddresses clients) {
        this.dispatcher = dispatcher;
        this.clients = clients;
        this.users = users;
        this.keys = keys;
        this.rest = rest;
        this.throttle = throttle;
    }

    public void handle(Context ctx) {
        String address = RestFront.clientAddress(ctx, clients);
        Dispatcher.Answer answer = dispatcher.outside(Door.REST, address, "Login", reqId -> {
            JsonObject body = parse(rest.body(ctx, MAX_BODY_BYTES));
            String email = string(body, "email");
            Duration wait = throttle.retryAfter(email, address);
            if (!wait.isZero()) {
                ctx.header("Retry-After", Long.toString(SignInThrottle.seconds(wait)));
                throw new ApiException(StatusCode.CONN_THROTTLED, "Too many failed sign-ins from here; try again in "
                        + SignInThrottle.seconds(wait) + " s.");
            }
            Optional<User> verified = users.verify(email, string(body, "password"));
            if (verified.isEmpty()) {
                throttle.failed(email, address);
                throw new ApiException(StatusCode.CONN_CREDENTIALS_INVALID, "Wrong email or password.");
            }
            throttle.succeeded(email, address);
            User user = verified.get();
            JsonObject reply = new JsonObject();
            reply.add("status", Dispatcher.statusJson(StatusCode.SUCCESS, "", reqId));
            reply.addProperty("v2_user_id", user.id());
            reply.addProperty("session_token", keys.createSession(user.id()).secret().reveal());
            return new Dispatcher.Answer(200, StatusCode.SUCCESS, "-", reply.toString());
        });
        RestFront.write(ctx, answer.httpStatus(), answer.json());
    }

    private static JsonObject parse(String body) {
        try {
            JsonElement json = JsonParser.parseString(body);
            if (json.isJsonObject()) return json.getAsJsonObject();
        } catch (JsonParseException malformed) {
            // answered below
        }
        throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "Send {\"email\": ..., \"password\": ...} as JSON.");
    }

    private static String string(JsonObject body, String field) {
        JsonElement value = body.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "'" + field + "' must be a string.");
        }
        return value.getAsString();
    }
}
