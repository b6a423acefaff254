package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import java.time.Duration;

/**
 * A request that ends with a Clarifai status other than success. Thrown from any layer; the
 * dispatcher turns it into the method's response message with {@code status} filled in.
 * The details are shown to the caller, so they never carry secrets.
 */
public class ApiException extends RuntimeException {
    private final StatusCode code;
    private final String details;
    private final int httpStatus;
    /** For a throttled call, how long until the credential may call again; null otherwise. */
    private final Duration retryAfter;

    public ApiException(StatusCode code, String details) {
        this(code, details, Statuses.http(code), null);
    }

    private ApiException(StatusCode code, String details, int httpStatus, Duration retryAfter) {
        super(code + ": " + details, null, false, false);
        this.code = code;
        this.details = details == null ? "" : details;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public StatusCode code() {
        return code;
    }

    public String details() {
        return details;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** 11005 / HTTP 429: the credential's rate limit; REST also says when in {@code Retry-After}. */
    public static ApiException throttled(Duration wait) {
        long millis = Math.max(1, wait.toMillis());
        return new ApiException(StatusCode.CONN_THROTTLED, "Too many requests with this credential; retry after " + millis + " ms.",
                Statuses.http(StatusCode.CONN_THROTTLED), wait);
    }

    /** 10030 / HTTP 503: the server cannot take this work now; REST says when to retry in {@code Retry-After}. */
    public static ApiException busy(String details, Duration retryAfter) {
        return new ApiException(StatusCode.TRY_AGAIN, details, 503, retryAfter);
    }

    public static ApiException badRequest(String details) {
        return new ApiException(StatusCode.CONN_INVALID_REQUEST, details);
    }

    public static ApiException notFound(String details) {
        return new ApiException(StatusCode.CONN_DOES_NOT_EXIST, details);
    }

    public static ApiException insufficientScopes(String details) {
        return new ApiException(StatusCode.CONN_INSUFFICIENT_SCOPES, details);
    }

    /** A refusal the server itself (not a route) answered with this HTTP status: the log records what was sent. */
    static ApiException sentAs(StatusCode code, String details, int httpStatus) {
        return new ApiException(code, details, httpStatus, null);
    }

    /** No usable credential header: 11102 like an invalid request, but HTTP 401 (DESIGN §3). */
    public static ApiException missingCredential(String details) {
        return new ApiException(StatusCode.CONN_INVALID_REQUEST, details, 401, null);
    }
}
