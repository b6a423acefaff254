package dev.clavis.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.GetInputRequest;
import com.clarifai.grpc.api.Image;
import com.clarifai.grpc.api.Input;
import com.clarifai.grpc.api.MultiInputResponse;
import com.clarifai.grpc.api.PostInputsRequest;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestImages;
import dev.clavis.testing.TestServer;
import java.awt.Color;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Inputs and concepts behind app keys: what each key may do, and what bad media gets. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputsAndConceptsTest {
    private TestServer server;
    private String keyA;
    private String keyB;

    @BeforeAll
    void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "app-a", false);
        server.createApp("alice", "app-b", false);
        keyA = server.appKey("alice", "app-a", List.of("All"), List.of());
        keyB = server.appKey("alice", "app-b", List.of("All"), List.of());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String imageInput(String id, byte[] image, String conceptsJson) {
        return "{\"id\":\"" + id + "\",\"data\":{\"image\":{\"base64\":\"" + TestImages.base64(image) + "\"}"
                + (conceptsJson == null ? "" : ",\"concepts\":" + conceptsJson) + "}}";
    }

    private TestServer.Reply post(String key, String... inputs) {
        return server.rest("POST", "/v2/inputs", key, "{\"inputs\":[" + String.join(",", inputs) + "]}");
    }

    @Test
    void inputs_with_concepts_are_stored_listed_patched_and_deleted() {
        server.createApp("alice", "crud", false);
        String keyA = server.appKey("alice", "crud", List.of("All"), List.of()); // an app of its own, to count
        byte[] red = TestImages.solid(Color.RED, 8, 8, "png");
        TestServer.Reply added = post(keyA,
                imageInput("red-1", red, "[{\"id\":\"red\"},{\"id\":\"blue\",\"value\":0}]"),
                "{\"id\":\"note-1\",\"data\":{\"text\":{\"raw\":\"a red square\"},\"metadata\":{\"source\":\"test\"}}}");
        assertEquals(10000, added.code(), added.body().toString());
        JsonObject first = added.body().getAsJsonArray("inputs").get(0).getAsJsonObject();
        assertEquals(30000, first.getAsJsonObject("status").get("code").getAsInt());
        JsonArray concepts = first.getAsJsonObject("data").getAsJsonArray("concepts");
        assertEquals(1.0, concept(concepts, "red").get("value").getAsDouble(), "a concept without a value means 1 in JSON");
        assertEquals(0.0, concept(concepts, "blue").get("value").getAsDouble());
        assertEquals(8, first.getAsJsonObject("data").getAsJsonObject("image").getAsJsonObject("image_info").get("width").getAsInt());

        TestServer.Reply note = server.rest("GET", "/v2/inputs/note-1", keyA, null);
        assertEquals("a red square", note.body().getAsJsonObject("input").getAsJsonObject("data").getAsJsonObject("text").get("raw").getAsString());

        TestServer.Reply counts = server.rest("GET", "/v2/concepts/status", keyA, null);
        JsonObject redCount = concept(counts.body().getAsJsonArray("concept_counts"), "red");
        assertEquals(1, redCount.getAsJsonObject("concept_type_count").get("positive").getAsInt());

        TestServer.Reply patched = server.rest("PATCH", "/v2/inputs", keyA,
                "{\"action\":\"merge\",\"inputs\":[{\"id\":\"note-1\",\"data\":{\"concepts\":[{\"id\":\"red\"}],\"metadata\":{\"lang\":\"en\"}}}]}");
        assertEquals(10000, patched.code(), patched.body().toString());
        JsonObject patchedData = patched.body().getAsJsonArray("inputs").get(0).getAsJsonObject().getAsJsonObject("data");
        assertEquals("test", patchedData.getAsJsonObject("metadata").get("source").getAsString());
        assertEquals("en", patchedData.getAsJsonObject("metadata").get("lang").getAsString());
        assertEquals(1, patchedData.getAsJsonArray("concepts").size());

        TestServer.Reply removed = server.rest("PATCH", "/v2/inputs", keyA,
                "{\"action\":\"remove\",\"inputs\":[{\"id\":\"note-1\",\"data\":{\"concepts\":[{\"id\":\"red\"}]}}]}");
        JsonObject afterRemoval = removed.body().getAsJsonArray("inputs").get(0).getAsJsonObject().getAsJsonObject("data");
        assertTrue(!afterRemoval.has("concepts"), "no concepts left: " + afterRemoval);

        assertEquals(2, server.rest("GET", "/v2/inputs/status", keyA, null).body().getAsJsonObject("counts").get("processed").getAsInt());
        assertEquals(200, server.rest("DELETE", "/v2/inputs", keyA, "{\"ids\":[\"red-1\",\"note-1\"]}").http());
        assertEquals(0, server.rest("GET", "/v2/inputs", keyA, null).body().getAsJsonArray("inputs").size());
        TestServer.Reply gone = server.rest("GET", "/v2/inputs/red-1", keyA, null);
        assertEquals(30102, gone.code());
        assertEquals(404, gone.http());
    }

    @Test
    void a_key_sees_only_its_own_apps_inputs_and_concepts() {
        assertEquals(10000, post(keyB, imageInput("b-only", TestImages.solid(Color.GREEN, 4, 4, "png"), "[{\"id\":\"green\"}]")).code());
        assertEquals(30102, server.rest("GET", "/v2/inputs/b-only", keyA, null).code());
        assertEquals(11008, server.rest("GET", "/v2/users/alice/apps/app-b/inputs/b-only", keyA, null).code());
        assertEquals(404, server.rest("GET", "/v2/concepts/green", keyA, null).http());
        assertEquals(10000, server.rest("GET", "/v2/concepts/green", keyB, null).code());
        assertEquals(30102, server.rest("DELETE", "/v2/inputs/b-only", keyA, null).code(), "cannot delete across apps either");
    }

    @Test
    void scopes_decide_what_a_key_may_do_with_inputs() {
        String predictOnly = server.appKey("alice", "app-a", List.of("Predict"), List.of());
        TestServer.Reply refused = post(predictOnly, imageInput("p1", TestImages.solid(Color.BLUE, 4, 4, "png"), null));
        assertEquals(11007, refused.code());
        assertEquals(403, refused.http());
        assertTrue(refused.details().contains("Inputs:Add") && refused.details().contains("Annotations:Add"), refused.details());

        String adder = server.appKey("alice", "app-a", List.of("Inputs:Add", "Annotations:Add", "Predict"), List.of());
        assertEquals(10000, post(adder, imageInput("added-by-adder", TestImages.solid(Color.BLUE, 4, 4, "png"), null)).code());
        assertEquals(10000, server.rest("GET", "/v2/inputs/added-by-adder", adder, null).code());
        TestServer.Reply noDelete = server.rest("DELETE", "/v2/inputs/added-by-adder", adder, null);
        assertEquals(11007, noDelete.code());
        assertTrue(noDelete.details().contains("Inputs:Delete"), noDelete.details());
        assertEquals(10000, server.rest("GET", "/v2/inputs/added-by-adder", keyA, null).code(), "still there");
    }

    @Test
    void bad_media_fails_only_its_own_input() {
        TestServer.Reply mixed = post(keyA,
                imageInput("good-jpeg", TestImages.solid(Color.ORANGE, 16, 16, "jpg"), null),
                imageInput("corrupt", "not an image at all".getBytes(), null),
                imageInput("bomb", TestImages.pngDeclaring(100_000, 100_000), null),
                "{\"id\":\"by-url\",\"data\":{\"image\":{\"url\":\"ftp://example.com/x.png\"}}}",
                "{\"id\":\"good-jpeg\",\"data\":{\"text\":{\"raw\":\"same id again\"}}}",
                "{\"id\":\"bad id!\",\"data\":{\"text\":{\"raw\":\"x\"}}}");
        assertEquals(10010, mixed.code(), mixed.body().toString());
        assertEquals(200, mixed.http());
        JsonArray inputs = mixed.body().getAsJsonArray("inputs");
        assertEquals(List.of(30000, 30101, 30105, 30106, 30100, 30104), inputs.asList().stream()
                .map(i -> i.getAsJsonObject().getAsJsonObject("status").get("code").getAsInt()).toList());
        assertEquals(10000, server.rest("GET", "/v2/inputs/good-jpeg", keyA, null).code());
        assertEquals(30102, server.rest("GET", "/v2/inputs/bomb", keyA, null).code(), "refused inputs are not stored");

        TestServer.Reply allBad = post(keyA, imageInput("c2", new byte[] {1, 2, 3}, null));
        assertEquals(10020, allBad.code());
        assertEquals(400, allBad.http());
    }

    @Test
    void more_than_128_inputs_are_refused_whole() {
        StringJoiner many = new StringJoiner(",");
        for (int i = 0; i < 129; i++) many.add("{\"id\":\"many-" + i + "\",\"data\":{\"text\":{\"raw\":\"t\"}}}");
        TestServer.Reply reply = server.rest("POST", "/v2/inputs", keyA, "{\"inputs\":[" + many + "]}");
        assertEquals(39999, reply.code());
        assertEquals(400, reply.http());
        assertEquals(30102, server.rest("GET", "/v2/inputs/many-0", keyA, null).code());
    }

    @Test
    void webp_and_the_jdk_formats_decode() {
        for (String format : List.of("png", "jpg", "gif", "bmp")) {
            TestServer.Reply reply = post(keyA, imageInput("fmt-" + format, TestImages.solid(Color.CYAN, 5, 3, format), null));
            assertEquals(10000, reply.code(), format + ": " + reply.body());
        }
        // A lossless 1x1 WebP made by cwebp: the TwelveMonkeys plugin reads it.
        byte[] webp = java.util.Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
        assertEquals(10000, post(keyA, imageInput("fmt-webp", webp, null)).code());
    }

    @Test
    void the_same_inputs_work_over_grpc() {
        MultiInputResponse added = server.grpc(keyA).postInputs(PostInputsRequest.newBuilder()
                .addInputs(Input.newBuilder().setId("over-grpc").setData(Data.newBuilder()
                        .setImage(Image.newBuilder().setBase64(ByteString.copyFrom(TestImages.solid(Color.MAGENTA, 6, 6, "png"))))))
                .build());
        assertEquals(10000, added.getStatus().getCodeValue(), added.getStatus().toString());
        assertEquals(6, server.grpc(keyA).getInput(GetInputRequest.newBuilder().setInputId("over-grpc").build())
                .getInput().getData().getImage().getImageInfo().getWidth());
        assertEquals(30102, server.grpc(keyB).getInput(GetInputRequest.newBuilder().setInputId("over-grpc").build())
                .getStatus().getCodeValue());
    }

    @Test
    void concepts_are_created_listed_searched_and_renamed() {
        TestServer.Reply created = server.rest("POST", "/v2/concepts", keyA,
                "{\"concepts\":[{\"id\":\"cat\",\"name\":\"Cat\"},{\"id\":\"caterpillar\"},{\"id\":\"dog\",\"name\":\"Dog\"}]}");
        assertEquals(10000, created.code(), created.body().toString());
        assertEquals(40010, server.rest("POST", "/v2/concepts", keyA, "{\"concepts\":[{\"id\":\"cat\"}]}").code());
        TestServer.Reply found = server.rest("POST", "/v2/concepts/searches", keyA, "{\"concept_query\":{\"name\":\"CAT\"}}");
        assertEquals(List.of("Cat", "caterpillar"), found.body().getAsJsonArray("concepts").asList().stream()
                .map(c -> c.getAsJsonObject().get("name").getAsString()).toList());
        assertEquals(0, server.rest("POST", "/v2/concepts/searches", keyA, "{\"concept_query\":{\"name\":\"%\"}}")
                .body().getAsJsonArray("concepts").size(), "wildcards are literal");
        TestServer.Reply renamed = server.rest("PATCH", "/v2/concepts", keyA,
                "{\"action\":\"overwrite\",\"concepts\":[{\"id\":\"dog\",\"name\":\"Hound\"}]}");
        assertEquals("Hound", renamed.body().getAsJsonArray("concepts").get(0).getAsJsonObject().get("name").getAsString());
        assertEquals("Hound", server.rest("GET", "/v2/concepts/dog", keyA, null).body().getAsJsonObject("concept").get("name").getAsString());
        assertTrue(server.rest("GET", "/v2/concepts?per_page=2", keyA, null).body().getAsJsonArray("concepts").size() <= 2);
    }

    @Test
    void annotations_are_the_concepts_on_inputs() {
        server.createApp("alice", "notes", false);
        String key = server.appKey("alice", "notes", List.of("All"), List.of());
        assertEquals(10000, server.rest("POST", "/v2/inputs", key, "{\"inputs\":[{\"id\":\"n1\",\"data\":{\"text\":{\"raw\":\"hi\"}}}]}").code());

        TestServer.Reply posted = server.rest("POST", "/v2/annotations", key,
                "{\"annotations\":[{\"input_id\":\"n1\",\"data\":{\"concepts\":[{\"id\":\"greeting\"},{\"id\":\"question\",\"value\":0}]}}]}");
        assertEquals(10000, posted.code(), posted.body().toString());
        assertEquals(2, posted.body().getAsJsonArray("annotations").size());

        JsonArray listed = server.rest("GET", "/v2/annotations?input_ids=n1", key, null).body().getAsJsonArray("annotations");
        assertEquals(2, listed.size());
        String greetingId = listed.asList().stream().map(a -> a.getAsJsonObject())
                .filter(a -> a.getAsJsonObject("data").getAsJsonArray("concepts").get(0).getAsJsonObject().get("id").getAsString().equals("greeting"))
                .findFirst().orElseThrow().get("id").getAsString();
        assertEquals(10000, server.rest("GET", "/v2/inputs/n1/annotations/" + greetingId, key, null).code());
        assertEquals(1, concept(server.rest("GET", "/v2/inputs/n1", key, null).body().getAsJsonObject("input")
                .getAsJsonObject("data").getAsJsonArray("concepts"), "greeting").get("value").getAsInt());

        assertEquals(200, server.rest("DELETE", "/v2/inputs/n1/annotations/" + greetingId, key, null).http());
        assertEquals(1, server.rest("GET", "/v2/annotations", key, null).body().getAsJsonArray("annotations").size());
        assertEquals(200, server.rest("DELETE", "/v2/annotations", key, "{\"input_ids\":[\"n1\"]}").http());
        assertEquals(0, server.rest("GET", "/v2/annotations", key, null).body().getAsJsonArray("annotations").size());
        assertEquals(404, server.rest("GET", "/v2/inputs/n1/annotations/" + greetingId, key, null).http());

        String reader = server.appKey("alice", "notes", List.of("Annotations:Get"), List.of());
        TestServer.Reply refused = server.rest("POST", "/v2/annotations", reader,
                "{\"annotations\":[{\"input_id\":\"n1\",\"data\":{\"concepts\":[{\"id\":\"x\"}]}}]}");
        assertEquals(11007, refused.code());
        assertTrue(refused.details().contains("Annotations:Add"), refused.details());
    }

    private static JsonObject concept(JsonArray concepts, String id) {
        return concepts.asList().stream().map(c -> c.getAsJsonObject()).filter(c -> c.get("id").getAsString().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("no concept " + id + " in " + concepts));
    }
}
