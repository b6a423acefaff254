package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.api.status.BaseResponse;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Message;
import dev.clavis.protocol.MethodTable;
import dev.clavis.protocol.RpcMethod;
import dev.clavis.testing.RawGrpc;
import dev.clavis.testing.RawHttp;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Hostile and malformed requests, generated from fixed seeds, over both doors: each REST one must
 * get a Clarifai status with a 4xx HTTP code (never a 5xx, never a hang) and leave nothing behind;
 * each gRPC one a Clarifai status in its response (never UNKNOWN), with no stack trace logged and
 * the server healthy after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
    private static final int BODY_LIMIT = 64 * 1024;

    private TestServer server;
    private String pat;
    private String readOnlyPat;
    private String appKey;

    /**
     * One generated request. {@code mayPass}: it may happen to be a valid read, so a success is
     * a proper answer too.
     */
    record Probe(String verb, String path, String body, String authorization, boolean mayPass) {
        Probe(String verb, String path, String body, String authorization) {
            this(verb, path, body, authorization, false);
        }
    }

    @BeforeAll
    void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withLimits(BODY_LIMIT, 0));
        server.createUser("alice");
        server.createApp("alice", "app1", false);
        pat = server.pat("alice");
        readOnlyPat = server.pat("alice", "Apps:Get", "Models:Get", "Inputs:Get");
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
        assertTrue(corpus.size() >= 5000, "corpus size " + corpus.size());

        List<String> failures = new ArrayList<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            for (Probe probe : corpus) {
                RawHttp.Response response = RawHttp.send(server.clavis.httpPort(), probe.verb(), probe.path(), probe.authorization(), probe.body());
                String problem = judge(response.status(), response.body(), probe.mayPass());
                if (problem != null) failures.add(probe.verb() + " " + abbreviate(probe.path()) + " " + abbreviate(String.valueOf(probe.body())) + " -> " + problem);
            }
        } finally {
            root.detachAppender(captured);
        }
        assertEquals(List.of(), captured.list.stream().filter(e -> e.getThrowableProxy() != null)
                .map(ILoggingEvent::getFormattedMessage).limit(5).toList(), "no stack trace in the log");
        System.out.printf("bad-input corpus: %d requests, %d not answered with a 4xx Clarifai status%n", corpus.size(), failures.size());
        assertEquals(List.of(), failures);
        assertEquals(appsBefore, appCount(), "no app was half-written");
        assertEquals(keysBefore, keyCount(), "no key was half-written");
    }

    @Test
    void a_generated_corpus_of_bad_grpc_messages_gets_clarifai_statuses_never_unknown() throws Exception {
        // Decoding happens after authentication: a key that may only read apps lets every message
        // be decoded, and authorization then refuses whatever a mangled message would change.
        String readOnly = server.appKey("alice", "app1", List.of("Apps:Get"), List.of());
        Random random = new Random(20261201);
        List<RpcMethod> unary = MethodTable.fromDescriptor().methods().stream()
                .filter(m -> m.grpc().getType() == MethodDescriptor.MethodType.UNARY).toList();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        try {
            for (int i = 0; i < 2000; i++) {
                RpcMethod method = unary.get(random.nextInt(unary.size()));
                byte[] message = mangled(random, method);
                sent++;
                try {
                    BaseResponse reply = BaseResponse.parseFrom(RawGrpc.call(server.channel(), method.endpoint(), message, readOnly));
                    if (reply.getStatus().getCodeValue() < 10000 || reply.getStatus().getReqId().isEmpty()) {
                        failures.add(method.name() + " -> status " + reply.getStatus().getCodeValue());
                    }
                } catch (StatusRuntimeException e) {
                    failures.add(method.name() + " -> gRPC " + e.getStatus().getCode());
                }
            }
        } finally {
            root.detachAppender(captured);
        }
        System.out.printf("bad gRPC corpus: %d messages, %d not answered with a Clarifai status%n", sent, failures.size());
        assertEquals(List.of(), failures.stream().limit(20).toList());
        assertEquals(List.of(), captured.list.stream().filter(e -> e.getThrowableProxy() != null)
                .map(ILoggingEvent::getFormattedMessage).limit(5).toList(), "no stack trace in the log");
        assertEquals(200, RawHttp.send(server.clavis.httpPort(), "GET", "/livez", null, null).status(), "healthy after");
        assertEquals(10000, server.rest("GET", "/v2/myscopes", appKey, null).code());
    }

    /** A request message of the method's type, encoded and then damaged, or bytes of no message at all. */
    private static byte[] mangled(Random random, RpcMethod method) {
        Message.Builder request = method.requestPrototype().toBuilder();
        if (method.userAppIdField() != null) {
            request.setField(method.userAppIdField(), UserAppIDSet.newBuilder().setUserId("alice").setAppId("app1").build());
        }
        byte[] valid = request.build().toByteArray();
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] noise = new byte[random.nextInt(200)];
                random.nextBytes(noise);
                yield noise;
            }
            case 1 -> Arrays.copyOf(valid, valid.length == 0 ? 0 : random.nextInt(valid.length));
            case 2 -> {
                byte[] flipped = Arrays.copyOf(valid, valid.length + 3);
                for (int k = 0; k < 3; k++) flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
                yield flipped;
            }
            // A length that runs past the end of the message.
            default -> new byte[] {0x12, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 0x61, 0x62, 0x63};
        };
    }

    /** Null if the answer is a proper refusal (4xx and a Clarifai status in a JSON body), or a proper success where allowed. */
    private static String judge(int http, String body, boolean mayPass) {
        if (http >= 500) return "HTTP " + http + " " + abbreviate(body);
        if (http < 400 && !(mayPass && http == 200)) return "accepted with HTTP " + http + " " + abbreviate(body);
        try {
            JsonObject status = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("status");
            int code = status.get("code").getAsInt();
            if ((code < 10020 && !(mayPass && code == 10000)) || status.get("req_id").getAsString().isEmpty()) return "status " + code;
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
        for (int i = 0; i < 2400; i++) {
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
        for (int i = 0; i < 800; i++) out.add(new Probe("GET", "/v2/app", null, "Key " + randomText(random, 1 + random.nextInt(80)).replaceAll("[\\r\\n]", "")));
        // Any method, invented ones too, on paths made of route words and noise.
        String[] anyVerb = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "FROB"};
        String[] words = {"users", "alice", "me", "apps", "app1", "keys", "inputs", "models", "outputs", "versions", "searches",
                "concepts", "workflows", "%2e%2e", "%00", "x".repeat(100), "", "~", "%E2%98%83"};
        for (int i = 0; i < 1500; i++) {
            StringBuilder path = new StringBuilder("/v2");
            for (int n = random.nextInt(6); n >= 0; n--) path.append('/').append(words[random.nextInt(words.length)]);
            String verb = anyVerb[random.nextInt(anyVerb.length)];
            // Read-only: a path that happens to name a real route can be read, never changed.
            out.add(new Probe(verb, path.toString(), verb.equals("GET") ? null : randomText(random, random.nextInt(60)),
                    "Key " + readOnlyPat, true));
        }
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
