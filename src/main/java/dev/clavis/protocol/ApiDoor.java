package dev.clavis.protocol;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The REST door on Jetty's own API. API calls ({@code /v2/...}) need none of the servlet
 * container and web framework the portal is built on: routing, transcoding and answering are
 * Clavis's own (the method table), and the layers in between cost more than the request path
 * itself. So is {@code GET /livez}. Everything else, the portal, {@code POST /v2/login} and
 * {@code POST /v2/secret_scanning/reports}, the audit log search and key usage among it (see
 * {@link #ownJson}), passes on to Javalin, which Javalin wires in
 * as this handler's inner handler.
 */
final class ApiDoor extends Handler.Wrapper {
    private final RestFront rest;
    private final Cors cors;

    ApiDoor(RestFront rest, Cors cors) {
        this.rest = rest;
        this.cors = cors;
    }

    /** Served by Javalin like login: JSON of Clavis's own, not a V2 message. */
    private static final Pattern AUDIT_SEARCH = Pattern.compile("/v2/users/[^/]+/audit_log/searches");
    private static final Pattern KEY_USAGE = Pattern.compile("/v2/users/[^/]+/keys/[^/]+/usage");

    /** The {@code /v2} routes whose bodies are JSON of Clavis's own rather than V2 messages: Javalin serves them. */
    private static boolean ownJson(String verb, String path) {
        if (verb.equals("POST")) {
            return path.equals("/v2/login") || path.equals("/v2/secret_scanning/reports") || AUDIT_SEARCH.matcher(path).matches();
        }
        return verb.equals("GET") && KEY_USAGE.matcher(path).matches();
    }
    private static final byte[] LIVE = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if ("/livez".equals(path)) {
            // Liveness asks only that the process answers; served here, it measures the same
            // server the API runs on.
            new JettyCall(request, response, callback).reply(200, RestFront.JSON, LIVE);
            return true;
        }
        boolean api = path != null && path.startsWith("/v2/") && !ownJson(request.getMethod(), path);
        if (!api) return super.handle(request, response, callback);
        String allowed = cors.allowOrigin(request.getHeaders().get(HttpHeader.ORIGIN));
        if (allowed != null) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
            response.getHeaders().add(HttpHeader.VARY, "Origin");
            if (request.getMethod().equals("OPTIONS") && request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD)) {
                // A browser's preflight: what the page may send; the call itself comes next.
                response.setStatus(204);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, Cors.ALLOWED_METHODS);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, Cors.ALLOWED_HEADERS);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, Cors.MAX_AGE_SECONDS);
                callback.succeeded();
                return true;
            }
        }
        rest.serve(new JettyCall(request, response, callback));
        return true;
    }

    private record JettyCall(Request request, Response response, Callback callback) implements RestCall {
        @Override
        public String verb() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return request.getHttpURI().getPath();
        }

        @Override
        public Map<String, List<String>> queryParams() {
            Fields fields = Request.extractQueryParameters(request);
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (Fields.Field field : fields) out.put(field.getName(), field.getValues());
            return out;
        }

        @Override
        public String peer() {
            return Request.getRemoteAddr(request);
        }

        @Override
        public List<String> headers(String name) {
            return request.getHeaders().getValuesList(name);
        }

        @Override
        public long declaredLength() {
            return request.getLength();
        }

        @Override
        public InputStream body() {
            return Content.Source.asInputStream(request);
        }

        @Override
        public void header(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        public void reply(int httpStatus, String contentType, byte[] body) {
            response.setStatus(httpStatus);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
