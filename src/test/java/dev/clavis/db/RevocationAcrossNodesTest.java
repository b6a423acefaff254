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

    @Test
    void a_node_that_lost_its_listen_connection_refuses_a_deleted_key_within_two_seconds() throws InterruptedException {
        String url = TestDatabases.postgres();
        try (TestServer a = new TestServer(url); TestServer b = new TestServer(url)) {
            a.createUser("carol");
            a.createApp("carol", "app", false);
            String pat = a.pat("carol");
            String key = a.appKey("carol", "app", List.of("All"), List.of());
            assertEquals(10000, b.rest("GET", "/v2/myscopes", key, null).code(), "b caches the key");
            // Every node's LISTEN connection goes; whatever a's NOTIFY says, nobody hears it.
            a.clavis.database().jdbi().useHandle(h -> h.createQuery(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name")
                    .bind("name", RevocationFeed.LISTENER_NAME).mapTo(Boolean.class).list());
            assertEquals(10000, a.rest("DELETE", "/v2/users/carol/keys/" + key, pat, null).code());
            assertEquals(11009, a.rest("GET", "/v2/myscopes", key, null).code(), "the serving node at once");
            assertEquals(11009, awaitCode(b, key, 11009, 2_000), "the other within the poll bound");
        }
    }

    @Test
    void an_app_made_private_on_one_node_is_hidden_from_strangers_on_the_other() throws InterruptedException {
        String url = TestDatabases.postgres();
        try (TestServer a = new TestServer(url); TestServer b = new TestServer(url)) {
            a.createUser("dave");
            a.createUser("erin");
            a.createApp("dave", "gallery", true);
            String owner = a.pat("dave");
            String stranger = a.pat("erin");
            String path = "/v2/users/dave/apps/gallery";
            assertEquals(10000, b.rest("GET", path, stranger, null).code(), "b caches the public app");
            a.rest("PATCH", "/v2/users/dave/apps", owner,
                    "{\"apps\":[{\"id\":\"gallery\",\"visibility\":{\"gettable\":10}}],\"action\":\"overwrite\"}");
            assertEquals(11101, a.rest("GET", path, stranger, null).code(), "the serving node at once");
            long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
            int code;
            do {
                code = b.rest("GET", path, stranger, null).code();
            } while (code != 11101 && System.currentTimeMillis() < deadline);
            assertEquals(11101, code);
        }
    }

    private static int awaitCode(TestServer node, String key, int wanted) throws InterruptedException {
        return awaitCode(node, key, wanted, PATIENCE_MILLIS);
    }

    /** Asks until the answer is {@code wanted} or patience runs out; returns the last answer. */
    private static int awaitCode(TestServer node, String key, int wanted, long patienceMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + patienceMillis;
        int code;
        do {
            code = node.rest("GET", "/v2/app", key, null).code();
            if (code == wanted) return code;
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        return code;
    }
}
