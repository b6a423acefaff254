package dev.clavis.protocol;

import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.api.status.BaseResponse;
import com.clarifai.grpc.api.status.Status;
import com.clarifai.grpc.api.status.StatusCode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.clavis.auth.AccessControl;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.Caller;
import dev.clavis.auth.CredentialHeaders;
import dev.clavis.auth.RateLimiter;
import dev.clavis.auth.Secrets;
import dev.clavis.auth.Target;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path every call takes, whichever door it came in by: authenticate, throttle, decode,
 * authorize, find the handler, handle, and turn any failure into the method's own response type
 * with a status.
 * One log line per call, naming the credential by its public id only.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger("clavis.requests");
    private static final FieldDescriptor BASE_STATUS = BaseResponse.getDescriptor().findFieldByName("status");

    private final Handlers handlers;
    private final Authenticator authenticator;
    private final AccessControl access;
    private final RateLimiter limiter;

    /** A finished call: the response message and the HTTP status a REST reply carries. */
    public record Outcome(Message response, StatusCode code, int httpStatus) {}

    /** Produces the request message; REST decodes the body here, after authentication. */
    @FunctionalInterface
    public interface Decoder {
        Message decode();
    }

    public Dispatcher(Handlers handlers, Authenticator authenticator, AccessControl access, RateLimiter limiter) {
        this.handlers = handlers;
        this.authenticator = authenticator;
        this.access = access;
        this.limiter = limiter;
    }

    public Outcome call(RpcMethod method, CredentialHeaders headers, Decoder decoder) {
        String reqId = RequestIds.next();
        long started = System.nanoTime();
        String credential = "-";
        Outcome outcome;
        try {
            Caller caller = null;
            if (method.authType() != AuthType.NONE) {
                caller = authenticator.authenticate(headers);
                credential = caller.publicId();
                if (!limiter.tryAcquire(caller.publicId())) {
                    throw new ApiException(StatusCode.CONN_THROTTLED, "Too many requests with this credential; slow down.");
                }
            }
            Message request = decoder.decode();
            Target target = Target.NONE;
            if (caller != null) {
                target = access.authorize(caller, method, userAppId(method, request));
                request = withUserAppId(method, request, target);
            }
            // Checked after authorization, so a bad credential is told so even on a method not
            // built yet (Clarifai's own client tests expect 11008 there).
            Optional<Handler<Message, Message>> handler = handlers.find(method.name());
            if (handler.isEmpty()) {
                throw new ApiException(StatusCode.NOT_IMPLEMENTED, method.name() + " is not implemented by this server.");
            }
            Message response = handler.get().handle(new Call(reqId, method, caller, target), request);
            outcome = success(method.statusField(), response, reqId);
        } catch (ApiException e) {
            outcome = failure(method.responsePrototype(), method.statusField(), e, reqId);
        } catch (RuntimeException e) {
            log.error("req_id={} method={} failed unexpectedly", reqId, method.name(), e);
            outcome = internalError(method.responsePrototype(), method.statusField(), reqId);
        }
        logLine(reqId, method.name(), credential, outcome, started);
        return outcome;
    }

    /** A request that never reached a method (unknown path, wrong verb): a bare status. */
    public Outcome reject(String what, ApiException e) {
        long started = System.nanoTime();
        String reqId = RequestIds.next();
        Outcome outcome = failure(BaseResponse.getDefaultInstance(), BASE_STATUS, e, reqId);
        logLine(reqId, Secrets.redact(what), "-", outcome, started);
        return outcome;
    }

    /** A fault outside any method (the front door itself failed): 98004 naming only the req_id. */
    public Outcome fault(String what, Throwable cause) {
        String reqId = RequestIds.next();
        log.error("req_id={} {} failed unexpectedly", reqId, Secrets.redact(what), cause);
        return internalError(BaseResponse.getDefaultInstance(), BASE_STATUS, reqId);
    }

    /** Fills in success (unless the handler set its own status, e.g. mixed) and the req_id. */
    private static Outcome success(FieldDescriptor statusField, Message response, String reqId) {
        Status status = (Status) response.getField(statusField);
        StatusCode code = status.getCode() == StatusCode.ZERO ? StatusCode.SUCCESS : status.getCode();
        Status.Builder filled = status.toBuilder().setCode(code).setReqId(reqId);
        if (filled.getDescription().isEmpty()) filled.setDescription(Statuses.description(code));
        return new Outcome(response.toBuilder().setField(statusField, filled.build()).build(), code, Statuses.http(code));
    }

    private static Outcome failure(Message prototype, FieldDescriptor statusField, ApiException e, String reqId) {
        Status status = Statuses.of(e.code(), e.details()).toBuilder().setReqId(reqId).build();
        Message response = prototype.newBuilderForType().setField(statusField, status).build();
        return new Outcome(response, e.code(), e.httpStatus());
    }

    private static Outcome internalError(Message prototype, FieldDescriptor statusField, String reqId) {
        return failure(prototype, statusField, new ApiException(StatusCode.INTERNAL_SERVER_ISSUE, "req_id " + reqId), reqId);
    }

    private static UserAppIDSet userAppId(RpcMethod method, Message request) {
        FieldDescriptor field = method.userAppIdField();
        return field == null ? UserAppIDSet.getDefaultInstance() : (UserAppIDSet) request.getField(field);
    }

    /** Handlers read the resolved ids from the request as if the caller had sent them. */
    private static Message withUserAppId(RpcMethod method, Message request, Target target) {
        FieldDescriptor field = method.userAppIdField();
        if (field == null) return request;
        UserAppIDSet resolved = UserAppIDSet.newBuilder().setUserId(target.userId()).setAppId(target.appId()).build();
        return request.toBuilder().setField(field, resolved).build();
    }

    private static void logLine(String reqId, String what, String credential, Outcome outcome, long startedNanos) {
        if (!log.isInfoEnabled()) return;
        log.info("req_id={} method={} credential={} code={} http={} ms={}", reqId, what, credential,
                outcome.code().getNumber(), outcome.httpStatus(), milliseconds(System.nanoTime() - startedNanos));
    }

    /** Nanoseconds as milliseconds with two decimals, without String.format's cost on every request. */
    static String milliseconds(long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
