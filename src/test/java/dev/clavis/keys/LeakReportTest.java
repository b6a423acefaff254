package dev.clavis.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clavis.auth.Secrets;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v2/secret_scanning/reports} as GitHub's secret scanning would call it, with keys
 * this test makes: a signed report revokes the live tokens it names and labels each; a bad,
 * missing or unknown signature revokes nothing.
 */
abstract class LeakReportTest {
    @TempDir
    Path dir;

    private TestServer server;
    private KeyPair scanner;
    private KeyPair impostor;
    private final HttpClient http = HttpClient.newHttpClient();

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        scanner = generator.generateKeyPair();
        impostor = generator.generateKeyPair();
        Path keys = dir.resolve("scanners.json");
        Files.writeString(keys, "{\"public_keys\": [{\"key_identifier\": \"github-1\", \"key\": \"-----BEGIN PUBLIC KEY-----\\n"
                + Base64.getMimeEncoder().encodeToString(scanner.getPublic().getEncoded()).replace("\r\n", "\\n")
                + "\\n-----END PUBLIC KEY-----\\n\", \"is_current\": true}]}");
        server = new TestServer(kind(), c -> c.withLeakReportKeys(keys));
        server.createUser("alice");
        server.createApp("alice", "leaky", false);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_signed_report_revokes_the_live_tokens_it_names_and_labels_each() throws Exception {
        String key = server.appKey("alice", "leaky", List.of("All"), List.of());
        String pat = server.pat("alice");
        String stranger = Secrets.generate(dev.clavis.auth.CredentialKind.APP_KEY).reveal();
        assertEquals(10000, server.rest("GET", "/v2/app", key, null).code()); // cached, to be revoked anyway
        String report = "[{\"token\":\"" + key + "\",\"type\":\"clavis_api_key\",\"url\":\"https://github.com/x/y/blob/main/.env\","
                + "\"source\":\"content\"},{\"token\":\"" + stranger + "\",\"type\":\"clavis_api_key\",\"url\":\"https://gist.github.com/z\","
                + "\"source\":\"gist\"},{\"token\":\"not-ours\",\"type\":\"clavis_api_key\"}]";

        HttpResponse<String> reply = post(report, "github-1", sign(scanner.getPrivate(), report));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonArray labels = JsonParser.parseString(reply.body()).getAsJsonArray();
        assertEquals(3, labels.size());
        JsonObject first = labels.get(0).getAsJsonObject();
        assertEquals(Secrets.hash(key), first.get("token_hash").getAsString());
        assertEquals("clavis_api_key", first.get("token_type").getAsString());
        assertEquals("true_positive", first.get("label").getAsString());
        assertEquals("false_positive", labels.get(1).getAsJsonObject().get("label").getAsString(), "not a credential here");
        assertEquals("false_positive", labels.get(2).getAsJsonObject().get("label").getAsString());
        assertFalse(reply.body().contains(key) || reply.body().contains(stranger), "never a secret in the answer");

        assertEquals(11009, server.rest("GET", "/v2/app", key, null).code(), "revoked at once");
        assertEquals(10000, server.rest("GET", "/v2/users/alice/keys", pat, null).code(), "what was not reported still works");
    }

    @Test
    void without_a_valid_signature_nothing_is_revoked() throws Exception {
        String key = server.appKey("alice", "leaky", List.of("All"), List.of());
        String report = "[{\"token\":\"" + key + "\",\"type\":\"clavis_api_key\"}]";
        String tampered = "[{\"token\":\"" + key + "\",\"type\":\"clavis_api_key\",\"url\":\"x\"}]";
        for (HttpResponse<String> refused : List.of(
                post(report, "github-1", sign(impostor.getPrivate(), report)),
                post(tampered, "github-1", sign(scanner.getPrivate(), report)),
                post(report, "github-2", sign(scanner.getPrivate(), report)),
                post(report, "github-1", "bm90IGEgc2lnbmF0dXJl"),
                post(report, null, null))) {
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals(11002, JsonParser.parseString(refused.body()).getAsJsonObject().getAsJsonObject("status").get("code").getAsInt());
            assertEquals(10000, server.rest("GET", "/v2/app", key, null).code(), "nothing revoked");
        }
        String notAList = "{\"token\":\"" + key + "\"}";
        assertEquals(400, post(notAList, "github-1", sign(scanner.getPrivate(), notAList)).statusCode());
        assertEquals(10000, server.rest("GET", "/v2/app", key, null).code());
    }

    private HttpResponse<String> post(String body, String identifier, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl + "/v2/secret_scanning/reports"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (identifier != null) request.header("Github-Public-Key-Identifier", identifier);
        if (signature != null) request.header("Github-Public-Key-Signature", signature);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(PrivateKey key, String body) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(body.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    @Test
    void a_server_given_no_scanner_keys_takes_no_reports() throws Exception {
        try (TestServer plain = new TestServer(TestDatabases.Kind.SQLITE)) {
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(plain.baseUrl + "/v2/secret_scanning/reports"))
                    .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, reply.statusCode());
            assertTrue(reply.body().contains("\"code\":11101"), reply.body());
        }
    }
}

class SqliteLeakReportTest extends LeakReportTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresLeakReportTest extends LeakReportTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
