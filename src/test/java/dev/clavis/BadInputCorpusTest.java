package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clavis.testing.RawHttp;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile and malformed requests, generated from a fixed seed: each must get a Clarifai status
 * with a 4xx HTTP code (never a 5xx, never a hang), and none may leave anything behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
    private static final int BODY_LIMIT = 64 * 1024;

    private TestServer server;
    private String pat;
    private String appKey;

    /** One generated request. */
    record Probe(String verb, String path, String body, String authorization) {}

    @BeforeAll
    void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withLimits(BODY_LIMIT, 0));
        server.createUser("alice");
        server.createApp("alice", "app1", false);
        pat = server.pat("alice");
        appKey = server.appKey("alice", "app1", List.of("All"), List.of());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void a_thousand_keys_in_one_request_is_refused_whole() {
        int before = keyCount();
        StringJoiner keys = new StringJoiner(",", "{\"keys\":[", "]}");
        for (int i = 0; i < 1000; i++) keys.add("{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"app1\"}]}");
        TestServer.Reply reply = server.rest("POST", "/v2/users/alice/keys", pat, keys.toString());
        assertEquals(11102, reply.code());
        assertEquals(400, reply.http());
        assertEquals(before, keyCount(), "no key was created");
    }

    @Test
    void a_body_over_the_limit_is_413_with_a_clarifai_status() {
        String big = "{\"apps\":[{\"id\":\"big\",\"description\":\"" + "x".repeat(BODY_LIMIT) + "\"}]}";
        TestServer.Reply reply = server.rest("POST", "/v2/users/alice/apps", pat, big);
        assertEquals(11006, reply.code());
        assertEquals(413, reply.http());
    }

    @Test
    void a_generated_corpus_of_bad_requests_gets_no_5xx_and_changes_nothing() throws Exception {
        int appsBefore = appCount();
        int keysBefore = keyCount();
        List<Probe> corpus = corpus(new Random(20261130));
        assertTrue(corpus.size() >= 1000, "corpus size " + corpus.size());

        List<String> failures = new ArrayList<>();
        for (Probe probe : corpus) {
            RawHttp.Response response = RawHttp.send(server.clavis.httpPort(), probe.verb(), probe.path(), probe.authorization(), probe.body());
            String problem = judge(response.status(), response.body());
            if (problem != null) failures.add(probe.verb() + " " + abbreviate(probe.path()) + " " + abbreviate(String.valueOf(probe.body())) + " -> " + problem);
        }
        System.out.printf("bad-input corpus: %d requests, %d not answered with a 4xx Clarifai status%n", corpus.size(), failures.size());
        assertEquals(List.of(), failures);
        assertEquals(appsBefore, appCount(), "no app was half-written");
        assertEquals(keysBefore, keyCount(), "no key was half-written");
    }

    /** Null if the answer is a proper refusal: 4xx and a Clarifai status in a JSON body. */
    private static String judge(int http, String body) {
        if (http >= 500) return "HTTP " + http + " " + abbreviate(body);
        if (http < 400) return "accepted with HTTP " + http + " " + abbreviate(body);
        try {
            JsonObject status = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("status");
            int code = status.get("code").getAsInt();
            if (code < 10020 || status.get("req_id").getAsString().isEmpty()) return "status " + code;
        } catch (RuntimeException e) {
            return "HTTP " + http + ", not a Clarifai status: " + abbreviate(body);
        }
        return null;
    }

    private List<Probe> corpus(Random random) {
        List<Probe> out = new ArrayList<>();
        // Broken JSON: refused by every write route.
        String[] writePaths = {"/v2/users/alice/apps", "/v2/users/alice/keys", "/v2/users/me/apps", "/v2/users/alice/apps/app1"};
        String[] broken = {
                "{", "}", "[", "[]", "null", "42", "\"text\"", "{\"apps\":", "\u0000\u0001\u0002",
                "{\"apps\":[{\"id\":\"x\"}]} trailing", "{\"app\":{}} {\"app\":{}}", "{\"apps\":[{\"id\":\"x\",}]}",
                "{\"apps\":[}", "{\"keys\":[{\"scopes\":[\"All\"]]}", "{\"a\" \"b\"}", "{\"app\":{\"name\":\"unterminated}}",
                "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
        };
        for (String path : writePaths) {
            for (String body : broken) {
                out.add(new Probe("POST", path, body, "Key " + pat));
                out.add(new Probe("PATCH", path, body, "Key " + pat));
            }
        }
        // Well-formed JSON with a wrong type in a field the route reads.
        Map<String, String[]> wrongTypes = Map.of(
                "/v2/users/alice/apps", new String[] {"{\"apps\":{}}", "{\"apps\":\"x\"}", "{\"apps\":[1,2]}",
                        "{\"apps\":[{\"id\":{}}]}", "{\"apps\":[{\"visibility\":{\"gettable\":[]}}]}",
                        "{\"apps\":[{\"metadata\":[]}]}", "{\"apps\":[{\"created_at\":12}]}", "{\"action\":[],\"apps\":[]}",
                        "{\"apps\":[{\"id\":\"n\",\"metadata\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}]}"},
                "/v2/users/alice/keys", new String[] {"{\"keys\":\"x\"}", "{\"keys\":[{\"scopes\":\"All\"}]}",
                        "{\"keys\":[{\"scopes\":[{}]}]}", "{\"keys\":[{\"apps\":\"a\"}]}",
                        "{\"keys\":[{\"expires_at\":\"not a time\"}]}", "{\"keys\":[{\"expires_at\":12}]}", "{\"keys\":[[]]}"},
                "/v2/users/alice/apps/app1", new String[] {"{\"app\":{\"visibility\":{\"gettable\":[]}}}",
                        "{\"app\":{\"metadata\":[]}}", "{\"app\":{\"created_at\":\"yesterday\"}}", "{\"app\":[]}",
                        "{\"app\":{\"name\":{}}}", "{\"metadata_action\":\"merge\"}"});
        for (Map.Entry<String, String[]> route : wrongTypes.entrySet()) {
            for (String body : route.getValue()) {
                for (int round = 0; round < 3; round++) {
                    out.add(new Probe("POST", route.getKey(), body, "Key " + pat));
                    out.add(new Probe("PATCH", route.getKey(), body, "Key " + pat));
                }
            }
        }
        // Well-formed JSON that breaks a rule of the create routes.
        String[] invalidApps = {
                "{\"apps\":[]}", "{\"apps\":[{\"id\":\"" + "a".repeat(33) + "\"}]}", "{\"apps\":[{\"id\":\"a b\"}]}",
                "{\"apps\":[{\"id\":\"app1\"}]}", "{\"apps\":[{\"id\":\"dup\"},{\"id\":\"dup\"}]}", "{\"apps\":[{\"id\":\"-lead\"}]}",
                "{\"apps\":[{\"id\":\"ok\",\"visibility\":{\"gettable\":30}}]}", "{\"apps\":[{\"id\":\"x\",\"description\":\"" + "d".repeat(5000) + "\"}]}",
                "{\"apps\":[{\"id\":\"\u00e9t\u00e9\"}]}", "{\"apps\":[{\"id\":\"ok\"},{\"id\":\"not ok\"}]}",
        };
        String[] invalidKeys = {
                "{\"keys\":[]}", "{\"keys\":[{\"scopes\":[\"Inputs:Fly\"],\"apps\":[{\"id\":\"app1\"}]}]}",
                "{\"keys\":[{\"scopes\":[\"All\"],\"endpoints\":[\"/nope\"],\"apps\":[{\"id\":\"app1\"}]}]}",
                "{\"keys\":[{\"scopes\":[\"All\"],\"type\":\"root\"}]}", "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"a\"},{\"id\":\"b\"}]}]}",
                "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"app1\",\"user_id\":\"bob\"}]}]}",
                "{\"keys\":[{\"scopes\":[\"All\"],\"type\":\"personal_access_token\",\"apps\":[{\"id\":\"app1\"}]}]}",
                "{\"keys\":[{\"scopes\":[],\"apps\":[{\"id\":\"app1\"}]}]}", "{\"keys\":[{\"scopes\":[\"All\"]}]}",
                "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"no-such-app\"}]}]}",
                "{\"keys\":[{\"expires_at\":\"1999-01-01T00:00:00Z\",\"scopes\":[\"All\"],\"apps\":[{\"id\":\"app1\"}]}]}",
                "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"app1\"}]},{\"scopes\":[\"Nope\"],\"apps\":[{\"id\":\"app1\"}]}]}",
                "{\"keys\":[{\"scopes\":[\"All\"],\"description\":\"" + "d".repeat(2000) + "\",\"apps\":[{\"id\":\"app1\"}]}]}",
        };
        for (int round = 0; round < 3; round++) {
            for (String body : invalidApps) out.add(new Probe("POST", "/v2/users/alice/apps", body, "Key " + pat));
            for (String body : invalidKeys) out.add(new Probe("POST", "/v2/users/alice/keys", body, "Key " + pat));
        }
        String[] invalidPatches = {
                "{\"keys\":[{\"id\":\"nope\",\"scopes\":[\"All\"]}],\"action\":\"overwrite\"}",
                "{\"keys\":[{\"id\":\"\",\"scopes\":[\"All\"]}]}", "{\"keys\":[],\"action\":\"merge\"}",
                "{\"apps\":[{\"id\":\"nope\"}]}", "{\"apps\":[{\"id\":\"app1\",\"visibility\":{\"gettable\":30}}]}",
                "{\"apps\":[{\"id\":\"app1\"}],\"action\":\"remove\"}",
                "{\"apps\":[{\"id\":\"app1\",\"metadata\":{}}],\"metadata_action\":{\"op\":\"explode\"}}",
        };
        for (String body : invalidPatches) {
            out.add(new Probe("PATCH", body.contains("\"keys\"") ? "/v2/users/alice/keys" : "/v2/users/alice/apps", body, "Key " + pat));
        }
        // Random bytes and truncations of a valid body.
        String valid = "{\"keys\":[{\"description\":\"d\",\"scopes\":[\"All\"],\"apps\":[{\"id\":\"app1\",\"user_id\":\"alice\"}]}]}";
        for (int i = 0; i < 300; i++) {
            String body = i % 2 == 0 ? valid.substring(0, random.nextInt(valid.length() - 1)) : randomText(random, 1 + random.nextInt(300));
            out.add(new Probe("POST", "/v2/users/alice/keys", body, "Key " + pat));
        }
        // Paths: odd ids, escapes, traversal, long segments, on every verb.
        String[] paths = {"/v2/users/alice/apps/%00", "/v2/users/alice/apps/..", "/v2/users/alice/apps/" + "x".repeat(3000),
                "/v2/users/alice/keys/%zz", "/v2/users/%E2%98%83/apps", "/v2/users/alice/keys/" + "k".repeat(500),
                "/v2/users//apps", "/v2/users/alice/apps/app1/keys/extra/segments", "/v2/", "/v2/users/alice/keys/clvk_fake",
                "/v2/users/alice/apps?page=-1", "/v2/users/alice/apps?page=abc", "/v2/users/alice/apps?per_page=99999999999",
                "/v2/users/alice/keys?not_expired=maybe", "/v2/users/alice/apps?user_app_id.user_id=bob&page=1e3",
                "/v2/users/bob/apps/x", "/v2/users/alice/apps/nope", "/v2/users/alice/keys/0123456789abcdef0123456789abcdef",
                "/v2/status_codes/999999999999"};
        String[] verbs = {"GET", "POST", "PATCH", "DELETE", "PUT"};
        for (String path : paths) for (String verb : verbs) out.add(new Probe(verb, path, verb.equals("GET") ? null : "{}", "Key " + pat));
        // Credentials: junk, near misses, wrong kinds, on a key-protected route.
        String[] credentials = {"", "Key", "Key ", "Key  " + appKey, "key " + appKey, "KEY " + appKey, "Bearer " + appKey,
                "Basic YWxpY2U6cGFzcw==", "Key " + appKey + " extra", "Key " + appKey.substring(0, 20), "Key " + appKey + "0",
                "Key " + appKey.toUpperCase(), "Key clvs_" + appKey.substring(5), "Key " + "\u00e9".repeat(10), "Key " + "A".repeat(4000)};
        for (String credential : credentials) {
            for (String path : new String[] {"/v2/app", "/v2/myscopes", "/v2/users/alice/apps/app1", "/v2/users/alice/keys"}) {
                out.add(new Probe("GET", path, null, credential));
            }
        }
        for (int i = 0; i < 200; i++) out.add(new Probe("GET", "/v2/app", null, "Key " + randomText(random, 1 + random.nextInt(80)).replaceAll("[\\r\\n]", "")));
        // App key on every key-management route, and writes against another app.
        for (int i = 0; i < 20; i++) {
            out.add(new Probe("POST", "/v2/users/alice/keys", valid, "Key " + appKey));
            out.add(new Probe("DELETE", "/v2/users/alice/apps/app1", null, "Key " + appKey));
            out.add(new Probe("PATCH", "/v2/users/alice/apps/app1", "{\"app\":{\"name\":\"x\"}}", "Key " + appKey));
        }
        return out;
    }

    private static String randomText(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            out.append(kind < 6 ? (char) (32 + random.nextInt(95)) : kind < 9 ? "{}[]\":,\\".charAt(random.nextInt(8)) : (char) random.nextInt(0x3000));
        }
        return out.toString();
    }

    private int appCount() {
        return server.rest("GET", "/v2/users/alice/apps", pat, null).body().getAsJsonArray("apps").size();
    }

    private int keyCount() {
        return server.rest("GET", "/v2/users/alice/keys", pat, null).body().getAsJsonArray("keys").size();
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }
}
