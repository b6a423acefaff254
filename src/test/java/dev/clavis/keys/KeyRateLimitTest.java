package dev.clavis.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key's own rate limit over the server's: set, lifted to none, and back to the server's default. */
class KeyRateLimitTest {
    @Test
    void a_key_has_its_own_limit_or_none_or_the_servers() {
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withLimits(1024 * 1024, 4))) {
            server.createUser("alice");
            server.createApp("alice", "paced", false);
            String pat = server.pat("alice");
            server.clavis.keys().limitRate("alice", pat, 0); // the test's own token is not what is measured
            String slow = server.appKey("alice", "paced", List.of("All"), List.of());
            String free = server.appKey("alice", "paced", List.of("All"), List.of());
            String plain = server.appKey("alice", "paced", List.of("All"), List.of());
            assertEquals(10000, limit(server, pat, slow, "2").code());
            assertEquals(10000, limit(server, pat, free, "0").code());

            assertTrue(accepted(server, slow) <= 3, "its own 2/s");
            assertEquals(12, accepted(server, free), "0: no limit, although the server's is 4/s");
            int byDefault = accepted(server, plain);
            assertTrue(byDefault >= 4 && byDefault <= 5, "the server's 4/s: " + byDefault);

            assertEquals(10000, limit(server, pat, free, "null").code());
            assertTrue(accepted(server, free) <= 5, "back to the server's");
            for (String bad : List.of("-1", "1.5", "\"fast\"", "1000001")) {
                assertEquals(400, limit(server, pat, slow, bad).http(), bad);
            }
            assertEquals(400, server.rest("POST", "/v2/users/alice/keys/" + id(server, slow) + "/rate_limit", pat, "{}").http());
        }
    }

    private static TestServer.Reply limit(TestServer server, String pat, String key, String value) {
        return server.rest("POST", "/v2/users/alice/keys/" + id(server, key) + "/rate_limit", pat, "{\"requests_per_second\": " + value + "}");
    }

    private static String id(TestServer server, String key) {
        return server.clavis.keys().get("alice", key).publicId();
    }

    private static int accepted(TestServer server, String key) {
        int n = 0;
        for (int i = 0; i < 12; i++) {
            if (server.rest("GET", "/v2/myscopes", key, null).code() == 10000) n++;
        }
        return n;
    }
}
