package dev.clavis.keys;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.clavis.auth.Secrets;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.Dispatcher;
import dev.clavis.protocol.Door;
import dev.clavis.protocol.RequestIds;
import dev.clavis.protocol.RestFront;
import dev.clavis.protocol.Statuses;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import org.slf4j.MDC;

/**
 * {@code POST /v2/secret_scanning/reports}, in the format of GitHub's secret scanning partner
 * program: a JSON list of {@code {token, type, url, source}} found in public places, signed by the
 * scanner ({@code Github-Public-Key-Identifier}, {@code Github-Public-Key-Signature}: base64 DER
 * ECDSA P-256 over SHA-256 of the raw body) with a key from {@code --leak-report-keys}. Each token
 * that is a live credential here is revoked at once, on every node; the answer says per token
 * {@code token_hash} (SHA-256 hex), {@code token_type} and {@code label} (true_positive or
 * false_positive), never a secret. Without a valid signature nothing is revoked.
 */
public final class LeakReportEndpoint {
    /** A report is a list of findings, not a file: larger than this is not one. */
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final KeyService keys;
    private final ScannerKeys scanners;
    private final Dispatcher dispatcher;
    private final ClientAddresses clients;

    public LeakReportEndpoint(KeyService keys, ScannerKeys scanners, Dispatcher dispatcher, ClientAddresses clients) {
        this.keys = keys;
        this.scanners = scanners;
        this.dispatcher = dispatcher;
        this.clients = clients;
    }

    public void handle(Context ctx) {
        long started = System.nanoTime();
        String reqId = RequestIds.next();
        String client = RestFront.clientAddress(ctx, clients);
        MDC.put(Dispatcher.REQ_ID, reqId);
        try {
            StatusCode code = StatusCode.SUCCESS;
            int http = 200;
            String answer;
            byte[] body = ctx.bodyAsBytes();
            if (!scanners.configured()) {
                code = StatusCode.CONN_DOES_NOT_EXIST;
                http = 404;
                answer = status(code, "Leak reports are not accepted here (no --leak-report-keys).", reqId);
            } else if (body.length > MAX_BODY_BYTES) {
                code = StatusCode.CONN_EXCEEDS_LIMITS;
                http = 413;
                answer = status(code, "A report has at most " + MAX_BODY_BYTES + " bytes.", reqId);
            } else if (!scanners.verify(ctx.header("Github-Public-Key-Identifier"), ctx.header("Github-Public-Key-Signature"), body)) {
                code = StatusCode.CONN_CREDENTIALS_INVALID;
                http = 401;
                answer = status(code, "The report's signature is missing or does not verify with a configured key; nothing was revoked.",
                        reqId);
            } else {
                JsonArray findings = findings(body);
                if (findings == null) {
                    code = StatusCode.CONN_BAD_REQUEST_FORMAT;
                    http = 400;
                    answer = status(code, "Send a JSON list of {\"token\", \"type\", \"url\", \"source\"}.", reqId);
                } else {
                    answer = revoke(findings).toString();
                }
            }
            ctx.status(http).contentType(RestFront.JSON).result(answer);
            dispatcher.record(Door.REST, client, "LeakReport", "-", code, http, started);
        } finally {
            MDC.remove(Dispatcher.REQ_ID);
        }
    }

    private JsonArray revoke(JsonArray findings) {
        JsonArray labels = new JsonArray();
        for (JsonElement finding : findings) {
            JsonObject f = finding.getAsJsonObject();
            String token = f.get("token").getAsString();
            String where = f.has("url") && f.get("url").isJsonPrimitive() ? f.get("url").getAsString() : "(no url)";
            boolean known = Secrets.kindOf(token).isPresent()
                    && keys.revokeSecret(token, "leak reported by a secret scanner: " + Secrets.redact(where)).isPresent();
            JsonObject label = new JsonObject();
            label.addProperty("token_hash", Secrets.hash(token));
            label.addProperty("token_type", f.has("type") && f.get("type").isJsonPrimitive() ? f.get("type").getAsString() : "");
            label.addProperty("label", known ? "true_positive" : "false_positive");
            labels.add(label);
        }
        return labels;
    }

    /** The report's findings, or null when it is not a list of objects with a string token. */
    private static JsonArray findings(byte[] body) {
        try {
            JsonElement root = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (!root.isJsonArray()) return null;
            for (JsonElement f : root.getAsJsonArray()) {
                if (!f.isJsonObject() || !f.getAsJsonObject().has("token") || !f.getAsJsonObject().get("token").isJsonPrimitive()) {
                    return null;
                }
            }
            return root.getAsJsonArray();
        } catch (JsonParseException | IllegalStateException malformed) {
            return null;
        }
    }

    private static String status(StatusCode code, String details, String reqId) {
        JsonObject status = new JsonObject();
        status.addProperty("code", code.getNumber());
        status.addProperty("description", Statuses.description(code));
        status.addProperty("details", details);
        status.addProperty("req_id", reqId);
        JsonObject body = new JsonObject();
        body.add("status", status);
        return body.toString();
    }
}
