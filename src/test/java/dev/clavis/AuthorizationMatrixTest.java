package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.App;
import com.clarifai.grpc.api.DeleteAppRequest;
import com.clarifai.grpc.api.GetAppRequest;
import com.clarifai.grpc.api.GetKeyRequest;
import com.clarifai.grpc.api.Key;
import com.clarifai.grpc.api.ListKeysRequest;
import com.clarifai.grpc.api.ListScopesRequest;
import com.clarifai.grpc.api.ListStatusCodesRequest;
import com.clarifai.grpc.api.ListTasksRequest;
import com.clarifai.grpc.api.MyScopesRequest;
import com.clarifai.grpc.api.PatchAppRequest;
import com.clarifai.grpc.api.PostAppsRequest;
import com.clarifai.grpc.api.PostKeysRequest;
import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.api.status.Status;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.Secrets;
import dev.clavis.keys.KeyService;
import dev.clavis.protocol.MethodTable;
import dev.clavis.protocol.RpcMethod;
import dev.clavis.testing.HeaderCredentials;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN §3 as a table: each row is a credential, a method and a target, with the status code
 * and HTTP status it must get. Every row runs over REST and over gRPC and must agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthorizationMatrixTest {
    private static final MethodTable METHODS = MethodTable.fromDescriptor();
    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames();

    private TestServer server;
    /** Credential name -> header name and value pairs. */
    private final Map<String, String[]> credentials = new HashMap<>();

    abstract TestDatabases.Kind database();

    @BeforeAll
    void setUp() {
        server = new TestServer(database());
        server.createUser("alice");
        server.createUser("bob");
        server.createApp("alice", "a1", false);
        server.createApp("alice", "a2", false);
        server.createApp("bob", "b-private", false);
        server.createApp("bob", "b-public", true);

        String appKey = server.appKey("alice", "a1", List.of("All"), List.of());
        key("app key", appKey);
        key("narrow app key", server.appKey("alice", "a1", List.of("Inputs:Get"), List.of()));
        key("endpoint-limited app key", server.appKey("alice", "a1", List.of("All"), List.of("/clarifai.api.V2/MyScopes")));
        key("alice PAT", server.pat("alice"));
        key("PAT with only Apps:Get", server.pat("alice", "Apps:Get"));

        String deleted = server.appKey("alice", "a1", List.of("All"), List.of());
        server.clavis.keys().delete("alice", deleted);
        key("deleted key", deleted);

        String expiring = server.clavis.keys().create(null, "alice", List.of(new KeyService.KeyDraft(CredentialKind.APP_KEY,
                "expires", List.of("All"), List.of(), "alice", "a1", server.clock.instant().plus(Duration.ofHours(1)))))
                .get(0).secret().reveal();
        key("expired key", expiring);
        server.clock.advance(Duration.ofHours(2));

        String flipped = appKey.substring(0, appKey.length() - 1) + (appKey.endsWith("A") ? "B" : "A");
        key("key failing its checksum", flipped);
        key("unknown well-formed key", Secrets.generate(CredentialKind.APP_KEY).reveal());
        credentials.put("no credential", new String[0]);
        credentials.put("Bearer scheme", new String[] {"authorization", "Bearer " + appKey});
        credentials.put("lower-case scheme", new String[] {"authorization", "key " + appKey});
        credentials.put("two spaces", new String[] {"authorization", "Key  " + appKey});

        String session = server.send("POST", "/v2/login",
                "{\"email\":\"alice@example.com\",\"password\":\"" + TestServer.PASSWORD + "\"}")
                .body().get("session_token").getAsString();
        credentials.put("session", new String[] {"x-clarifai-session-token", session});
        key("session sent as a key", session);
        credentials.put("PAT sent as a session", new String[] {"x-clarifai-session-token", credentials.get("alice PAT")[1].substring(4)});
    }

    private void key(String name, String secret) {
        credentials.put(name, new String[] {"authorization", "Key " + secret});
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    /** One row: who calls what, on which path (REST) and message (gRPC), and what they get. */
    record Row(String credential, String method, Message request, String verb, String path, int code, int http) {
        @Override
        public String toString() {
            return credential + " -> " + verb + " " + path + " = " + code;
        }
    }

    static UserAppIDSet ids(String user, String app) {
        return UserAppIDSet.newBuilder().setUserId(user).setAppId(app).build();
    }

    static Stream<Arguments> rows() {
        GetAppRequest noIds = GetAppRequest.getDefaultInstance();
        GetAppRequest a1 = GetAppRequest.newBuilder().setUserAppId(ids("alice", "a1")).build();
        List<Row> rows = new ArrayList<>(List.of(
                // success, with and without ids
                new Row("app key", "GetApp", noIds, "GET", "/v2/app", 10000, 200),
                new Row("app key", "GetApp", a1, "GET", "/v2/users/alice/apps/a1", 10000, 200),
                new Row("app key", "MyScopes", MyScopesRequest.getDefaultInstance(), "GET", "/v2/myscopes", 10000, 200),
                new Row("alice PAT", "GetApp", a1, "GET", "/v2/users/alice/apps/a1", 10000, 200),
                new Row("session", "GetApp", a1, "GET", "/v2/users/alice/apps/a1", 10000, 200),
                // credential missing or header malformed
                new Row("no credential", "GetApp", noIds, "GET", "/v2/app", 11102, 401),
                new Row("Bearer scheme", "GetApp", noIds, "GET", "/v2/app", 11102, 401),
                new Row("lower-case scheme", "GetApp", noIds, "GET", "/v2/app", 11102, 401),
                new Row("two spaces", "GetApp", noIds, "GET", "/v2/app", 11102, 401),
                // format, checksum, unknown, deleted, expired
                new Row("key failing its checksum", "GetApp", noIds, "GET", "/v2/app", 11008, 401),
                new Row("session sent as a key", "GetApp", noIds, "GET", "/v2/app", 11008, 401),
                new Row("PAT sent as a session", "GetApp", a1, "GET", "/v2/users/alice/apps/a1", 11008, 401),
                new Row("unknown well-formed key", "GetApp", noIds, "GET", "/v2/app", 11009, 401),
                new Row("deleted key", "GetApp", noIds, "GET", "/v2/app", 11009, 401),
                new Row("expired key", "GetApp", noIds, "GET", "/v2/app", 11009, 401),
                // app key naming another app or user
                new Row("app key", "GetApp", GetAppRequest.newBuilder().setUserAppId(ids("alice", "a2")).build(),
                        "GET", "/v2/users/alice/apps/a2", 11008, 401),
                new Row("app key", "GetApp", GetAppRequest.newBuilder().setUserAppId(ids("bob", "b-public")).build(),
                        "GET", "/v2/users/bob/apps/b-public", 11008, 401),
                // PAT without ids on an app-level method
                new Row("alice PAT", "GetApp", noIds, "GET", "/v2/app", 11008, 401),
                // app key on PAT-only methods
                new Row("app key", "ListKeys", ListKeysRequest.newBuilder().setUserAppId(ids("alice", "")).build(),
                        "GET", "/v2/users/alice/keys", 11007, 403),
                new Row("app key", "PostKeys", PostKeysRequest.newBuilder().setUserAppId(ids("alice", ""))
                        .addKeys(Key.newBuilder().addScopes("All").addApps(App.newBuilder().setId("a1"))).build(),
                        "POST", "/v2/users/alice/keys", 11007, 403),
                // missing scopes, endpoints
                new Row("narrow app key", "GetApp", noIds, "GET", "/v2/app", 11007, 403),
                new Row("endpoint-limited app key", "GetApp", noIds, "GET", "/v2/app", 11007, 403),
                new Row("endpoint-limited app key", "MyScopes", MyScopesRequest.getDefaultInstance(), "GET", "/v2/myscopes", 10000, 200),
                new Row("PAT with only Apps:Get", "PostKeys", PostKeysRequest.newBuilder().setUserAppId(ids("alice", ""))
                        .addKeys(Key.newBuilder().addScopes("All").addApps(App.newBuilder().setId("a1"))).build(),
                        "POST", "/v2/users/alice/keys", 11007, 403),
                // other users' apps
                new Row("alice PAT", "GetApp", GetAppRequest.newBuilder().setUserAppId(ids("bob", "b-private")).build(),
                        "GET", "/v2/users/bob/apps/b-private", 11101, 404),
                new Row("alice PAT", "GetApp", GetAppRequest.newBuilder().setUserAppId(ids("bob", "no-such-app")).build(),
                        "GET", "/v2/users/bob/apps/no-such-app", 11101, 404),
                new Row("alice PAT", "GetApp", GetAppRequest.newBuilder().setUserAppId(ids("bob", "b-public")).build(),
                        "GET", "/v2/users/bob/apps/b-public", 10000, 200),
                new Row("alice PAT", "PatchApp", PatchAppRequest.newBuilder().setUserAppId(ids("bob", "b-public"))
                        .setApp(App.newBuilder().setDescription("mine now")).build(),
                        "PATCH", "/v2/users/bob/apps/b-public", 11007, 403),
                new Row("alice PAT", "DeleteApp", DeleteAppRequest.newBuilder().setUserAppId(ids("bob", "b-public")).build(),
                        "DELETE", "/v2/users/bob/apps/b-public", 11007, 403),
                new Row("alice PAT", "ListKeys", ListKeysRequest.newBuilder().setUserAppId(ids("bob", "")).build(),
                        "GET", "/v2/users/bob/keys", 11101, 404),
                // session-only method
                new Row("alice PAT", "ListScopes", ListScopesRequest.newBuilder().setUserAppId(ids("alice", "")).build(),
                        "GET", "/v2/users/alice/scopes", 11007, 403),
                new Row("session", "ListScopes", ListScopesRequest.newBuilder().setUserAppId(ids("alice", "")).build(),
                        "GET", "/v2/users/alice/scopes", 10000, 200),
                // invalid arguments, missing resource, duplicate id, unimplemented, no auth needed
                new Row("alice PAT", "PostApps", PostAppsRequest.newBuilder().setUserAppId(ids("alice", ""))
                        .addApps(App.newBuilder().setId("bad id!")).build(), "POST", "/v2/users/alice/apps", 11102, 400),
                new Row("alice PAT", "GetKey", GetKeyRequest.newBuilder().setUserAppId(ids("alice", "")).setKeyId("0123abcd").build(),
                        "GET", "/v2/users/alice/keys/0123abcd", 11101, 404),
                new Row("alice PAT", "PostApps", PostAppsRequest.newBuilder().setUserAppId(ids("alice", ""))
                        .addApps(App.newBuilder().setId("a1")).build(), "POST", "/v2/users/alice/apps", 40010, 409),
                new Row("app key", "ListTasks", ListTasksRequest.getDefaultInstance(), "GET", "/v2/tasks", 10040, 501),
                new Row("no credential", "ListStatusCodes", ListStatusCodesRequest.getDefaultInstance(), "GET", "/v2/status_codes", 10000, 200)));
        return rows.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void each_row_gets_its_status_on_both_fronts(Row row) throws Exception {
        String[] headers = credentials.get(row.credential());
        assertTrue(headers != null, "no credential named " + row.credential());

        boolean hasBody = row.verb().equals("POST") || row.verb().equals("PATCH");
        TestServer.Reply rest = server.send(row.verb(), row.path(), hasBody ? JSON.print(row.request()) : null, restHeaders(headers));
        assertEquals(row.code(), rest.code(), row + " REST code: " + rest.body());
        assertEquals(row.http(), rest.http(), "REST HTTP status: " + rest.body());
        assertTrue(rest.body().getAsJsonObject("status").get("req_id").getAsString().matches("[0-9a-f]{32}"));

        RpcMethod method = METHODS.method(row.method()).orElseThrow();
        Message response = ClientCalls.blockingUnaryCall(server.channel(), method.grpc(),
                CallOptions.DEFAULT.withCallCredentials(new HeaderCredentials(headers)), row.request());
        Status status = (Status) response.getField(response.getDescriptorForType().findFieldByName("status"));
        assertEquals(row.code(), status.getCodeValue(), "gRPC code: " + status);
        assertEquals(rest.details(), status.getDetails(), "both fronts explain the same way");
    }

    private static String[] restHeaders(String[] grpcHeaders) {
        String[] out = grpcHeaders.clone();
        for (int i = 0; i < out.length; i += 2) {
            out[i] = out[i].equals("authorization") ? "Authorization" : "X-Clarifai-Session-Token";
        }
        return out;
    }

    @Test
    void a_missing_scope_is_named_in_the_details() {
        TestServer.Reply reply = server.send("GET", "/v2/app", null, restHeaders(credentials.get("narrow app key")));
        assertTrue(reply.details().contains("Apps:Get") && reply.details().contains("Workflows:Get"), reply.details());
        assertTrue(!reply.details().contains("Inputs:Get"), reply.details());
    }

    @Test
    void a_private_app_of_someone_else_looks_exactly_like_a_missing_one() {
        String[] pat = restHeaders(credentials.get("alice PAT"));
        TestServer.Reply hidden = server.send("GET", "/v2/users/bob/apps/b-private", null, pat);
        TestServer.Reply missing = server.send("GET", "/v2/users/bob/apps/b-nothing", null, pat);
        assertEquals(missing.http(), hidden.http());
        assertEquals(missing.details().replace("b-nothing", "b-private"), hidden.details());
    }

    @Test
    void malformed_json_is_a_bad_request_format() {
        TestServer.Reply reply = server.send("POST", "/v2/users/alice/apps", "{\"apps\": [", restHeaders(credentials.get("alice PAT")));
        assertEquals(11100, reply.code());
        assertEquals(400, reply.http());
        assertTrue(reply.body().getAsJsonArray("apps").isEmpty(), "the list field is present on errors too");
    }

    @Test
    void too_many_requests_are_throttled_on_both_fronts() {
        // Two requests a second per credential. Bursts of ten leave no room for a refill to hide
        // the limit, however slow the machine: assertions look for a refusal, not its position.
        try (TestServer limited = new TestServer(database(), c -> c.withLimits(1024 * 1024, 2))) {
            limited.createUser("carol");
            limited.createApp("carol", "c1", false);
            String key = limited.appKey("carol", "c1", List.of("All"), List.of());
            List<TestServer.Reply> rest = new ArrayList<>();
            for (int i = 0; i < 10; i++) rest.add(limited.rest("GET", "/v2/app", key, null));
            assertEquals(10000, rest.get(0).code(), "the first request of a full bucket passes");
            TestServer.Reply throttled = rest.stream().filter(r -> r.code() == 11005).findFirst()
                    .orElseThrow(() -> new AssertionError("no request of the burst was throttled"));
            assertEquals(429, throttled.http());
            boolean grpcThrottled = false;
            for (int i = 0; i < 10 && !grpcThrottled; i++) {
                grpcThrottled = limited.grpc(key).getApp(GetAppRequest.getDefaultInstance()).getStatus().getCodeValue() == 11005;
            }
            assertTrue(grpcThrottled, "gRPC is throttled too");
        }
    }
}

class SqliteAuthorizationMatrixTest extends AuthorizationMatrixTest {
    @Override
    TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresAuthorizationMatrixTest extends AuthorizationMatrixTest {
    @Override
    TestDatabases.Kind database() {
        return TestDatabases.Kind.POSTGRES;
    }
}
