package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.gson.JsonObject;
import com.google.protobuf.Message;
import dev.clavis.auth.CredentialHeaders;
import dev.clavis.net.ClientAddresses;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;

/**
 * The REST door: transcodes {@code /v2/...} requests to request messages by the descriptor's
 * HTTP bindings (path variables, dotted and repeated query parameters, JSON bodies), hands them
 * to the {@link Dispatcher}, and writes the response as JSON with the status's HTTP code.
 */
public final class RestFront {
    public static final String JSON = "application/json; charset=UTF-8";
    /** Below this, measured from the first byte asked for, a request body is refused. */
    static final long MIN_READ_BYTES_PER_SECOND = 1024;
    /** Where a key or PAT travels, and where a session token does (DESIGN §3). */
    private static final String AUTHORIZATION = "Authorization";
    private static final String SESSION_TOKEN = "X-Clarifai-Session-Token";

    private final MethodTable table;
    private final Dispatcher dispatcher;
    private final JsonCodec json;
    private final int maxBodyBytes;
    /** Web origins whose pages may call the API (see {@link Cors}). */
    private final List<String> corsOrigins;
    private final ClientAddresses clients;
    /** Routes of Clavis's own, tried before the descriptor's (see {@link #own}). */
    private final List<OwnRoute> ownRoutes = new CopyOnWriteArrayList<>();

    /**
     * A REST route that the Clarifai descriptor lacks: its path variables bind into the request
     * of {@code like} where they name its fields (so {@code user_app_id.user_id} is authorized as
     * usual), whose authentication, scopes and response type it takes; the variables and the JSON
     * body, its own, go to the handler as they came.
     */
    public record OwnRoute(String verb, PathTemplate path, String name, RpcMethod like, OwnHandler handler) {}

    /** Handles an own route's call: the request built from the path, the path's variables, and the body. */
    @FunctionalInterface
    public interface OwnHandler {
        Message handle(Call call, Message request, Map<String, String> path, JsonObject body);
    }

