package dev.clavis.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database: a key deleted or patched through one is refused by the
 * other, although the other had it in its authentication cache.
 */
class RevocationAcrossNodesTest {
    /** How long a peer may take to hear of a revocation; the cache itself would keep it 10 minutes. */
    private static final long PATIENCE_MILLIS = 5_000;

    @Test
    void a_key_deleted_on_one_node_is_refused_by_the_other() throws InterruptedException {
        String url = TestDatabases.postgres();
        try (TestServer a = new TestServer(url); TestServer b = new TestServer(url)) {
            a.createUser("alice");
            a.createApp("alice", "shared", false);
            String pat = a.pat("alice");
            String key = a.appKey("alice", "shared", List.of("All"), List.of());
            String patched = a.appKey("alice", "shared", List.of("All"), List.of());
            assertEquals(10000, b.rest("GET", "/v2/app", key, null).code(), "b caches the key");
            assertEquals(10000, b.rest("GET", "/v2/app", patched, null).code(), "b caches the other key");

            assertEquals(10000, a.rest("DELETE", "/v2/users/alice/keys/" + key, pat, null).code());
            assertEquals(11009, awaitCode(b, key, 11009));

            String publicId = a.rest("GET", "/v2/users/alice/keys/" + patched, pat, null).body()
                    .getAsJsonObject("key").get("id").getAsString();
            a.rest("PATCH", "/v2/users/alice/keys", pat,
                    "{\"keys\":[{\"id\":\"" + publicId + "\",\"scopes\":[\"Inputs:Get\"]}],\"action\":\"overwrite\"}");
            assertEquals(11007, awaitCode(b, patched, 11007));
        }
    }

    @Test
    void deleting_an_app_on_one_node_revokes_its_keys_on_the_other() throws InterruptedException {
        String url = TestDatabases.postgres();
        try (TestServer a = new TestServer(url); TestServer b = new TestServer(url)) {
            a.createUser("bob");
            a.createApp("bob", "doomed", false);
            String key = a.appKey("bob", "doomed", List.of("All"), List.of());
            assertEquals(10000, b.rest("GET", "/v2/app", key, null).code());
            a.clavis.apps().delete("bob", "doomed");
            assertEquals(11009, awaitCode(b, key, 11009));
        }
    }

    /** Asks until the answer is {@code wanted} or patience runs out; returns the last answer. */
    private static int awaitCode(TestServer node, String key, int wanted) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        int code;
        do {
            code = node.rest("GET", "/v2/app", key, null).code();
            if (code == wanted) return code;
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        return code;
    }
}
