package dev.clavis.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.MyScopesRequest;
import dev.clavis.net.Cidr;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A key limited to networks works from them only, on both doors; the limit set, changed and lifted; both databases. */
abstract class NetworkLimitTest {
    private TestServer server;

    abstract TestDatabases.Kind kind();

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void a_key_limited_to_networks_is_refused_from_elsewhere_with_11007_and_audited() {
        // Behind a trusted proxy, as deployments are: the forwarded address is the client's.
        server = new TestServer(kind(), c -> c.withTrustedProxies(List.of(Cidr.parse("127.0.0.1"))));
        server.createUser("alice");
        server.createApp("alice", "fenced", false);
        String pat = server.pat("alice");
        String key = server.appKey("alice", "fenced", List.of("All"), List.of());
        String keyId = server.clavis.keys().get("alice", key).publicId();
        assertEquals(10000, from("198.51.100.1", key).code(), "no limit yet");

        TestServer.Reply limited = server.rest("POST", "/v2/users/alice/keys/" + keyId + "/allowed_cidrs", pat,
                "{\"allowed_cidrs\": [\"203.0.113.0/24\", \"2001:db8::/32\"]}");
        assertEquals(10000, limited.code(), limited.body().toString());
        assertEquals(10000, from("203.0.113.9", key).code());
        assertEquals(10000, from("2001:db8::7", key).code());
        TestServer.Reply elsewhere = from("198.51.100.1", key);
        assertEquals(11007, elsewhere.code(), "the cached key's new limit applies to its next request");
        assertEquals(403, elsewhere.http());
        assertTrue(elsewhere.details().contains("only from 203.0.113.0/24") && elsewhere.details().contains("198.51.100.1"), elsewhere.details());
        assertEquals(11007, server.grpc(key).myScopes(MyScopesRequest.getDefaultInstance()).getStatus().getCode().getNumber(),
                "over gRPC, from 127.0.0.1");

        for (String bad : List.of("{\"allowed_cidrs\": [\"10.0.0.0/33\"]}", "{\"allowed_cidrs\": \"10.0.0.0/8\"}", "{}")) {
            assertEquals(400, server.rest("POST", "/v2/users/alice/keys/" + keyId + "/allowed_cidrs", pat, bad).http(), bad);
        }
        assertEquals(10000, from("203.0.113.9", key).code(), "a refused change changed nothing");
        assertEquals(List.of("203.0.113.0/24", "2001:db8:0:0:0:0:0:0/32").size(), server.clavis.keys().get("alice", keyId).allowedNetworks().size());

        TestServer.Reply audit = server.rest("POST", "/v2/users/alice/audit_log/searches", pat,
                "{\"query\":{\"operations\":[\"API_KEY_ADDRESS_REFUSED\"]}}");
        assertEquals(1, audit.body().getAsJsonArray("entries").size(), "recorded, once a minute at most: " + audit.body());

        assertEquals(10000, server.rest("POST", "/v2/users/alice/keys/" + keyId + "/allowed_cidrs", pat, "{\"allowed_cidrs\": []}").code());
        assertEquals(10000, from("198.51.100.1", key).code(), "the limit lifted");
    }

    private TestServer.Reply from(String address, String key) {
        return server.send("GET", "/v2/myscopes", null, "Authorization", "Key " + key, "X-Forwarded-For", address);
    }
}

class SqliteNetworkLimitTest extends NetworkLimitTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresNetworkLimitTest extends NetworkLimitTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