    public RestFront(MethodTable table, Dispatcher dispatcher, JsonCodec json, int maxBodyBytes, List<String> corsOrigins,
                     ClientAddresses clients) {
        this.clients = clients;
        this.corsOrigins = List.copyOf(corsOrigins);
        this.table = table;
        this.dispatcher = dispatcher;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The server settings the REST door relies on; pass to {@code Javalin.create}. On stop, the
     * server closes its port and gives the requests it is serving up to {@code shutdownGrace}.
     */
    public void configure(JavalinConfig config, Duration shutdownGrace) {
        config.startup.showJavalinBanner = false;
        // body() enforces the limits itself, to answer with a Clarifai status.
        config.http.maxRequestSize = maxBodyBytes + 1L;
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(new TransportErrors(dispatcher, json));
            // Javalin puts its own handler inside the innermost of these: /v2 calls never reach it.
            ApiDoor door = new ApiDoor(this, new Cors(corsOrigins));
            // Bodies are read before any handler runs, without a thread: a client sending a byte
            // now and then holds a connection, never a thread that authenticated requests need.
            // (Retained as they arrived and replayed to the handler, whatever their type: the
            // servlet layer under Javalin parses the portal's forms itself.)
            EagerContentHandler eager = new EagerContentHandler(door,
                    new EagerContentHandler.RetainedContentLoaderFactory(maxBodyBytes + 1024L, -1, false));
            // And a body slower than this ends with an error rather than tying up buffers for long.
            MinimumDataRateHandler paced = new MinimumDataRateHandler(eager, MIN_READ_BYTES_PER_SECOND, 0);
            // Stopping closes the port and gives requests in flight the stop timeout to finish;
            // this turns away one arriving meanwhile on a kept-alive connection (10030, HTTP 503),
            // so that the grace goes to calls already running, not to new ones.
            server.setHandler(new GracefulHandler(paced));
            server.setStopTimeout(shutdownGrace.toMillis());
        });
        // No per-connection cache of header lines. Jetty keeps each line it parsed (credentials
        // included) in a trie per connection and walks it before parsing the next request's
        // headers: with an Authorization header that walk cost more than parsing
        // (bench/hotpath: MyScopes 8 % faster without it, /livez the same). And it matches
        // ignoring case by default, so "Authorization: key X" after "Key X" would be read as
        // "Key X", while the scheme word is case-sensitive (DESIGN §2).
        config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
    }

    /**
     * Answers unknown paths and unexpected faults of the routes Javalin serves (the portal,
     * {@code POST /v2/login}) with a Clarifai status instead of Javalin's own pages; the API
     * itself is served by {@link ApiDoor} before Javalin.
     */
    public void install(RoutesConfig app) {
        app.exception(Exception.class, (e, ctx) -> reply(ctx, dispatcher.fault(ctx.method() + " " + ctx.path(), e)));
        app.error(404, ctx -> {
            // The portal answers its own paths with pages (see Portal); the API's get a status.
            if (!ctx.path().startsWith("/v2/")) return;
            reply(ctx, dispatcher.reject(Door.REST, clientAddress(ctx, clients), ctx.method() + " " + ctx.path(),
                    ApiException.notFound("No such path: check the url of your request.")));
        });
    }

    /**
     * Adds a route of Clavis's own; the server must not be serving yet. Its path has a variable:
     * a path of literals alone is looked up among the V2 routes first and would never reach it.
     */
    public void own(OwnRoute route) {
        if (route.path().literalCount() == route.path().segmentCount()) {
            throw new IllegalArgumentException("an own route needs a path variable: " + route.path());
        }
        ownRoutes.add(route);
    }

    /** Reads a request body up to the configured limit; larger bodies are 11006 / HTTP 413. */
    public String body(Context ctx) {
        return body(ctx, maxBodyBytes);
    }

    /** The same with a lower limit, for bodies that are small by nature (a sign-in). */
    public String body(Context ctx, int limit) {
        return body(ctx.req().getContentLengthLong(), () -> ctx.req().getInputStream(), Math.min(limit, maxBodyBytes));
    }

    private interface Body {
        InputStream open() throws IOException;
    }

    private String body(long declaredLength, Body source, int limit) {
        if (declaredLength > limit) throw tooLarge(limit);
        try (InputStream in = source.open()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) throw tooLarge(limit);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "The request body could not be read.");
        }
    }

    /**
     * Writes a JSON answer straight to the servlet response: Javalin's {@code result()} passes
     * it through a stream that decides per request whether to compress, a tenth of a small
     * request's time on Javalin 7 even when nothing is compressed.
     */
    public static void write(Context ctx, int httpStatus, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpServletResponse response = ctx.res();
        response.setStatus(httpStatus);
        response.setContentType(JSON);
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IOException clientGone) {
            // The client closed the connection; there is no one to answer.
        }
    }

    /** The client's address, as {@code clients} reads the connection and its forwarding headers. */
    public static String clientAddress(Context ctx, ClientAddresses clients) {
        return clients.of(ctx.req().getRemoteAddr(), () -> Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    /** The credential headers of a request that Javalin serves (Clavis's own JSON endpoints beside the API). */
    public static CredentialHeaders credentialHeaders(Context ctx) {
        return CredentialHeaders.of(Collections.list(ctx.req().getHeaders(AUTHORIZATION)),
                Collections.list(ctx.req().getHeaders(SESSION_TOKEN)));
    }

    /** One API call, from routing to the written answer; a fault anywhere is a 98004, not a dropped call. */
    void serve(RestCall call) {
        Dispatcher.Outcome outcome;
        try {
            outcome = route(call);
        } catch (RuntimeException e) {
            outcome = dispatcher.fault(call.verb() + " " + call.path(), e);
        }
        if (outcome.retryAfter() != null) {
            // Whole seconds, rounded up, as HTTP says; the details say it in milliseconds.
            call.header("Retry-After", Long.toString((outcome.retryAfter().toMillis() + 999) / 1000));
        }
        call.reply(outcome.httpStatus(), JSON, json.print(outcome.response()).getBytes(StandardCharsets.UTF_8));
    }

    private Dispatcher.Outcome route(RestCall call) {
        String verb = call.verb();
        String client = clients.of(call.peer(), () -> call.headers("X-Forwarded-For"));
        // Before own routes: theirs all have variables (see own), so none is a literal route.
        MethodTable.Match literal = table.literalRoute(verb, call.path());
        if (literal != null) return call(call, client, literal);
        Optional<List<String>> segments = PathTemplate.segments(call.path());
        if (segments.isPresent()) {
            for (OwnRoute own : ownRoutes) {
                Optional<Map<String, String>> bound = own.verb().equals(verb) ? own.path().match(segments.get()) : Optional.empty();
                if (bound.isPresent()) return callOwn(call, client, own, bound.get());
            }
            Optional<MethodTable.Match> match = table.route(verb, segments.get());
            if (match.isPresent()) return call(call, client, match.get());
        }
        if (segments.isPresent() && table.pathExists(segments.get())) {
            return dispatcher.reject(Door.REST, client, verb + " " + call.path(),
                    new ApiException(StatusCode.CONN_METHOD_NOT_ALLOWED, verb + " is not allowed on this path."));
        }
        return dispatcher.reject(Door.REST, client, verb + " " + call.path(), ApiException.notFound("No such path: check the url of your request."));
    }

    private Dispatcher.Outcome call(RestCall call, String client, MethodTable.Match match) {
        CredentialHeaders credentials = CredentialHeaders.of(call.headers(AUTHORIZATION), call.headers(SESSION_TOKEN));
        return dispatcher.call(Door.REST, client, match.method(), credentials, () -> decode(call, match));
    }

    private Dispatcher.Outcome callOwn(RestCall call, String client, OwnRoute own, Map<String, String> bound) {
        CredentialHeaders credentials = CredentialHeaders.of(call.headers(AUTHORIZATION), call.headers(SESSION_TOKEN));
        JsonObject[] body = {new JsonObject()};
        return dispatcher.callOwn(Door.REST, client, own.name(), own.like(), credentials, () -> {
            String text = body(call.declaredLength(), call::body, maxBodyBytes);
            if (!text.isBlank()) body[0] = json.object(text);
            Message.Builder request = own.like().requestPrototype().newBuilderForType();
            bound.forEach((field, value) -> FieldPaths.set(request, field, value));
            return request.build();
        }, (c, request) -> own.handler().handle(c, request, bound, body[0]));
    }

    private void reply(Context ctx, Dispatcher.Outcome outcome) {
        write(ctx, outcome.httpStatus(), json.print(outcome.response()));
    }

    private Message decode(RestCall call, MethodTable.Match match) {
        Message.Builder request = match.method().requestPrototype().newBuilderForType();
        String bodyRule = match.binding().body();
        if (!bodyRule.isEmpty()) {
            String body = body(call.declaredLength(), call::body, maxBodyBytes);
            if (!body.isBlank()) {
                if (bodyRule.equals("*")) {
                    json.merge(body, request);
                } else {
                    FieldDescriptor field = request.getDescriptorForType().findFieldByName(bodyRule);
                    if (field != null) json.merge(body, request.getFieldBuilder(field));
                }
            }
        }
        Map<String, List<String>> query;
        try {
            query = call.queryParams();
        } catch (RuntimeException badEncoding) {
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "The query string could not be decoded.");
        }
        for (Map.Entry<String, List<String>> param : query.entrySet()) {
            for (String value : param.getValue()) FieldPaths.set(request, param.getKey(), value);
        }
        match.pathVariables().forEach((field, value) -> FieldPaths.set(request, field, value));
        return request.build();
    }

    private static ApiException tooLarge(int limit) {
        return new ApiException(StatusCode.CONN_EXCEEDS_LIMITS, "The request body is larger than " + limit + " bytes.");
    }
}
