package dev.clavis.protocol;

import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.api.status.BaseResponse;
import com.clarifai.grpc.api.status.Status;
import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.clavis.audit.Actor;
import dev.clavis.auth.AccessControl;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.Caller;
import dev.clavis.auth.CredentialHeaders;
import dev.clavis.auth.RateLimiter;
import dev.clavis.auth.Secrets;
import dev.clavis.auth.Target;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The path every call takes, whichever door it came in by: authenticate, throttle, decode,
 * authorize, find the handler, handle, and turn any failure into the method's own response type
 * with a status.
 * One log line and one timing per call, naming the credential by its public id only.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger("clavis.requests");
    /** The MDC key of the request id, which every log line a call causes carries. */
    public static final String REQ_ID = "req_id";
    private static final FieldDescriptor BASE_STATUS = BaseResponse.getDescriptor().findFieldByName("status");

    private final Handlers handlers;
    private final Authenticator authenticator;
    private final AccessControl access;
    private final RateLimiter limiter;
    private final CallMeters meters;

    /** Told of each call made with a credential, for its usage counts. */
    @FunctionalInterface
    public interface CredentialCalls {
        void called(String publicId, String method, StatusCode code, int httpStatus, String client);
    }

    private volatile CredentialCalls credentialCalls = (id, method, code, http, client) -> { };

    /**
     * A finished call: the response message and the HTTP status a REST reply carries, and for a
     * throttled call how long until the credential may call again (else null).
     */
    public record Outcome(Message response, StatusCode code, int httpStatus, Duration retryAfter) {
        Outcome(Message response, StatusCode code, int httpStatus) {
            this(response, code, httpStatus, null);
        }
    }

    /** Produces the request message; REST decodes the body here, after authentication. */
    @FunctionalInterface
    public interface Decoder {
        Message decode();
    }

    public Dispatcher(Handlers handlers, Authenticator authenticator, AccessControl access, RateLimiter limiter,
                      CallMeters meters) {
        this.meters = meters;
        this.handlers = handlers;
        this.authenticator = authenticator;
        this.access = access;
        this.limiter = limiter;
    }

    /**
     * @param door   the front the call came in by
     * @param client the caller's address, as the door reads it (see {@code net.ClientAddresses})
     */
    public Outcome call(Door door, String client, RpcMethod method, CredentialHeaders headers, Decoder decoder) {
        return dispatch(door, client, method, method.name(), headers, decoder, handlers.find(method.name()));
    }

    /**
     * A call to a method of Clavis's own, which the Clarifai descriptor does not have (rolling a
     * key's secret): authenticated, throttled and authorized exactly as {@code like}, whose
     * request and response types it uses, logged and timed as {@code name}.
     */
    public Outcome callOwn(Door door, String client, String name, RpcMethod like, CredentialHeaders headers, Decoder decoder,
                           Handler<Message, Message> handler) {
        return dispatch(door, client, like, name, headers, decoder, Optional.of(handler));
    }

    private Outcome dispatch(Door door, String client, RpcMethod method, String name, CredentialHeaders headers,
                             Decoder decoder, Optional<Handler<Message, Message>> handler) {
        String reqId = RequestIds.next();
        long started = System.nanoTime();
        // Every line this call causes carries its req_id; every audit entry, who acted and from where.
        MDC.put(REQ_ID, reqId);
        Actor actor = new Actor(door.label(), null, null, reqId, client);
        Actor.set(actor);
        try {
            Outcome outcome;
            String credential = "-";
            try {
                Caller caller = null;
                if (method.authType() != AuthType.NONE) {
                    caller = authenticator.authenticate(headers, client);
                    credential = caller.publicId();
                    Actor.set(actor.as(caller.userId(), caller.publicId()));
                    Duration wait = limiter.acquire(caller.publicId(), caller.credential().rateLimit());
                    if (!wait.isZero()) throw ApiException.throttled(wait);
                }
                Message request = decoder.decode();
                Target target = Target.NONE;
                if (caller != null) {
                    target = access.authorize(caller, method, userAppId(method, request));
                    request = withUserAppId(method, request, target);
                }
                // Checked after authorization, so a bad credential is told so even on a method not
                // built yet (Clarifai's own client tests expect 11008 there).
                if (handler.isEmpty()) {
                    throw new ApiException(StatusCode.NOT_IMPLEMENTED, method.name() + " is not implemented by this server.");
                }
                Message response = handler.get().handle(new Call(reqId, method, caller, target), request);
                outcome = success(method.statusField(), response, reqId);
            } catch (ApiException e) {
                outcome = failure(method.responsePrototype(), method.statusField(), e, reqId);
            } catch (RuntimeException e) {
                log.error("method {} failed unexpectedly", name, e);
                outcome = internalError(method.responsePrototype(), method.statusField(), reqId);
            }
            finished(door, client, name, name, credential, outcome, started);
            return outcome;
        } finally {
            MDC.remove(REQ_ID);
            Actor.clear();
        }
    }

    /** A request that never reached a method (unknown path, wrong verb): a bare status. */
    public Outcome reject(Door door, String client, String what, ApiException e) {
        long started = System.nanoTime();
        String reqId = RequestIds.next();
        MDC.put(REQ_ID, reqId);
        try {
            Outcome outcome = failure(BaseResponse.getDefaultInstance(), BASE_STATUS, e, reqId);
            // Paths are not a bounded set of names: these share one metric name.
            finished(door, client, Secrets.redact(what), CallMeters.UNROUTED, "-", outcome, started);
            return outcome;
        } finally {
            MDC.remove(REQ_ID);
        }
    }

    /** A fault outside any method (the front door itself failed): 98004 naming only the req_id. */
    public Outcome fault(String what, Throwable cause) {
        String reqId = RequestIds.next();
        try (MDC.MDCCloseable ignored = MDC.putCloseable(REQ_ID, reqId)) {
            log.error("{} failed unexpectedly", Secrets.redact(what), cause);
        }
        return internalError(BaseResponse.getDefaultInstance(), BASE_STATUS, reqId);
    }

    /** Fills in success (unless the handler set its own status, e.g. mixed) and the req_id. */
    private static Outcome success(FieldDescriptor statusField, Message response, String reqId) {
        Status status = MessageField.STATUS.of(response, statusField);
        StatusCode code = status.getCode() == StatusCode.ZERO ? StatusCode.SUCCESS : status.getCode();
        Status.Builder filled = status.toBuilder().setCode(code).setReqId(reqId);
        if (filled.getDescription().isEmpty()) filled.setDescription(Statuses.description(code));
        return new Outcome(MessageField.STATUS.with(response, statusField, filled.build()), code, Statuses.http(code));
    }

    private static Outcome failure(Message prototype, FieldDescriptor statusField, ApiException e, String reqId) {
        Status status = Statuses.of(e.code(), e.details()).toBuilder().setReqId(reqId).build();
        Message response = MessageField.STATUS.with(prototype, statusField, status);
        return new Outcome(response, e.code(), e.httpStatus(), e.retryAfter());
    }

    private static Outcome internalError(Message prototype, FieldDescriptor statusField, String reqId) {
        return failure(prototype, statusField, new ApiException(StatusCode.INTERNAL_SERVER_ISSUE, "req_id " + reqId), reqId);
    }

    private static UserAppIDSet userAppId(RpcMethod method, Message request) {
        FieldDescriptor field = method.userAppIdField();
        return field == null ? UserAppIDSet.getDefaultInstance() : MessageField.USER_APP_ID.of(request, field);
    }

    /** Handlers read the resolved ids from the request as if the caller had sent them. */
    private static Message withUserAppId(RpcMethod method, Message request, Target target) {
        FieldDescriptor field = method.userAppIdField();
        if (field == null) return request;
        UserAppIDSet resolved = UserAppIDSet.newBuilder().setUserId(target.userId()).setAppId(target.appId()).build();
        return MessageField.USER_APP_ID.with(request, field, resolved);
    }

    /** Counts each call made with a credential with this (see {@code keys.CredentialUsage}). */
    public void countCallsWith(CredentialCalls counter) {
        this.credentialCalls = counter;
    }

    /**
     * What a call outside the method table answers ({@code POST /v2/login}, leak reports, audit
     * log searches): the HTTP status, the Clarifai code its log line names, the credential that
     * acted ("-" for none) and the JSON body.
     */
    public record Answer(int httpStatus, StatusCode code, String credential, String json) {
        /** A bare status, as such calls answer their refusals. */
        public static Answer refused(ApiException e, String reqId) {
            JsonObject body = new JsonObject();
            body.add("status", statusJson(e.code(), e.details(), reqId));
            return new Answer(e.httpStatus(), e.code(), "-", body.toString());
        }
    }

    /** {@code {"code", "description", "details", "req_id"}}, for bodies built as JSON. */
    public static JsonObject statusJson(StatusCode code, String details, String reqId) {
        JsonObject status = new JsonObject();
        status.addProperty("code", code.getNumber());
        status.addProperty("description", Statuses.description(code));
        if (!details.isEmpty()) status.addProperty("details", details);
        status.addProperty("req_id", reqId);
        return status;
    }

    /**
     * Runs a call outside the method table with what every call has: a req_id (in the MDC), the
     * {@link Actor} its changes are audited as, its log line and its timing under {@code name}.
     * {@code work} gets the req_id; a refusal it throws is answered with a bare status.
     */
    public Answer outside(Door door, String client, String name, Function<String, Answer> work) {
        String reqId = RequestIds.next();
        long started = System.nanoTime();
        MDC.put(REQ_ID, reqId);
        Actor.set(new Actor(door.label(), null, null, reqId, client));
        try {
            Answer answer;
            try {
                answer = work.apply(reqId);
            } catch (ApiException e) {
                answer = Answer.refused(e, reqId);
            }
            finished(door, client, name, name, answer.credential(), new Outcome(null, answer.code(), answer.httpStatus()), started);
            return answer;
        } finally {
            MDC.remove(REQ_ID);
            Actor.clear();
        }
    }

    /** The call's one log line (its fields apart, for the JSON format) and its metrics. */
    private void finished(Door door, String client, String what, String metricName, String credential, Outcome outcome,
                          long startedNanos) {
        long nanos = System.nanoTime() - startedNanos;
        meters.observe(door, metricName, outcome.code(), nanos);
        if (!credential.equals("-")) credentialCalls.called(credential, metricName, outcome.code(), outcome.httpStatus(), client);
        if (!log.isInfoEnabled()) return;
        log.atInfo().setMessage("call")
                .addKeyValue("door", door.label())
                .addKeyValue("method", what)
                .addKeyValue("credential", credential)
                .addKeyValue("code", outcome.code().getNumber())
                .addKeyValue("http", outcome.httpStatus())
                .addKeyValue("ms", milliseconds(nanos))
                .addKeyValue("client", client)
                .log();
    }

    /**
     * Nanoseconds as milliseconds with two decimals, on every request: without String.format's
     * cost, or a concatenation's method handles.
     */
    static String milliseconds(long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return new StringBuilder(12).append(hundredths / 100).append(fraction < 10 ? ".0" : ".").append(fraction).toString();
    }
}
