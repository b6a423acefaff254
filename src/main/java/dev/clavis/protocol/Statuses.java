package dev.clavis.protocol;

import com.clarifai.grpc.api.status.Status;
import com.clarifai.grpc.api.status.StatusCode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one place that knows what each status code says and which HTTP status carries it
 * (DESIGN §3). Codes without an explicit entry are mapped by their name's suffix.
 */
public final class Statuses {
    private static final Map<StatusCode, String> DESCRIPTIONS = new EnumMap<>(StatusCode.class);
    private static final Map<StatusCode, Integer> HTTP = new EnumMap<>(StatusCode.class);

    static {
        describe(StatusCode.SUCCESS, "Ok", 200);
        describe(StatusCode.MIXED_STATUS, "Mixed Success", 200);
        describe(StatusCode.FAILURE, "Failure", 400);
        describe(StatusCode.NOT_IMPLEMENTED, "Not implemented", 501);
        describe(StatusCode.CONN_CREDENTIALS_INVALID, "Invalid authentication credentials", 401);
        describe(StatusCode.CONN_TOKEN_INVALID, "Invalid authentication token used", 401);
        describe(StatusCode.CONN_THROTTLED, "Making too many requests", 429);
        describe(StatusCode.CONN_EXCEED_HOURLY_LIMIT, "Exceeded hourly limit", 429);
        describe(StatusCode.CONN_EXCEED_MONTHLY_LIMIT, "Exceeded monthly limit", 429);
        describe(StatusCode.CONN_EXCEEDS_LIMITS, "Request exceeds limits", 413);
        describe(StatusCode.CONN_INSUFFICIENT_SCOPES, "API key has insufficient permissions", 403);
        describe(StatusCode.CONN_KEY_INVALID, "Invalid API key or Invalid API key/application pair", 401);
        describe(StatusCode.CONN_KEY_NOT_FOUND, "API key not found", 401);
        describe(StatusCode.CONN_BAD_REQUEST_FORMAT, "Bad request format", 400);
        describe(StatusCode.CONN_DOES_NOT_EXIST, "Resource does not exist", 404);
        // 400 for invalid arguments; a missing credential carries the same code with 401
        // (DESIGN §3 gives this one code both meanings), see ApiException.missingCredential.
        describe(StatusCode.CONN_INVALID_REQUEST, "Invalid request", 400);
        describe(StatusCode.CONN_METHOD_NOT_ALLOWED, "Method not allowed", 405);
        describe(StatusCode.DATABASE_DUPLICATE_KEY,
                "Object has a duplicate ID; another object with same ID already exist", 409);
        describe(StatusCode.INTERNAL_SERVER_ISSUE, "Internal server issue", 500);
        // As a request's status: predicting with a model that has no trained version.
        describe(StatusCode.MODEL_UNTRAINED, "Model untrained", 400);
        describe(StatusCode.MODEL_TRAINED, "Model trained successfully", 200);
    }

    private Statuses() {}

    private static void describe(StatusCode code, String description, int http) {
        DESCRIPTIONS.put(code, description);
        HTTP.put(code, http);
    }

    public static Status of(StatusCode code, String details) {
        Status.Builder status = Status.newBuilder().setCode(code).setDescription(description(code));
        if (details != null && !details.isEmpty()) status.setDetails(details);
        return status.build();
    }

    public static String description(StatusCode code) {
        String known = DESCRIPTIONS.get(code);
        if (known != null) return known;
        // INPUT_DOES_NOT_EXIST -> "Input does not exist"
        String words = code.name().replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The HTTP status a REST response with this code carries. */
    public static int http(StatusCode code) {
        Integer known = HTTP.get(code);
        if (known != null) return known;
        String name = code.name();
        if (name.endsWith("_DOES_NOT_EXIST") || name.endsWith("_NOT_FOUND")) return 404;
        if (name.endsWith("_PERMISSION_DENIED")) return 403;
        if (name.contains("INVALID") || name.endsWith("_BAD_REQUEST") || name.equals("BAD_REQUEST")) return 400;
        if (name.contains("DUPLICATE")) return 409;
        if (name.startsWith("INTERNAL") || name.endsWith("SERVER_ERROR")) return 500;
        // Progress codes (30001 pending, 21103 queued for training, ...) describe a resource
        // inside a successful response; on their own they are not failures of the request.
        return 200;
    }
}
