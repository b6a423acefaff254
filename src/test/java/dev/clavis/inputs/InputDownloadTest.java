package dev.clavis.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonObject;
import dev.clavis.testing.LocalWeb;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestImages;
import dev.clavis.testing.TestServer;
import dev.clavis.jobs.Job;
import dev.clavis.jobs.JobStore;
import java.awt.Color;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Inputs given by URL: stored pending, fetched in the background, then ready or failed with a
 * reason. The server allows its test web server's address (127.0.0.1) and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputDownloadTest {
    private static final long PATIENCE_MILLIS = 10_000;

    private LocalWeb web;
    private TestServer server;
    private String key;

    @BeforeAll
    void start() {
        web = new LocalWeb(Map.of(
                "/red.png", TestImages.solid(Color.RED, 10, 7, "png"),
                "/note.txt", "downloaded text".getBytes(),
                "/broken.png", "not really a png".getBytes(),
                "/to-private", "redirect:http://10.0.0.1/x.png".getBytes()));
        server = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withFetchAllowHosts(Set.of("127.0.0.1")));
        server.createUser("alice");
        server.createApp("alice", "web", false);
        key = server.appKey("alice", "web", List.of("All"), List.of());
    }

    @AfterAll
    void stop() {
        server.close();
        web.close();
    }

    private void add(String id, String field, String url) {
        TestServer.Reply reply = server.rest("POST", "/v2/inputs", key,
                "{\"inputs\":[{\"id\":\"" + id + "\",\"data\":{\"" + field + "\":{\"url\":\"" + url + "\"}}}]}");
        assertEquals(10000, reply.code(), reply.body().toString());
        int status = reply.body().getAsJsonArray("inputs").get(0).getAsJsonObject().getAsJsonObject("status").get("code").getAsInt();
        assertEquals(30001, status, "a URL input starts pending");
    }

    /** The input once it has left 30001, or as it is when patience runs out. */
    private JsonObject settled(String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        JsonObject input;
        do {
            input = server.rest("GET", "/v2/inputs/" + id, key, null).body().getAsJsonObject("input");
            if (input.getAsJsonObject("status").get("code").getAsInt() != 30001) return input;
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        return input;
    }

    @Test
    void a_finished_download_leaves_its_job_with_the_outcome() throws Exception {
        add("red-for-the-record", "image", web.url("/red.png"));
        settled("red-for-the-record");
        JobStore.Row job = server.clavis.database().jdbi().withExtension(JobStore.class,
                s -> s.find(Job.DOWNLOAD, "alice", "web", "red-for-the-record")).get(0);
        assertEquals("done", job.state());
        assertEquals("Stored a 10x7 png image.", job.outcome());
        assertEquals(1, job.attempts());
    }

    @Test
    void a_full_queue_refuses_the_request_with_10030_and_stores_none_of_it() {
        try (TestServer small = new TestServer(TestDatabases.Kind.SQLITE,
                c -> c.withFetchAllowHosts(Set.of("127.0.0.1")).withJobs(Duration.ofSeconds(30), 2))) {
            small.createUser("bob");
            small.createApp("bob", "web", false);
            String bobKey = small.appKey("bob", "web", List.of("All"), List.of());
            String three = "{\"inputs\":[" + String.join(",", List.of("a", "b", "c").stream().map(id ->
                    "{\"id\":\"" + id + "\",\"data\":{\"image\":{\"url\":\"" + web.url("/red.png") + "\"}}}").toList()) + "]}";
            TestServer.Reply refused = small.rest("POST", "/v2/inputs", bobKey, three);
            assertEquals(503, refused.http());
            assertEquals(10030, refused.body().getAsJsonObject("status").get("code").getAsInt());
            assertTrue(refused.body().getAsJsonObject("status").get("details").getAsString().contains("queue is full"));
            assertEquals(0, small.rest("GET", "/v2/inputs", bobKey, null).body().getAsJsonArray("inputs").size(),
                    "none of the request's inputs was kept");
        }
    }

    @Test
    void an_image_and_a_text_by_url_become_ready() throws Exception {
        add("red-by-url", "image", web.url("/red.png"));
        add("text-by-url", "text", web.url("/note.txt"));
        JsonObject red = settled("red-by-url");
        assertEquals(30000, red.getAsJsonObject("status").get("code").getAsInt(), red.toString());
        JsonObject image = red.getAsJsonObject("data").getAsJsonObject("image");
        assertEquals(web.url("/red.png"), image.get("url").getAsString());
        assertEquals(10, image.getAsJsonObject("image_info").get("width").getAsInt());
        JsonObject text = settled("text-by-url");
        assertEquals("downloaded text", text.getAsJsonObject("data").getAsJsonObject("text").get("raw").getAsString());
    }

    @Test
    void unusable_downloads_fail_with_a_reason() throws Exception {
        add("missing", "image", web.url("/nothing-here.png"));
        add("broken", "image", web.url("/broken.png"));
        add("redirected-inside", "image", web.url("/to-private"));
        add("private", "image", "http://10.0.0.1/x.png");
        add("metadata", "image", "http://169.254.169.254/latest/meta-data/");
        for (String id : List.of("missing", "broken", "redirected-inside", "private", "metadata")) {
            JsonObject input = settled(id);
            assertEquals(30002, input.getAsJsonObject("status").get("code").getAsInt(), id + ": " + input);
            assertTrue(input.getAsJsonObject("status").get("details").getAsString().length() > 10, id);
        }
        assertTrue(settled("private").getAsJsonObject("status").get("details").getAsString().contains("refused"));
        assertEquals(5, server.rest("GET", "/v2/inputs/status", key, null).body().getAsJsonObject("counts").get("errors").getAsInt());
    }

    @Test
    void urls_that_cannot_be_downloaded_at_all_are_refused_at_once() {
        TestServer.Reply reply = server.rest("POST", "/v2/inputs", key,
                "{\"inputs\":[{\"id\":\"ftp\",\"data\":{\"image\":{\"url\":\"ftp://example.com/x.png\"}}},"
                        + "{\"id\":\"file\",\"data\":{\"image\":{\"url\":\"file:///etc/passwd\"}}}]}");
        assertEquals(10020, reply.code());
        reply.body().getAsJsonArray("inputs").forEach(i ->
                assertEquals(30106, i.getAsJsonObject().getAsJsonObject("status").get("code").getAsInt()));
    }
}
