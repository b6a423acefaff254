package dev.clavis.keys;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.clavis.auth.Secrets;
import dev.clavis.net.ClientAddresses;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Dispatcher;
import dev.clavis.protocol.Door;
import dev.clavis.protocol.RestFront;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

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
        Dispatcher.Answer answer = dispatcher.outside(Door.REST, RestFront.clientAddress(ctx, clients), "LeakReport", reqId -> {
            if (!scanners.configured()) {
                throw new ApiException(StatusCode.CONN_DOES_NOT_EXIST, "Leak reports are not accepted here (no --leak-report-keys).");
            }
            byte[] body = ctx.bodyAsBytes();
            if (body.length > MAX_BODY_BYTES) {
                throw new ApiException(StatusCode.CONN_EXCEEDS_LIMITS, "A report has at most " + MAX_BODY_BYTES + " bytes.");
            }
            if (!scanners.verify(ctx.header("Github-Public-Key-Identifier"), ctx.header("Github-Public-Key-Signature"), body)) {
                throw new ApiException(StatusCode.CONN_CREDENTIALS_INVALID,
                        "The report's signature is missing or does not verify with a configured key; nothing was revoked.");
            }
            JsonArray findings = findings(body);
            if (findings == null) {
                throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT, "Send a JSON list of {\"token\", \"type\", \"url\", \"source\"}.");
            }
            return new Dispatcher.Answer(200, StatusCode.SUCCESS, "-", revoke(findings).toString());
        });
        ctx.status(answer.httpStatus()).contentType(RestFront.JSON).result(answer.json());
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
}
