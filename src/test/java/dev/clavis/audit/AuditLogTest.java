package dev.clavis.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.DeleteKeyRequest;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log as its owner reads it, on SQLite and PostgreSQL: every event of a flow over both
 * doors, who acted and from where, in the change's own transaction, searched and filtered.
 */
abstract class AuditLogTest {
    private TestServer server;

    abstract TestDatabases.Kind kind();

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void each_event_is_recorded_with_who_acted_from_where_and_searched_by_its_owner_only() {
        server = new TestServer(kind());
        server.createUser("alice");
        assertEquals(10000, server.send("POST", "/v2/login", "{\"email\":\"alice@example.com\",\"password\":\"" + TestServer.PASSWORD + "\"}").code());
        assertEquals(11002, server.send("POST", "/v2/login", "{\"email\":\"alice@example.com\",\"password\":\"wrong one\"}").code());
        String pat = server.pat("alice");
        TestServer.Reply app = server.rest("POST", "/v2/users/alice/apps", pat, "{\"apps\":[{\"id\":\"audited\"}]}");
        String appReqId = app.body().getAsJsonObject("status").get("req_id").getAsString();
        String key = server.rest("POST", "/v2/users/alice/keys", pat,
                "{\"keys\":[{\"description\":\"k\",\"scopes\":[\"Predict\"],\"apps\":[{\"id\":\"audited\"}]}]}")
                .body().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
        String keyId = server.clavis.keys().get("alice", key).publicId();
        assertEquals(10000, server.rest("PATCH", "/v2/users/alice/keys", pat,
                "{\"action\":\"overwrite\",\"keys\":[{\"id\":\"" + keyId + "\",\"scopes\":[\"Inputs:Get\"]}]}").code());
        assertEquals(10000, server.rest("POST", "/v2/users/alice/keys/" + keyId + "/roll", pat, "{}").code());
        server.grpc(pat).deleteKey(DeleteKeyRequest.newBuilder().setKeyId(keyId).build());
        // A change refused as a whole records nothing: one good key and one for an app that is not there.
        assertEquals(404, server.rest("POST", "/v2/users/alice/keys", pat, "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"audited\"}]},"
                + "{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"missing\"}]}]}").http());

        JsonArray all = search(pat, "alice", "{\"sort_ascending\": true}");
        List<String> operations = all.asList().stream().map(e -> e.getAsJsonObject().get("operation").getAsString()).toList();
        assertEquals(List.of("USER_CREATE", "USER_LOGIN", "USER_LOGIN_FAILED", "PAT_CREATE", "APP_CREATE", "API_KEY_CREATE",
                "API_KEY_CREATE", "API_KEY_UPDATE", "API_KEY_ROLL", "API_KEY_DELETE"), operations);

        JsonObject created = entry(all, "APP_CREATE");
        assertEquals("rest", created.get("door").getAsString());
        assertEquals("alice", created.getAsJsonObject("user").get("id").getAsString());
        assertEquals(appReqId, created.get("req_id").getAsString(), "ties to the request's response");
        assertEquals("127.0.0.1", created.get("source_ip").getAsString());
        assertEquals("audited", created.getAsJsonArray("targets").get(0).getAsJsonObject().getAsJsonObject("app").get("id").getAsString());
        assertTrue(created.has("credential_id"), "the acting PAT");
        assertFalse(entry(all, "USER_LOGIN_FAILED").get("success").getAsBoolean());
        assertEquals("grpc", entry(all, "API_KEY_DELETE").get("door").getAsString());
        JsonObject update = entry(all, "API_KEY_UPDATE");
        assertTrue(update.getAsJsonObject("details").get("scopes").getAsString().contains("-> Inputs:Get"), update.toString());
        String everything = all.toString();
        assertFalse(everything.contains(key) || everything.contains(pat) || everything.contains(pat.substring(5, 25)), "never a secret");

        assertEquals(1, search(pat, "me", "{\"query\":{\"operations\":[\"API_KEY_DELETE\"]}}").size());
        assertEquals(4, search(pat, "alice", "{\"query\":{\"credential_id\":\"" + keyId + "\"}}").size(), "create, update, roll and delete of the key");
        assertEquals(1, search(pat, "alice", "{\"query\":{\"success\":false}}").size());
        assertEquals(2, search(pat, "alice", "{\"pagination\":{\"page\":1,\"per_page\":2}}").size());
        assertEquals("API_KEY_DELETE", search(pat, "alice", "{\"pagination\":{\"page\":1,\"per_page\":1}}").get(0)
                .getAsJsonObject().get("operation").getAsString(), "newest first by default");
        assertEquals(0, search(pat, "alice", "{\"query\":{\"timestamp_from\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\"}}").size());

        server.createUser("bob");
        String bobs = server.pat("bob");
        assertEquals(List.of("USER_CREATE", "PAT_CREATE"), search(bobs, "bob", "{\"sort_ascending\": true}").asList().stream()
                .map(e -> e.getAsJsonObject().get("operation").getAsString()).toList(), "bob sees only his own");
        TestServer.Reply othersLog = server.rest("POST", "/v2/users/alice/audit_log/searches", bobs, "{}");
        assertEquals(11007, othersLog.code());
        String appKey = server.appKey("alice", "audited", List.of("All"), List.of());
        assertEquals(11007, server.rest("POST", "/v2/users/alice/audit_log/searches", appKey, "{}").code(), "not with an app key");
        assertEquals(11100, server.rest("POST", "/v2/users/alice/audit_log/searches", pat, "[1]").code());
        assertEquals(400, server.rest("POST", "/v2/users/alice/audit_log/searches", pat, "{\"pagination\":{\"per_page\":5000}}").http());
    }

