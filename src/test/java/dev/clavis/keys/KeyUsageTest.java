package dev.clavis.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.MyScopesRequest;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A key's requests counted per hour by method and outcome, over both doors, read back by its owner; on both databases. */
abstract class KeyUsageTest {
    private TestServer server;

    abstract TestDatabases.Kind kind();

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void requests_are_counted_per_method_and_outcome_and_read_per_hour_or_day() {
        server = new TestServer(kind());
        server.createUser("alice");
        server.createApp("alice", "counted", false);
        String pat = server.pat("alice");
        String key = server.appKey("alice", "counted", List.of("All"), List.of());
        String keyId = server.clavis.keys().get("alice", key).publicId();
        for (int i = 0; i < 3; i++) assertEquals(10000, server.rest("GET", "/v2/myscopes", key, null).code());
        server.grpc(key).myScopes(MyScopesRequest.getDefaultInstance());
        assertEquals(404, server.rest("GET", "/v2/models/no-such-model", key, null).http());
        server.clavis.flushUsage();
        server.rest("GET", "/v2/myscopes", key, null);
        server.clavis.flushUsage(); // counts add up across flushes

        JsonObject hourly = usage(pat, "alice", keyId, "");
        assertEquals("127.0.0.1", hourly.get("last_used_address").getAsString());
        assertEquals(5L, count(hourly.getAsJsonArray("usage"), "MyScopes", "success"), hourly.toString());
        assertEquals(1L, count(hourly.getAsJsonArray("usage"), "GetModel", "refused:21200"), hourly.toString());
        JsonObject daily = usage(pat, "me", key, "?granularity=day");
        assertEquals(5L, count(daily.getAsJsonArray("usage"), "MyScopes", "success"));
        assertEquals(0, usage(pat, "alice", keyId, "?to=2020-01-01T00:00:00Z&from=2019-01-01T00:00:00Z").getAsJsonArray("usage").size());

        server.createUser("bob");
        assertEquals(11007, server.rest("GET", "/v2/users/alice/keys/" + keyId + "/usage", server.pat("bob"), null).code());
        assertEquals(404, server.rest("GET", "/v2/users/bob/keys/" + keyId + "/usage", server.pat("bob"), null).http(), "not bob's key");
        assertEquals(11007, server.rest("GET", "/v2/users/alice/keys/" + keyId + "/usage", key, null).code(), "not with an app key");
        assertEquals(400, server.rest("GET", "/v2/users/alice/keys/" + keyId + "/usage?granularity=week", pat, null).http());
    }

    private JsonObject usage(String credential, String user, String key, String query) {
        TestServer.Reply reply = server.rest("GET", "/v2/users/" + user + "/keys/" + key + "/usage" + query, credential, null);
        assertEquals(10000, reply.code(), reply.body().toString());
        return reply.body();
    }

    private static long count(JsonArray periods, String method, String outcome) {
        long sum = 0;
        for (JsonElement p : periods) {
            JsonObject o = p.getAsJsonObject();
            if (o.get("method").getAsString().equals(method) && o.get("outcome").getAsString().equals(outcome)) sum += o.get("count").getAsLong();
        }
        assertTrue(sum >= 0);
        return sum;
    }
}

class SqliteKeyUsageTest extends KeyUsageTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresKeyUsageTest extends KeyUsageTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
