package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before any route sees them (an undecodable path, a control character
 * in a header, a header too large) get a Clarifai status body too, instead of Jetty's HTML page.
 */
final class TransportErrors extends ErrorHandler {
    private final Dispatcher dispatcher;
    private final JsonCodec json;

    TransportErrors(Dispatcher dispatcher, JsonCodec json) {
        this.dispatcher = dispatcher;
        this.json = json;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, RestFront.JSON);
        return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, RestFront.JSON);
        response.write(true, ByteBuffer.wrap(body(code, message).getBytes(StandardCharsets.UTF_8)), callback);
    }

    private String body(int httpStatus, String reason) {
        // A request line without a version, or with one no one speaks, is the client's fault
        // although HTTP answers it with 505.
        boolean clientFault = httpStatus < 500 || httpStatus == 505;
        StatusCode code = switch (httpStatus) {
            case 413, 414, 431 -> StatusCode.CONN_EXCEEDS_LIMITS;
            case 404 -> StatusCode.CONN_DOES_NOT_EXIST;
            case 405 -> StatusCode.CONN_METHOD_NOT_ALLOWED;
            // Jetty's own 503 comes only while the server stops: another node, or this one
            // restarted, will take the request.
            case 503 -> StatusCode.TRY_AGAIN;
            default -> clientFault ? StatusCode.CONN_BAD_REQUEST_FORMAT : StatusCode.INTERNAL_SERVER_ISSUE;
        };
        String details = clientFault ? "The HTTP request could not be read: " + (reason == null ? "malformed" : reason) + "."
                : httpStatus == 503 ? "The server is shutting down; send the request again." : "";
        return json.print(dispatcher.reject(Door.REST, "-", "HTTP " + httpStatus, ApiException.sentAs(code, details, httpStatus)).response());
    }
}
