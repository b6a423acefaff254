package dev.clavis.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.clavis.testing.Datasets;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestImages;
import dev.clavis.testing.TestServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.StringJoiner;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Workflows chaining an embedder into a classifier, and the four ways to search inputs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowsAndSearchTest {
    private static final long PATIENCE_MILLIS = 60_000;

    private TestServer server;
    private String key;

    @BeforeAll
    void start() throws Exception {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "gallery", false);
        server.createApp("alice", "other", false);
        key = server.appKey("alice", "gallery", List.of("All"), List.of());

        StringJoiner inputs = new StringJoiner(",");
        int i = 0;
        for (Datasets.Labelled<BufferedImage> s : Datasets.scenes(10, 5)) {
            inputs.add("{\"id\":\"" + s.label() + "-" + (i++) + "\",\"data\":{\"image\":{\"base64\":\"" + TestImages.base64(png(s.item()))
                    + "\"},\"concepts\":[{\"id\":\"" + s.label() + "\"}],\"metadata\":{\"batch\":" + (i % 2) + ",\"kind\":\"scene\"}}}");
        }
        assertEquals(10000, server.rest("POST", "/v2/inputs", key, "{\"inputs\":[" + inputs + "]}").code());
        server.rest("POST", "/v2/models", key, "{\"model\":{\"id\":\"scenes\",\"output_info\":{\"data\":{\"concepts\":"
                + "[{\"id\":\"sunset\"},{\"id\":\"forest\"},{\"id\":\"ocean\"}]},\"output_config\":{\"concepts_mutually_exclusive\":true}}}}");
        server.rest("POST", "/v2/models", key, "{\"model\":{\"id\":\"embedder\",\"model_type_id\":\"visual-embedder\"}}");
        server.rest("POST", "/v2/models", key, "{\"model\":{\"id\":\"colors\",\"model_type_id\":\"color-recognizer\"}}");
        String version = server.rest("POST", "/v2/models/scenes/versions", key, null).body()
                .getAsJsonObject("model").getAsJsonObject("model_version").get("id").getAsString();
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (System.currentTimeMillis() < deadline && server.rest("GET", "/v2/models/scenes/versions/" + version, key, null).body()
                .getAsJsonObject("model_version").getAsJsonObject("status").get("code").getAsInt() != 21100) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String image(BufferedImage image) throws IOException {
        return "{\"data\":{\"image\":{\"base64\":\"" + TestImages.base64(png(image)) + "\"}}}";
    }

    @Test
    void a_workflow_feeds_an_embedding_into_the_classifier() throws Exception {
        TestServer.Reply created = server.rest("POST", "/v2/workflows", key, "{\"workflows\":[{\"id\":\"look\",\"nodes\":["
                + "{\"id\":\"classify\",\"model\":{\"id\":\"scenes\"},\"node_inputs\":[{\"node_id\":\"embed\"}]},"
                + "{\"id\":\"embed\",\"model\":{\"id\":\"embedder\"},\"suppress_output\":true},"
                + "{\"id\":\"colors\",\"model\":{\"id\":\"colors\"}}]}]}");
        assertEquals(10000, created.code(), created.body().toString());

        Datasets.Labelled<BufferedImage> forest = Datasets.scenes(3, 77).get(1);
        TestServer.Reply results = server.rest("POST", "/v2/workflows/look/results", key,
                "{\"inputs\":[" + image(forest.item()) + "],\"output_config\":{\"max_concepts\":2}}");
        assertEquals(10000, results.code(), results.body().toString());
        JsonArray outputs = results.body().getAsJsonArray("results").get(0).getAsJsonObject().getAsJsonArray("outputs");
        assertEquals(2, outputs.size(), "the embedder's output is suppressed");
        JsonObject classified = outputs.asList().stream().map(o -> o.getAsJsonObject())
                .filter(o -> o.getAsJsonObject("model").get("id").getAsString().equals("scenes")).findFirst().orElseThrow();
        JsonArray concepts = classified.getAsJsonObject("data").getAsJsonArray("concepts");
        assertEquals(2, concepts.size());
        assertEquals("forest", concepts.get(0).getAsJsonObject().get("id").getAsString());

        String predictOnly = server.appKey("alice", "gallery", List.of("Predict"), List.of());
        assertEquals(10000, server.rest("POST", "/v2/workflows/look/results", predictOnly, "{\"inputs\":[" + image(forest.item()) + "]}").code());
        assertEquals(11007, server.rest("POST", "/v2/inputs/searches", predictOnly, "{\"searches\":[{\"query\":{}}]}").code());
    }

    @Test
    void workflows_take_only_models_of_their_app_in_a_graph_that_fits() {
        for (String nodes : List.of(
                "{\"id\":\"a\",\"model\":{\"id\":\"color-recognition\"}}",
                "{\"id\":\"a\",\"model\":{\"id\":\"scenes\"},\"node_inputs\":[{\"node_id\":\"b\"}]},{\"id\":\"b\",\"model\":{\"id\":\"scenes\"},\"node_inputs\":[{\"node_id\":\"a\"}]}",
                "{\"id\":\"a\",\"model\":{\"id\":\"colors\"},\"node_inputs\":[{\"node_id\":\"b\"}]},{\"id\":\"b\",\"model\":{\"id\":\"embedder\"}}",
                "{\"id\":\"a\",\"model\":{\"id\":\"scenes\"},\"node_inputs\":[{\"node_id\":\"ghost\"}]}")) {
            TestServer.Reply reply = server.rest("POST", "/v2/workflows", key, "{\"workflows\":[{\"id\":\"bad\",\"nodes\":[" + nodes + "]}]}");
            assertEquals(22104, reply.code(), nodes + " -> " + reply.body());
            assertEquals(400, reply.http());
        }
    }

    @Test
    void search_by_annotated_concept_and_metadata() {
        JsonArray forests = hits("{\"searches\":[{\"query\":{\"filters\":[{\"annotation\":{\"data\":{\"concepts\":[{\"id\":\"forest\"}]}}}]}}]}");
        assertEquals(10, forests.size());
        forests.forEach(h -> assertTrue(h.getAsJsonObject().getAsJsonObject("input").get("id").getAsString().startsWith("forest")));

        JsonArray notForest = hits("{\"searches\":[{\"query\":{\"filters\":[{\"negate\":true,\"annotation\":{\"data\":{\"concepts\":[{\"id\":\"forest\"}]}}}]}}],"
                + "\"pagination\":{\"per_page\":100}}");
        assertEquals(20, notForest.size());

        JsonArray batch = hits("{\"searches\":[{\"query\":{\"filters\":[{\"annotation\":{\"data\":{\"metadata\":{\"batch\":1}}}}]}}],\"pagination\":{\"per_page\":100}}");
        assertEquals(15, batch.size());
        JsonArray paged = hits("{\"searches\":[{\"query\":{\"filters\":[{\"annotation\":{\"data\":{\"metadata\":{\"kind\":\"scene\"}}}}]}}],\"pagination\":{\"page\":2,\"per_page\":25}}");
        assertEquals(5, paged.size());
    }

    @Test
    void search_by_similarity_ranks_alike_images_first() throws Exception {
        Datasets.Labelled<BufferedImage> sunset = Datasets.scenes(2, 123).get(0);
        JsonArray ranked = hits("{\"searches\":[{\"query\":{\"ranks\":[{\"annotation\":{\"data\":{\"image\":{\"base64\":\""
                + TestImages.base64(png(sunset.item())) + "\"}}}}]}}],\"pagination\":{\"per_page\":5}}");
        assertEquals(5, ranked.size());
        double previous = 2;
        for (var h : ranked) {
            JsonObject hit = h.getAsJsonObject();
            assertTrue(hit.getAsJsonObject("input").get("id").getAsString().startsWith("sunset"), hit.toString());
            assertTrue(hit.get("score").getAsDouble() <= previous);
            previous = hit.get("score").getAsDouble();
        }
        JsonArray byInput = hits("{\"searches\":[{\"query\":{\"ranks\":[{\"annotation\":{\"input_id\":\"ocean-2\"}}]}}],\"pagination\":{\"per_page\":3}}");
        assertEquals("ocean-2", byInput.get(0).getAsJsonObject().getAsJsonObject("input").get("id").getAsString());
        assertEquals(1.0, byInput.get(0).getAsJsonObject().get("score").getAsDouble(), 1e-4);
    }

    @Test
    void legacy_search_by_predicted_concept() {
        TestServer.Reply reply = server.rest("POST", "/v2/searches", key,
                "{\"query\":{\"ands\":[{\"output\":{\"data\":{\"concepts\":[{\"id\":\"ocean\"}]}}}]},\"pagination\":{\"per_page\":100}}");
        assertEquals(10000, reply.code(), reply.body().toString());
        JsonArray hits = reply.body().getAsJsonArray("hits");
        assertEquals(10, hits.size(), "the classifier predicts ocean for the ten oceans");
        hits.forEach(h -> assertTrue(h.getAsJsonObject().getAsJsonObject("input").get("id").getAsString().startsWith("ocean")));
    }

    @Test
    void a_key_searches_only_its_own_app() {
        String otherKey = server.appKey("alice", "other", List.of("All"), List.of());
        TestServer.Reply reply = server.rest("POST", "/v2/inputs/searches", otherKey, "{\"searches\":[{\"query\":{}}]}");
        assertEquals(0, reply.body().getAsJsonArray("hits").size());
        assertEquals(11008, server.rest("POST", "/v2/users/alice/apps/gallery/inputs/searches", otherKey, "{\"searches\":[{\"query\":{}}]}").code());
    }

    private JsonArray hits(String body) {
        TestServer.Reply reply = server.rest("POST", "/v2/inputs/searches", key, body);
        assertEquals(10000, reply.code(), reply.body().toString());
        return reply.body().getAsJsonArray("hits");
    }
}
