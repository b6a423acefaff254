package dev.clavis.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonObject;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v2/users/{user_id}/keys/{key_id}/roll}: the same key with a new secret, the old one
 * working for the overlap asked and not a moment longer; on SQLite and on PostgreSQL.
 */
abstract class RollKeyTest {
    private TestServer server;
    private String pat;

    abstract TestDatabases.Kind kind();

    private void start() {
        server = new TestServer(kind());
        server.createUser("alice");
        server.createApp("alice", "rolled", false);
        pat = server.pat("alice");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void the_previous_secret_works_for_the_overlap_then_fails_with_11009() {
        start();
        String old = server.appKey("alice", "rolled", List.of("Predict"), List.of());
        String publicId = publicIdOf(old);
        assertEquals(10000, server.rest("GET", "/v2/app", old, null).code()); // cached from here on

        TestServer.Reply rolled = server.rest("POST", "/v2/users/alice/keys/" + publicId + "/roll", pat,
                "{\"expire_previous_in_seconds\": 60}");
        assertEquals(10000, rolled.code(), rolled.body().toString());
        JsonObject key = rolled.body().getAsJsonArray("keys").get(0).getAsJsonObject();
        String fresh = key.get("id").getAsString();
        assertNotEquals(old, fresh);
        assertEquals(List.of("Predict", "Concepts:Get", "Models:Get", "Workflows:Get", "Apps:Get").stream().sorted().toList(),
                key.getAsJsonArray("scopes").asList().stream().map(s -> s.getAsString()).sorted().toList(), "same scopes");
        assertEquals(publicId, publicIdOf(fresh), "the same key");

        assertEquals(10000, server.rest("GET", "/v2/app", fresh, null).code());
        assertEquals(10000, server.rest("GET", "/v2/app", old, null).code(), "the previous secret overlaps");
        server.clock.advance(Duration.ofSeconds(61));
        TestServer.Reply late = server.rest("GET", "/v2/app", old, null);
        assertEquals(11009, late.code());
        assertEquals(401, late.http());
        assertEquals(10000, server.rest("GET", "/v2/app", fresh, null).code());
    }

    @Test
    void rolled_at_once_the_previous_secret_stops_on_the_next_request_and_bad_overlaps_change_nothing() {
        start();
        String old = server.appKey("alice", "rolled", List.of("All"), List.of());
        String publicId = publicIdOf(old);
        for (String body : List.of("{\"expire_previous_in_seconds\": -1}", "{\"expire_previous_in_seconds\": 604801}",
                "{\"expire_previous_in_seconds\": \"soon\"}", "{\"expire_previous_in_seconds\": 1.5}", "[1]", "{broken")) {
            TestServer.Reply refused = server.rest("POST", "/v2/users/alice/keys/" + publicId + "/roll", pat, body);
            assertEquals(400, refused.http(), body + ": " + refused.body());
            assertEquals(10000, server.rest("GET", "/v2/app", old, null).code(), "nothing rolled by " + body);
        }
        TestServer.Reply appKeyRolls = server.rest("POST", "/v2/users/alice/keys/" + publicId + "/roll", old, "{}");
        assertTrue(appKeyRolls.http() == 401 || appKeyRolls.http() == 403, "an app key manages no keys: " + appKeyRolls.body());

        TestServer.Reply rolled = server.rest("POST", "/v2/users/alice/keys/" + publicId + "/roll", pat, "{}");
        assertEquals(10000, rolled.code(), rolled.body().toString());
        assertEquals(11009, server.rest("GET", "/v2/app", old, null).code(), "no overlap asked: gone at once");
        String fresh = rolled.body().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
        assertEquals(10000, server.rest("GET", "/v2/app", fresh, null).code());

        server.createUser("bob");
        assertEquals(404, server.rest("POST", "/v2/users/bob/keys/" + publicId + "/roll", server.pat("bob"), "{}").http(),
                "someone else's key is not found");
        assertEquals(10000, server.rest("GET", "/v2/app", fresh, null).code());
    }

    private String publicIdOf(String secret) {
        return server.clavis.keys().get("alice", secret).publicId();
    }
}

class SqliteRollKeyTest extends RollKeyTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresRollKeyTest extends RollKeyTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
