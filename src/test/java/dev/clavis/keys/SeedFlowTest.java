package dev.clavis.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonObject;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The product description's flows, with its literal request body, over REST. */
class SeedFlowTest {
    /** The body of the seed's curl example, placeholders filled in. */
    private static final String SEED_BODY = """
            {
                "keys": [
                    {
                        "description": "All permissions",
                        "scopes": [
                            "All"
                        ],
                        "apps": [
                            {
                                "id": "YOUR_APP_ID_HERE",
                                "user_id": "YOUR_USER_ID_HERE"
                            }
                        ]
                    }
                ]
            }""";

    private TestServer server;
    private String pat;

    @BeforeEach
    void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "my-app", false);
        server.createApp("alice", "other-app", false);
        pat = server.pat("alice");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String createSeedKey() {
        TestServer.Reply created = server.rest("POST", "/v2/users/alice/keys", pat,
                SEED_BODY.replace("YOUR_APP_ID_HERE", "my-app").replace("YOUR_USER_ID_HERE", "alice"));
        assertEquals(200, created.http(), created.body().toString());
        JsonObject key = created.body().getAsJsonArray("keys").get(0).getAsJsonObject();
        assertEquals("All permissions", key.get("description").getAsString());
        assertEquals("app_specific_key", key.get("type").getAsString());
        return key.get("id").getAsString();
    }

    @Test
    void a_pat_creates_an_all_key_that_needs_no_ids() {
        String key = createSeedKey();
        assertTrue(key.startsWith("clvk_"));

        TestServer.Reply app = server.rest("GET", "/v2/app", key, null);
        assertEquals(200, app.http());
        assertEquals("my-app", app.body().getAsJsonObject("app").get("id").getAsString());

        TestServer.Reply scopes = server.rest("GET", "/v2/myscopes", key, null);
        assertEquals(10000, scopes.code());
        assertEquals("All", scopes.body().getAsJsonArray("scopes").get(0).getAsString());
        assertEquals("my-app", scopes.body().getAsJsonObject("app").get("id").getAsString());
    }

    @Test
    void the_key_cannot_reach_another_app() {
        String key = createSeedKey();
        TestServer.Reply other = server.rest("GET", "/v2/users/alice/apps/other-app", key, null);
        assertEquals(11008, other.code());
        assertEquals(401, other.http());
        assertEquals("Invalid API key or Invalid API key/application pair",
                other.body().getAsJsonObject("status").get("description").getAsString());
    }

    @Test
    void the_key_is_refused_on_every_key_management_method() {
        String key = createSeedKey();
        List<String[]> calls = List.of(
                new String[] {"POST", "/v2/users/alice/keys", SEED_BODY},
                new String[] {"GET", "/v2/users/alice/keys", null},
                new String[] {"GET", "/v2/users/alice/apps/my-app/keys", null},
                new String[] {"GET", "/v2/users/alice/keys/" + key, null},
                new String[] {"PATCH", "/v2/users/alice/keys", "{\"keys\":[{\"id\":\"" + key + "\",\"scopes\":[\"All\"]}],\"action\":\"overwrite\"}"},
                new String[] {"DELETE", "/v2/users/alice/keys/" + key, null});
        for (String[] call : calls) {
            TestServer.Reply reply = server.rest(call[0], call[1], key, call[2]);
            assertEquals(11007, reply.code(), call[0] + " " + call[1]);
            assertEquals(403, reply.http());
            assertTrue(reply.details().contains("personal access token"), reply.details());
        }
        assertEquals(10000, server.rest("GET", "/v2/app", key, null).code(), "and the key still works");
    }

    @Test
    void a_deleted_key_is_refused_on_the_next_request() {
        String key = createSeedKey();
        assertEquals(10000, server.rest("GET", "/v2/app", key, null).code(), "warms the authentication cache");
        assertEquals(200, server.rest("DELETE", "/v2/users/alice/keys/" + key, pat, null).http());
        TestServer.Reply refused = server.rest("GET", "/v2/app", key, null);
        assertEquals(11009, refused.code());
        assertEquals(401, refused.http());
    }

    @Test
    void a_patched_key_loses_its_scopes_on_the_next_request() {
        String key = createSeedKey();
        String publicId = server.rest("GET", "/v2/users/alice/apps/my-app/keys", pat, null).body()
                .getAsJsonArray("keys").asList().stream()
                .map(k -> k.getAsJsonObject())
                .filter(k -> k.get("description").getAsString().equals("All permissions"))
                .findFirst().orElseThrow().get("id").getAsString();
        assertEquals(10000, server.rest("GET", "/v2/app", key, null).code());
        TestServer.Reply patched = server.rest("PATCH", "/v2/users/alice/keys", pat,
                "{\"keys\":[{\"id\":\"" + publicId + "\",\"scopes\":[\"Inputs:Get\"]}],\"action\":\"overwrite\"}");
        assertEquals(200, patched.http(), patched.body().toString());
        assertEquals(11007, server.rest("GET", "/v2/app", key, null).code());
    }

    @Test
    void deleting_the_app_revokes_its_keys_at_once() {
        String key = createSeedKey();
        assertEquals(10000, server.rest("GET", "/v2/app", key, null).code());
        assertEquals(200, server.rest("DELETE", "/v2/users/alice/apps/my-app", pat, null).http());
        assertEquals(11009, server.rest("GET", "/v2/app", key, null).code());
    }

    @Test
    void a_new_app_comes_with_an_all_key_listed_for_it() {
        TestServer.Reply created = server.rest("POST", "/v2/users/alice/apps", pat, "{\"apps\":[{\"id\":\"fresh\"}]}");
        assertEquals(200, created.http());
        TestServer.Reply keys = server.rest("GET", "/v2/users/alice/apps/fresh/keys", pat, null);
        assertEquals(1, keys.body().getAsJsonArray("keys").size());
        JsonObject key = keys.body().getAsJsonArray("keys").get(0).getAsJsonObject();
        assertEquals("All", key.getAsJsonArray("scopes").get(0).getAsString());
        assertTrue(key.get("id").getAsString().matches("[0-9a-f]{32}"), "lists show the public id, not the secret");
    }

    @Test
    void a_pat_is_made_with_the_key_api_and_cannot_grant_more_than_it_holds() {
        TestServer.Reply created = server.rest("POST", "/v2/users/alice/keys", pat,
                "{\"keys\":[{\"description\":\"CI\",\"scopes\":[\"Keys:Add\"],\"type\":\"personal_access_token\"}]}");
        assertEquals(200, created.http(), created.body().toString());
        String narrow = created.body().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
        assertTrue(narrow.startsWith("clvp_"));
        assertEquals(10000, server.rest("GET", "/v2/users/alice/keys", narrow, null).code());
        TestServer.Reply within = server.rest("POST", "/v2/users/alice/keys", narrow,
                "{\"keys\":[{\"scopes\":[\"Keys:Get\"],\"type\":\"personal_access_token\"}]}");
        assertEquals(10000, within.code(), within.body().toString());

        TestServer.Reply escalation = server.rest("POST", "/v2/users/alice/keys", narrow,
                "{\"keys\":[{\"scopes\":[\"All\"],\"type\":\"personal_access_token\"}]}");
        assertEquals(11007, escalation.code());
        assertTrue(escalation.details().contains("creator lacks"), escalation.details());
    }
}