    @Test
    void an_expired_key_refused_is_recorded_once_a_minute_and_old_entries_are_pruned() {
        server = new TestServer(kind());
        server.createUser("alice");
        server.createApp("alice", "short", false);
        String pat = server.pat("alice");
        String key = server.rest("POST", "/v2/users/alice/keys", pat, "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"short\"}],"
                + "\"expires_at\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}]}")
                .body().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
        server.clock.advance(Duration.ofHours(2));
        for (int i = 0; i < 3; i++) assertEquals(11009, server.rest("GET", "/v2/app", key, null).code());
        JsonArray refused = search(pat, "alice", "{\"query\":{\"operations\":[\"API_KEY_EXPIRED_USE\"]}}");
        assertEquals(1, refused.size(), "a client retrying in a loop is recorded once a minute");
        assertFalse(refused.get(0).getAsJsonObject().get("success").getAsBoolean());

        int before = search(pat, "alice", "{}").size();
        assertTrue(before > 0);
        server.clavis.database().jdbi().useHandle(h -> h.execute("UPDATE audit_log SET at = 0 WHERE operation = 'USER_CREATE'"));
        assertEquals(1, new AuditTrail(server.clavis.database().jdbi(), server.clock).prune(Instant.ofEpochMilli(1)));
        assertEquals(before - 1, search(pat, "alice", "{}").size());
    }

    private JsonArray search(String credential, String user, String body) {
        TestServer.Reply reply = server.rest("POST", "/v2/users/" + user + "/audit_log/searches", credential, body);
        assertEquals(10000, reply.code(), reply.body().toString());
        return reply.body().getAsJsonArray("entries");
    }

    private static JsonObject entry(JsonArray entries, String operation) {
        for (JsonElement e : entries) {
            if (e.getAsJsonObject().get("operation").getAsString().equals(operation)) return e.getAsJsonObject();
        }
        throw new AssertionError("no " + operation + " in " + entries);
    }
}

class SqliteAuditLogTest extends AuditLogTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresAuditLogTest extends AuditLogTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
