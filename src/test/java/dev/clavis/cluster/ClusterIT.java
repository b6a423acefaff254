package dev.clavis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.clarifai.grpc.api.MultiScopeResponse;
import com.clarifai.grpc.api.MyScopesRequest;
import com.clarifai.grpc.api.V2Grpc;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.clavis.Services;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.db.RevocationFeed;
import dev.clavis.keys.KeyService;
import dev.clavis.testing.LocalCluster;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.awt.Color;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three nodes of the packaged jar, started by {@code deploy/local-cluster} on one PostgreSQL
 * schema and the machine's Redis, behind nginx: the cluster as an operator runs it, called as
 * clients call it, through the balancer. Runs after {@code package} (failsafe), since it needs
 * the jar; needs nginx (Debian nginx-light), required when the PostgreSQL tests are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final int NODES = 3;
    /** The nodes' job lease: a dead node's job is taken over after this. */
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Path dir;
    private String databaseUrl;
    private int balancer;
    private int grpcBalancer;
    private int nodeBase;
    private LocalCluster cluster;
    private String pat;
    private Services services;
    private HttpServer slowWeb;
    private final CountDownLatch releaseSlowWeb = new CountDownLatch(1);

    @BeforeAll
    void startCluster() throws Exception {
        boolean required = "required".equalsIgnoreCase(System.getProperty("clavis.test.postgres", ""))
                || "required".equalsIgnoreCase(System.getenv("CLAVIS_TEST_POSTGRES"));
        boolean haveNginx = Files.isExecutable(Path.of("/usr/sbin/nginx"));
        if (required) assertTrue(haveNginx, "nginx (Debian nginx-light) is needed for the cluster test");
        Assumptions.assumeTrue(haveNginx, "nginx not installed: the cluster test is skipped");
        // CI runs Redis at 127.0.0.1:6379 (.ci/run starts it); elsewhere its absence skips, saying so.
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
        } catch (IOException e) {
            if (required) throw new AssertionError("Redis is needed at 127.0.0.1:6379 for the cluster test", e);
            Assumptions.abort("Redis is not running at 127.0.0.1:6379: the cluster test is skipped");
        }
        databaseUrl = TestDatabases.postgres();
        dir = Files.createTempDirectory("clavis-cluster");
        balancer = LocalCluster.freePort();
        grpcBalancer = LocalCluster.freePort();
        nodeBase = LocalCluster.freeNodeBase();
        slowWeb = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] png = TestImages.solid(Color.BLUE, 12, 9, "png");
        slowWeb.createContext("/slow.png", exchange -> {
            try {
                releaseSlowWeb.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
            exchange.close();
        });
        slowWeb.setExecutor(Executors.newCachedThreadPool());
        slowWeb.start();
        cluster = new LocalCluster(Map.of(
                "CLAVIS_DATABASE_URL", databaseUrl,
                "CLAVIS_REDIS_URL", "redis://127.0.0.1:6379",
                "CLUSTER_DIR", dir.toString(),
                "CLUSTER_HTTP_PORT", String.valueOf(balancer),
                "CLUSTER_GRPC_PORT", String.valueOf(grpcBalancer),
                "CLUSTER_NODE_PORT", String.valueOf(nodeBase),
                "CLAVIS_JOB_LEASE", LEASE.toSeconds() + "s",
                "CLAVIS_FETCH_ALLOW_HOSTS", "127.0.0.1",
                "CLAVIS_SHUTDOWN_GRACE", "5s"));
        cluster.run("start", String.valueOf(NODES));
        services = Services.open(Config.defaults().withDatabase(dir, databaseUrl));
        services.users().create("alice", "alice@example.com", "correct horse");
        pat = services.keys().create(null, "alice", List.of(new KeyService.KeyDraft(CredentialKind.PAT, "cluster", List.of(),
                List.of(), "", "", null))).get(0).secret().reveal();
        for (String app : List.of("limits", "jobs", "writes")) {
            assertEquals(10000, code(call(balancerUrl(), "POST", "/v2/users/alice/apps", pat, "{\"apps\":[{\"id\":\"" + app + "\"}]}")));
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        releaseSlowWeb.countDown();
        if (cluster != null) cluster.run("stop");
        if (services != null) services.close();
        if (slowWeb != null) slowWeb.stop(0);
    }

    @Test
    @Order(1)
    void a_key_limited_to_20_per_second_gets_about_20_per_second_through_three_nodes_together() throws Exception {
        String key = appKeyLimitedTo("limits", 20);
        // 100 requests a second for 5 s, round-robin over the nodes by nginx.
        int[] counts = new int[2];
        Set<String> servedBy = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<HttpResponse<String>>> replies = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch sent = new CountDownLatch(500);
        pace.scheduleAtFixedRate(() -> {
            if (sent.getCount() == 0) return;
            replies.add(HTTP.sendAsync(request(balancerUrl(), "GET", "/v2/myscopes", key, null), HttpResponse.BodyHandlers.ofString()));
            sent.countDown();
        }, 0, 10, TimeUnit.MILLISECONDS);
        assertTrue(sent.await(30, TimeUnit.SECONDS));
        pace.shutdown();
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            HttpResponse<String> r = reply.get(30, TimeUnit.SECONDS);
            int code = code(r);
            if (code == 10000) counts[0]++;
            if (code == 11005) {
                counts[1]++;
                assertTrue(r.headers().firstValue("Retry-After").isPresent(), "429 says when");
            }
        }
        // 20/s for 5 s is 100, and the limiter lets a burst of one second's worth through first.
        System.out.printf("shared limit: %d of 500 admitted over 5 s through %d nodes (20/s ⇒ 100, +20 burst), %d refused%n",
                counts[0], NODES, counts[1]);
        assertEquals(500, counts[0] + counts[1], "every answer was a success or 11005");
        assertTrue(counts[0] >= 75 && counts[0] <= 145, "about 20/s in total, not per node: " + counts[0]);
    }

    @Test
    @Order(2)
    void a_key_deleted_through_one_node_is_refused_by_every_node_after_the_revocation_bound() throws Exception {
        String key = appKey("limits");
        for (int node = 1; node <= NODES; node++) {
            assertEquals(10000, code(call(nodeUrl(node), "GET", "/v2/myscopes", key, null)), "cached on node " + node);
        }
        String publicId = services.keys().get("alice", key).publicId();
        assertEquals(10000, code(call(nodeUrl(1), "DELETE", "/v2/users/alice/keys/" + publicId, pat, null)));
        assertEquals(11009, code(call(nodeUrl(1), "GET", "/v2/myscopes", key, null)), "the serving node: at once");
        Thread.sleep(1000); // the bound when every notification is lost: the poll interval
        for (int node = 1; node <= NODES; node++) {
            assertEquals(11009, code(call(nodeUrl(node), "GET", "/v2/myscopes", key, null)), "node " + node);
        }
        assertEquals(11009, code(call(balancerUrl(), "GET", "/v2/myscopes", key, null)));
        // And the gRPC door through the balancer.
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcBalancer).usePlaintext().build();
        try {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Key " + key);
            MultiScopeResponse refused = V2Grpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).myScopes(MyScopesRequest.getDefaultInstance());
            assertEquals(11009, refused.getStatus().getCodeValue());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void a_training_whose_node_is_killed_mid_job_is_finished_by_another_node() throws Exception {
        String key = appKey("jobs");
        StringJoiner inputs = new StringJoiner(",");
        for (int i = 0; i < 6; i++) {
            String concept = i % 2 == 0 ? "cat" : "dog";
            inputs.add("{\"data\":{\"text\":{\"raw\":\"a " + concept + " story number " + i + "\"},\"concepts\":[{\"id\":\"" + concept + "\"}]}}");
        }
        assertEquals(10000, code(call(balancerUrl(), "POST", "/v2/inputs", key, "{\"inputs\":[" + inputs + "]}")));
        assertEquals(10000, code(call(balancerUrl(), "POST", "/v2/models", key,
                "{\"model\":{\"id\":\"pets\",\"output_info\":{\"data\":{\"concepts\":[{\"id\":\"cat\"},{\"id\":\"dog\"}]}}}}")));
        String version;
        // The node's first write under its lease ("training", 21101) records a change to the model's
        // cached description, which waits on the change log's append lock: holding it here keeps
        // the job mid-way, claimed and unfinished, for as long as the test needs.
        try (Connection db = DriverManager.getConnection(databaseUrl); Statement lock = db.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(" + RevocationFeed.APPEND_LOCK + ")");
            HttpResponse<String> queued = call(balancerUrl(), "POST", "/v2/models/pets/versions", key, null);
            assertEquals(10000, code(queued));
            version = json(queued).getAsJsonObject("model").getAsJsonObject("model_version").get("id").getAsString();
            killOwnerOf("training", "pets/" + version);
            lock.execute("SELECT pg_advisory_unlock(" + RevocationFeed.APPEND_LOCK + ")");
        }
        JsonObject trained = awaitVersion(key, version);
        assertEquals(21100, trained.getAsJsonObject("status").get("code").getAsInt(), trained.toString());
        assertEquals(List.of("done", "2"), job("training", "pets/" + version), "finished by the second attempt's node");
        restartDeadNodes();
    }

    @Test
    @Order(4)
    void a_download_whose_node_is_killed_mid_job_is_finished_by_another_node() throws Exception {
        String key = appKey("jobs");
        String url = "http://127.0.0.1:" + slowWeb.getAddress().getPort() + "/slow.png";
        assertEquals(10000, code(call(balancerUrl(), "POST", "/v2/inputs", key,
                "{\"inputs\":[{\"id\":\"slow\",\"data\":{\"image\":{\"url\":\"" + url + "\"}}}]}")));
        // The claiming node waits on the test's web server until released: mid-job, for sure.
        killOwnerOf("download", "slow");
        releaseSlowWeb.countDown();
        long deadline = System.currentTimeMillis() + 30_000;
        int status;
        do {
            Thread.sleep(100);
            status = json(call(balancerUrl(), "GET", "/v2/inputs/slow", key, null)).getAsJsonObject("input")
                    .getAsJsonObject("status").get("code").getAsInt();
        } while (status == 30001 && System.currentTimeMillis() < deadline);
        assertEquals(30000, status, "downloaded by another node");
        assertEquals(List.of("done", "2"), job("download", "slow"));
        restartDeadNodes();
    }

    @Test
    @Order(5)
    void a_node_stopped_mid_load_loses_no_acknowledged_write_and_the_balancer_keeps_serving() throws Exception {
        // This test is about a node stopping, not about limits: the writers' key has none.
        String key = appKeyLimitedTo("writes", 0);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger afterStop = new AtomicInteger();
        CountDownLatch warm = new CountDownLatch(40);
        CountDownLatch stopped = new CountDownLatch(1);
        long[] end = {Long.MAX_VALUE};
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                for (int i = 0; System.currentTimeMillis() < end[0]; i++) {
                    String id = "w" + writer + "-" + i;
                    try {
                        HttpResponse<String> r = call(balancerUrl(), "POST", "/v2/inputs", key,
                                "{\"inputs\":[{\"id\":\"" + id + "\",\"data\":{\"text\":{\"raw\":\"write " + id + "\"}}}]}");
                        if (code(r) == 10000) {
                            acknowledged.add(id);
                            if (stopped.getCount() == 0) afterStop.incrementAndGet();
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                    warm.countDown();
                }
            });
            t.start();
            writers.add(t);
        }
        assertTrue(warm.await(30, TimeUnit.SECONDS));
        cluster.run("stop-node", "2");
        stopped.countDown();
        Thread.sleep(1500);
        end[0] = System.currentTimeMillis();
        for (Thread t : writers) t.join(30_000);
        Set<String> stored = ConcurrentHashMap.newKeySet();
        try (Connection db = DriverManager.getConnection(databaseUrl);
             PreparedStatement q = db.prepareStatement("SELECT id FROM inputs WHERE user_id = 'alice' AND app_id = 'writes'");
             ResultSet rows = q.executeQuery()) {
            while (rows.next()) stored.add(rows.getString(1));
        }
        System.out.printf("node 2 stopped mid-load: %d writes acknowledged (%d after the stop), %d failed%n",
                acknowledged.size(), afterStop.get(), failures.size());
        assertTrue(stored.containsAll(acknowledged), "every acknowledged write is stored");
        assertEquals(0, failures.size(), "the balancer sent the stopping node's share to the others; "
                + failures.size() + " failed, the first: " + failures.subList(0, Math.min(3, failures.size())));
        assertTrue(afterStop.get() > 0, "writes went on after the stop");
        cluster.run("start-node", "2");
    }

    /** Waits for the job to be claimed (committed as running), then kills its node with SIGKILL. */
    private void killOwnerOf(String kind, String target) throws Exception {
        String owner = null;
        long deadline = System.currentTimeMillis() + 20_000;
        try (Connection db = DriverManager.getConnection(databaseUrl);
             PreparedStatement q = db.prepareStatement("SELECT owner FROM jobs WHERE kind = ? AND target = ? AND state = 'running'")) {
            q.setString(1, kind);
            q.setString(2, target);
            while (owner == null && System.currentTimeMillis() < deadline) {
                try (ResultSet row = q.executeQuery()) {
                    if (row.next()) owner = row.getString(1);
                }
                if (owner == null) Thread.sleep(20);
            }
        }
        assertTrue(owner != null, "a node claimed the " + kind);
        long pid = Long.parseLong(owner.split(":")[1]);
        for (int node = 1; node <= NODES; node++) {
            if (Files.readString(dir.resolve("node" + node + ".pid")).strip().equals(String.valueOf(pid))) {
                cluster.run("kill-node", String.valueOf(node));
                return;
            }
        }
        throw new AssertionError("the owner " + owner + " is none of the cluster's nodes");
    }

    private void restartDeadNodes() throws Exception {
        for (int node = 1; node <= NODES; node++) {
            long pid = Long.parseLong(Files.readString(dir.resolve("node" + node + ".pid")).strip());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
            cluster.run("start-node", String.valueOf(node));
        }
    }

    /** The job's state and attempts. */
    private List<String> job(String kind, String target) throws SQLException {
        try (Connection db = DriverManager.getConnection(databaseUrl);
             PreparedStatement q = db.prepareStatement("SELECT state, attempts FROM jobs WHERE kind = ? AND target = ?")) {
            q.setString(1, kind);
            q.setString(2, target);
            try (ResultSet row = q.executeQuery()) {
                assertTrue(row.next());
                return List.of(row.getString(1), String.valueOf(row.getInt(2)));
            }
        }
    }

    private JsonObject awaitVersion(String key, String version) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonObject v;
        do {
            Thread.sleep(100);
            v = json(call(balancerUrl(), "GET", "/v2/models/pets/versions/" + version, key, null)).getAsJsonObject("model_version");
            int code = v.getAsJsonObject("status").get("code").getAsInt();
            if (code != 21103 && code != 21101) return v;
        } while (System.currentTimeMillis() < deadline);
        return v;
    }

    private String appKey(String app) throws Exception {
        HttpResponse<String> created = call(balancerUrl(), "POST", "/v2/users/alice/keys", pat, "{\"keys\":[{\"description\":\"cluster\","
                + "\"scopes\":[\"All\"],\"apps\":[{\"id\":\"" + app + "\",\"user_id\":\"alice\"}]}]}");
        assertEquals(10000, code(created), created.body());
        return json(created).getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
    }

    /** An app key with its own rate limit, set through the balancer; 0 is none. */
    private String appKeyLimitedTo(String app, int requestsPerSecond) throws Exception {
        String key = appKey(app);
        String publicId = services.keys().get("alice", key).publicId();
        assertEquals(10000, code(call(balancerUrl(), "POST", "/v2/users/alice/keys/" + publicId + "/rate_limit", pat,
                "{\"requests_per_second\": " + requestsPerSecond + "}")));
        return key;
    }

    private String balancerUrl() {
        return "http://127.0.0.1:" + balancer;
    }

    private String nodeUrl(int node) {
        return "http://127.0.0.1:" + (nodeBase + node);
    }

    private static HttpRequest request(String base, String verb, String path, String key, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Key " + key)
                .method(verb, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) r.header("Content-Type", "application/json");
        return r.build();
    }

    private static HttpResponse<String> call(String base, String verb, String path, String key, String body)
            throws IOException, InterruptedException {
        return HTTP.send(request(base, verb, path, key, body), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> reply) {
        return JsonParser.parseString(reply.body()).getAsJsonObject();
    }

    private static int code(HttpResponse<String> reply) {
        return json(reply).getAsJsonObject("status").get("code").getAsInt();
    }
}
