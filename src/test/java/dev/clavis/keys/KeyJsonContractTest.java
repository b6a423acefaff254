package dev.clavis.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Pins the JSON of the key endpoints and of error bodies to fixture files under
 * {@code src/test/resources/fixtures}. Values that change per run (ids, secrets, times, req_id)
 * are replaced by placeholders such as {@code <id>} before comparing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyJsonContractTest {
    private static final Map<String, String> PLACEHOLDERS = Map.of(
            "clvk_[0-9A-Za-z]{49}", "<app-key-secret>",
            "clvp_[0-9A-Za-z]{49}", "<pat-secret>",
            "[0-9a-f]{32}", "<id>",
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "<timestamp>");

    private TestServer server;
    private String pat;

    @BeforeAll
    void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "my-app", false);
        pat = server.pat("alice");
        server.clock.advance(Duration.ofSeconds(1)); // keys made in the tests list first
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void create_list_and_get_bodies_match_their_fixtures() {
        TestServer.Reply created = server.rest("POST", "/v2/users/alice/keys", pat,
                "{\"keys\":[{\"description\":\"Predict only\",\"scopes\":[\"Predict\"],\"apps\":[{\"id\":\"my-app\",\"user_id\":\"alice\"}]}]}");
        assertMatches("keys-create.json", created.body());

        TestServer.Reply listed = server.rest("GET", "/v2/users/alice/apps/my-app/keys?per_page=1", pat, null);
        assertMatches("keys-list.json", listed.body());

        String publicId = listed.body().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
        assertMatches("keys-get.json", server.rest("GET", "/v2/users/alice/keys/" + publicId, pat, null).body());
    }

    @Test
    void error_bodies_match_their_fixtures() {
        assertMatches("error-invalid-key.json", server.rest("GET", "/v2/users/alice/keys", "not-a-key", null).body());
        assertMatches("error-unknown-scope.json", server.rest("POST", "/v2/users/alice/keys", pat,
                "{\"keys\":[{\"scopes\":[\"Inputs:Fly\"],\"apps\":[{\"id\":\"my-app\"}]}]}").body());
        assertMatches("error-key-not-found.json", server.rest("GET", "/v2/users/alice/keys/0123456789abcdef0123456789abcdef", pat, null).body());
        assertMatches("error-no-credential.json", server.rest("GET", "/v2/users/alice/keys", null, null).body());
    }

    private static void assertMatches(String fixture, JsonObject actual) {
        JsonElement expected = JsonParser.parseString(read("/fixtures/" + fixture));
        JsonElement normalised = normalise(actual);
        assertEquals(expected, normalised, () -> fixture + " differs; actual (normalised):\n"
                + new GsonBuilder().setPrettyPrinting().create().toJson(normalised));
    }

    private static JsonElement normalise(JsonElement element) {
        if (element.isJsonObject()) {
            JsonObject out = new JsonObject();
            element.getAsJsonObject().entrySet().forEach(e -> out.add(e.getKey(), normalise(e.getValue())));
            return out;
        }
        if (element.isJsonArray()) {
            JsonArray out = new JsonArray();
            element.getAsJsonArray().forEach(e -> out.add(normalise(e)));
            return out;
        }
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            String value = element.getAsString();
            for (Map.Entry<String, String> p : PLACEHOLDERS.entrySet()) {
                if (value.matches(p.getKey())) return new JsonPrimitive(p.getValue());
            }
        }
        return element;
    }

    private static String read(String resource) {
        try (InputStream in = KeyJsonContractTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing fixture " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
