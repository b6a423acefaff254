package dev.clavis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.testing.FreezableProxy;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Rate limits through Redis (127.0.0.1:6379, as CI runs it): two nodes on one PostgreSQL database
 * let a key through at its limit in total, not twice; with Redis gone each node limits on its
 * own and says so, and shares again once Redis is back.
 */
class SharedRateLimitTest {
    private static final String REDIS = "redis://127.0.0.1:6379";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void two_nodes_let_a_key_through_at_its_limit_in_total_and_say_when_to_retry() {
        requireRedis();
        String database = TestDatabases.postgres();
        try (TestServer a = new TestServer(database, c -> c.withLimits(1024 * 1024, 5).withRedisUrl(REDIS));
             TestServer b = new TestServer(database, c -> c.withLimits(1024 * 1024, 5).withRedisUrl(REDIS))) {
            a.createUser("alice");
            a.createApp("alice", "limited", false);
            String key = a.appKey("alice", "limited", List.of("All"), List.of());
            int accepted = 0;
            TestServer.Reply refused = null;
            for (int i = 0; i < 20; i++) {
                TestServer.Reply reply = (i % 2 == 0 ? a : b).rest("GET", "/v2/myscopes", key, null);
                if (reply.code() == 10000) accepted++;
                else refused = reply;
            }
            // A burst of 5, and whatever refilled at 5/s while the 20 were sent; 10 if each node counted alone.
            assertTrue(accepted >= 5 && accepted <= 7, "accepted " + accepted + " of 20 across two nodes");
            assertEquals(11005, refused.code());
            assertEquals(429, refused.http());
            assertTrue(refused.details().matches("Too many requests with this credential; retry after \\d+ ms\\."), refused.details());
            HttpResponse<String> raw = send(a.baseUrl + "/v2/myscopes", key);
            assertEquals(429, raw.statusCode());
            assertTrue(Long.parseLong(raw.headers().firstValue("Retry-After").orElseThrow()) >= 1, "Retry-After in whole seconds");
            assertTrue(readyz(a).contains("\"rate_limits\":\"shared (Redis)\""), readyz(a));

            // A key's own limit is shared the same way.
            String own = a.appKey("alice", "limited", List.of("All"), List.of());
            String ownId = a.clavis.keys().get("alice", own).publicId();
            assertEquals(10000, a.rest("POST", "/v2/users/alice/keys/" + ownId + "/rate_limit", a.pat("alice"),
                    "{\"requests_per_second\": 2}").code());
            int ownAccepted = 0;
            for (int i = 0; i < 12; i++) {
                if ((i % 2 == 0 ? a : b).rest("GET", "/v2/myscopes", own, null).code() == 10000) ownAccepted++;
            }
            assertTrue(ownAccepted >= 2 && ownAccepted <= 3, "its own 2/s across two nodes: " + ownAccepted);
        }
    }

    @Test
    void without_redis_each_node_limits_on_its_own_and_shares_again_when_it_is_back() throws Exception {
        requireRedis();
        try (FreezableProxy proxy = new FreezableProxy(6379);
             TestServer node = new TestServer(TestDatabases.Kind.SQLITE,
                     c -> c.withLimits(1024 * 1024, 5).withRedisUrl("redis://127.0.0.1:" + proxy.port()))) {
            node.createUser("alice");
            node.createApp("alice", "limited", false);
            String key = node.appKey("alice", "limited", List.of("All"), List.of());
            assertEquals(10000, node.rest("GET", "/v2/myscopes", key, null).code());
            assertTrue(readyz(node).contains("shared (Redis)"));

            proxy.cut();
            int accepted = 0;
            for (int i = 0; i < 20; i++) {
                if (node.rest("GET", "/v2/myscopes", key, null).code() == 10000) accepted++;
            }
            assertTrue(accepted >= 5 && accepted <= 7, "still limited, by the node alone: " + accepted);
            String ready = readyz(node);
            assertTrue(ready.contains("per node: Redis does not answer") && ready.contains("\"status\":\"ready\""), ready);

            proxy.restore();
            Thread.sleep(1_100); // the node asks Redis again a second after it failed
            node.rest("GET", "/v2/myscopes", key, null);
            assertTrue(readyz(node).contains("shared (Redis)"), readyz(node));
        }
    }

    private HttpResponse<String> send(String url, String key) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key " + key).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String readyz(TestServer server) {
        return send(server.baseUrl + "/readyz", "x").body();
    }

    /** CI runs Redis at 127.0.0.1:6379; a machine without it skips, saying so. */
    private static void requireRedis() {
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress("127.0.0.1", 6379), 1000);
        } catch (java.io.IOException e) {
            Assumptions.abort("Redis is not running at 127.0.0.1:6379: skipping the shared rate limit tests");
        }
    }
}
