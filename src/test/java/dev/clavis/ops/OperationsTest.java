package dev.clavis.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.MyScopesRequest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clavis.db.Database;
import dev.clavis.db.RevocationFeed;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator scrapes and probes: /metrics, /readyz and the gRPC health service. */
class OperationsTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metrics_count_calls_by_door_method_and_code_and_name_no_secret_user_or_key() throws Exception {
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE)) {
            server.createUser("alice");
            server.createApp("alice", "metered", false);
            String key = server.appKey("alice", "metered", List.of("All"), List.of());
            String before = scrape(server);
            for (int i = 0; i < 3; i++) assertEquals(200, server.rest("GET", "/v2/myscopes", key, null).http());
            server.grpc(key).myScopes(MyScopesRequest.getDefaultInstance());
            server.rest("GET", "/v2/myscopes", "clvk_" + "x".repeat(40), null); // refused
            server.rest("GET", "/v2/no/such/path/at/all", key, null);
            String after = scrape(server);

            String calls = "clavis_calls_seconds_count{code=\"10000\",door=\"rest\",method=\"MyScopes\"}";
            assertEquals(3, value(after, calls) - value(before, calls), after);
            assertEquals(1, value(after, "clavis_calls_seconds_count{code=\"10000\",door=\"grpc\",method=\"MyScopes\"}"));
            assertTrue(after.contains("clavis_calls_seconds_bucket{code=\"10000\",door=\"rest\",method=\"MyScopes\",le="),
                    "a latency histogram");
            assertTrue(value(after, "clavis_calls_seconds_count{code=\"11101\",door=\"rest\",method=\"unrouted\"}") >= 1,
                    "unknown paths share one label");
            assertEquals(4, value(after, "clavis_authentications_total{detail=\"ok\",result=\"accepted\"}")
                    - value(before, "clavis_authentications_total{detail=\"ok\",result=\"accepted\"}"));
            assertTrue(value(after, "clavis_authentications_total{detail=\"invalid\",result=\"refused\"}")
                    + value(after, "clavis_authentications_total{detail=\"unknown\",result=\"refused\"}") >= 1);
            assertTrue(value(after, "cache_gets_total{cache=\"credentials\",cache_manager=\"\",result=\"hit\"}") >= 3
                    || after.contains("cache_gets_total{cache=\"credentials\",result=\"hit\"}"), "credential cache hits");
            for (String family : List.of("hikaricp_connections", "clavis_jobs", "clavis_jobs_held", "clavis_background_failed_total",
                    "clavis_revocation_feed_applied_sequence", "clavis_revocation_feed_read_age_seconds", "jvm_memory_used_bytes",
                    "process_cpu_usage")) {
                assertTrue(after.contains(family), family + " is exported");
            }
            String publicId = server.clavis.keys().list("alice", java.util.Optional.empty(), false,
                    dev.clavis.protocol.Page.of(1, 10)).get(0).publicId();
            for (String secretOrId : List.of(key, key.substring(5, 20), "alice", "metered", publicId, "no/such")) {
                assertFalse(after.contains(secretOrId), "metrics name " + secretOrId);
            }
        }
    }

    @Test
    void readyz_and_grpc_health_report_the_database_and_the_feed() throws Exception {
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE)) {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            JsonObject body = JsonParser.parseString(ready.body()).getAsJsonObject();
            assertEquals("ready", body.get("status").getAsString());
            assertEquals("ok", body.getAsJsonObject("checks").get("database").getAsString());

            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(server.channel());
            HealthCheckResponse.ServingStatus status = HealthCheckResponse.ServingStatus.UNKNOWN;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); System.nanoTime() < deadline; ) {
                status = health.check(HealthCheckRequest.getDefaultInstance()).getStatus();
                if (status == HealthCheckResponse.ServingStatus.SERVING) break;
                Thread.sleep(50);
            }
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, status);

            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/livez")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());
        }
    }

    @Test
    void not_ready_when_the_database_does_not_answer_the_feed_is_deaf_or_shutdown_began(@TempDir Path dir) {
        Database sqlite = Database.open("jdbc:sqlite:" + dir.resolve("ready.db"));
        Readiness readiness = new Readiness(sqlite, new RevocationFeed(sqlite, Clock.systemUTC(), Duration.ofSeconds(1),
                Duration.ofHours(1)), null);
        assertTrue(readiness.check().ready(), readiness.check().json());
        readiness.stopping();
        Readiness.Report stopping = readiness.check();
        assertFalse(stopping.ready());
        assertEquals("in progress", stopping.checks().get("shutdown"));
        sqlite.close();
        Readiness.Report down = new Readiness(sqlite, null, null).check();
        assertFalse(down.ready());
        assertEquals("does not answer", down.checks().get("database"), down.json());
    }

    @Test
    void on_postgresql_a_node_whose_revocation_feed_is_not_listening_is_not_ready() {
        Database postgres = Database.open(TestDatabases.postgres());
        try {
            // A feed never started has no LISTEN connection: on PostgreSQL that is not ready.
            Readiness.Report deaf = new Readiness(postgres, new RevocationFeed(postgres, Clock.systemUTC(),
                    Duration.ofSeconds(1), Duration.ofHours(1)), null).check();
            assertFalse(deaf.ready());
            assertEquals("ok", deaf.checks().get("database"));
            assertTrue(deaf.checks().get("revocation_feed").startsWith("not listening"), deaf.json());
        } finally {
            postgres.close();
        }
    }

    private String scrape(TestServer server) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return reply.body();
    }

    /** The sample's value, 0 when the series is not there yet. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
