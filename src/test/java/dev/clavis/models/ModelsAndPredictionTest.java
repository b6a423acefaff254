package dev.clavis.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.Image;
import com.clarifai.grpc.api.Input;
import com.clarifai.grpc.api.MultiOutputResponse;
import com.clarifai.grpc.api.PostModelOutputsRequest;
import com.clarifai.grpc.api.UserAppIDSet;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import dev.clavis.testing.Datasets;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestImages;
import dev.clavis.testing.TestServer;
import java.awt.Color;
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

/** Built-in models, user-trained classifiers and predictions, behind PATs and app keys. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsAndPredictionTest {
    private static final long PATIENCE_MILLIS = 60_000;
    private static final String MAIN = "/v2/users/clavis/apps/main/models/";

    private TestServer server;
    private String pat;
    private String key;

    @BeforeAll
    void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "studio", false);
        pat = server.pat("alice");
        key = server.appKey("alice", "studio", List.of("All"), List.of());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String imageInput(byte[] image) {
        return "{\"data\":{\"image\":{\"base64\":\"" + TestImages.base64(image) + "\"}}}";
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Test
    void a_pat_predicts_colours_with_the_public_built_in_model() {
        byte[] red = TestImages.solid(Color.RED, 256, 256, "png");
        for (String path : List.of(MAIN + "color-recognition/outputs",
                MAIN + "color-recognition/versions/c0102000000000000000000000000001/outputs")) {
            TestServer.Reply reply = server.rest("POST", path, pat, "{\"inputs\":[" + imageInput(red) + "]}");
            assertEquals(10000, reply.code(), reply.body().toString());
            JsonObject top = reply.body().getAsJsonArray("outputs").get(0).getAsJsonObject().getAsJsonObject("data")
                    .getAsJsonArray("concepts").get(0).getAsJsonObject();
            assertEquals("#ff0000", top.get("id").getAsString());
            assertEquals("Red", top.get("name").getAsString());
            assertEquals(1.0, top.get("value").getAsDouble(), 1e-6);
        }
        MultiOutputResponse overGrpc = server.grpc(pat).postModelOutputs(PostModelOutputsRequest.newBuilder()
                .setUserAppId(UserAppIDSet.newBuilder().setUserId("clavis").setAppId("main"))
                .setModelId("color-recognition")
                .addInputs(Input.newBuilder().setData(Data.newBuilder().setImage(Image.newBuilder().setBase64(ByteString.copyFrom(red)))))
                .build());
        assertEquals(10000, overGrpc.getStatus().getCodeValue());
        assertEquals("Red", overGrpc.getOutputs(0).getData().getConcepts(0).getName());
    }

    @Test
    void an_app_key_cannot_use_the_public_models() {
        byte[] red = TestImages.solid(Color.RED, 8, 8, "png");
        assertEquals(11008, server.rest("POST", MAIN + "color-recognition/outputs", key, "{\"inputs\":[" + imageInput(red) + "]}").code());
        TestServer.Reply own = server.rest("POST", "/v2/models/color-recognition/outputs", key, "{\"inputs\":[" + imageInput(red) + "]}");
        assertEquals(21200, own.code(), "not a model of the key's app");
        assertEquals(404, own.http());
    }

    @Test
    void the_embedding_models_return_vectors() {
        TestServer.Reply image = server.rest("POST", MAIN + "general-image-embedding/outputs", pat,
                "{\"inputs\":[" + imageInput(TestImages.solid(Color.GREEN, 20, 20, "png")) + "]}");
        JsonObject embedding = image.body().getAsJsonArray("outputs").get(0).getAsJsonObject().getAsJsonObject("data")
                .getAsJsonArray("embeddings").get(0).getAsJsonObject();
        assertEquals(152, embedding.get("num_dimensions").getAsInt());
        assertEquals(152, embedding.getAsJsonArray("vector").size());
        TestServer.Reply text = server.rest("POST", MAIN + "text-embedding/outputs", pat,
                "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"hello there\"}}}]}");
        assertEquals(256, text.body().getAsJsonArray("outputs").get(0).getAsJsonObject().getAsJsonObject("data")
                .getAsJsonArray("embeddings").get(0).getAsJsonObject().get("num_dimensions").getAsInt());
        TestServer.Reply wrongKind = server.rest("POST", MAIN + "text-embedding/outputs", pat,
                "{\"inputs\":[" + imageInput(TestImages.solid(Color.GREEN, 4, 4, "png")) + "]}");
        assertEquals(10020, wrongKind.code());
        assertEquals(400, wrongKind.http());
    }

    @Test
    void a_user_trains_a_classifier_on_images_and_texts_and_predicts_held_out_data() throws Exception {
        TestServer.Reply created = server.rest("POST", "/v2/models", key, "{\"model\":{\"id\":\"scenes\",\"output_info\":"
                + "{\"data\":{\"concepts\":[{\"id\":\"sunset\"},{\"id\":\"forest\"},{\"id\":\"ocean\"},"
                + "{\"id\":\"sports\"},{\"id\":\"cooking\"},{\"id\":\"computing\"}]},"
                + "\"output_config\":{\"concepts_mutually_exclusive\":true}}}}");
        assertEquals(10000, created.code(), created.body().toString());
        assertEquals(21102, server.rest("POST", "/v2/models/scenes/outputs", key,
                "{\"inputs\":[" + imageInput(TestImages.solid(Color.RED, 4, 4, "png")) + "]}").code(), "untrained");

        StringJoiner batch = new StringJoiner(",");
        for (Datasets.Labelled<BufferedImage> s : Datasets.scenes(25, 11)) {
            batch.add("{\"data\":{\"image\":{\"base64\":\"" + TestImages.base64(png(s.item())) + "\"},\"concepts\":[{\"id\":\"" + s.label() + "\"}]}}");
        }
        assertEquals(10000, server.rest("POST", "/v2/inputs", key, "{\"inputs\":[" + batch + "]}").code());
        StringJoiner texts = new StringJoiner(",");
        for (Datasets.Labelled<String> t : Datasets.texts(20, 12)) {
            texts.add("{\"data\":{\"text\":{\"raw\":\"" + t.item() + "\"},\"concepts\":[{\"id\":\"" + t.label() + "\"}]}}");
        }
        assertEquals(10000, server.rest("POST", "/v2/inputs", key, "{\"inputs\":[" + texts + "]}").code());

        TestServer.Reply queued = server.rest("POST", "/v2/models/scenes/versions", key, null);
        assertEquals(10000, queued.code(), queued.body().toString());
        JsonObject version = queued.body().getAsJsonObject("model").getAsJsonObject("model_version");
        assertEquals(21103, version.getAsJsonObject("status").get("code").getAsInt());
        JsonObject trained = awaitVersion("scenes", version.get("id").getAsString());
        assertEquals(21100, trained.getAsJsonObject("status").get("code").getAsInt(), trained.toString());
        assertEquals(135, trained.get("total_input_count").getAsInt());

        int right = 0;
        List<Datasets.Labelled<BufferedImage>> heldOut = Datasets.scenes(10, 99);
        StringJoiner probe = new StringJoiner(",");
        heldOut.forEach(s -> probe.add(imageInput(png(s.item()))));
        JsonArray outputs = server.rest("POST", "/v2/models/scenes/outputs", key, "{\"inputs\":[" + probe + "]}").body().getAsJsonArray("outputs");
        for (int i = 0; i < heldOut.size(); i++) {
            String top = outputs.get(i).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("concepts").get(0).getAsJsonObject().get("id").getAsString();
            if (top.equals(heldOut.get(i).label())) right++;
        }
        double imageAccuracy = (double) right / heldOut.size();

        right = 0;
        List<Datasets.Labelled<String>> heldOutTexts = Datasets.texts(10, 98);
        StringJoiner textProbe = new StringJoiner(",");
        heldOutTexts.forEach(t -> textProbe.add("{\"data\":{\"text\":{\"raw\":\"" + t.item() + "\"}}}"));
        JsonArray textOutputs = server.rest("POST", "/v2/models/scenes/outputs", key, "{\"inputs\":[" + textProbe
                + "],\"model\":{\"output_info\":{\"output_config\":{\"max_concepts\":1}}}}").body().getAsJsonArray("outputs");
        for (int i = 0; i < heldOutTexts.size(); i++) {
            JsonArray concepts = textOutputs.get(i).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("concepts");
            assertEquals(1, concepts.size(), "max_concepts");
            if (concepts.get(0).getAsJsonObject().get("id").getAsString().equals(heldOutTexts.get(i).label())) right++;
        }
        double textAccuracy = (double) right / heldOutTexts.size();
        System.out.printf("trained over the API: held-out accuracy images %.3f (30), texts %.3f (30)%n", imageAccuracy, textAccuracy);
        assertTrue(imageAccuracy >= 0.9 && textAccuracy >= 0.9, imageAccuracy + " / " + textAccuracy);
    }

    @Test
    void training_without_data_fails_with_its_reason() throws Exception {
        server.rest("POST", "/v2/models", key, "{\"model\":{\"id\":\"empty\",\"output_info\":{\"data\":{\"concepts\":[{\"id\":\"nothing-here\"}]}}}}");
        String version = server.rest("POST", "/v2/models/empty/versions", key, null).body()
                .getAsJsonObject("model").getAsJsonObject("model_version").get("id").getAsString();
        assertEquals(21110, awaitVersion("empty", version).getAsJsonObject("status").get("code").getAsInt());

        server.rest("POST", "/v2/inputs", key, "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"only a cat\"},\"concepts\":[{\"id\":\"cat\"},{\"id\":\"dog\",\"value\":0}]}}]}");
        server.rest("POST", "/v2/models", key, "{\"model\":{\"id\":\"pets\",\"output_info\":{\"data\":{\"concepts\":[{\"id\":\"cat\"},{\"id\":\"dog\"}]}}}}");
        String pets = server.rest("POST", "/v2/models/pets/versions", key, null).body()
                .getAsJsonObject("model").getAsJsonObject("model_version").get("id").getAsString();
        JsonObject failed = awaitVersion("pets", pets);
        assertEquals(21111, failed.getAsJsonObject("status").get("code").getAsInt());
        assertTrue(failed.getAsJsonObject("status").get("details").getAsString().contains("dog"));
    }

    @Test
    void a_predict_only_key_predicts_but_cannot_train_or_change_models() {
        String predictOnly = server.appKey("alice", "studio", List.of("Predict"), List.of());
        assertEquals(10000, server.rest("GET", "/v2/models", predictOnly, null).code());
        TestServer.Reply train = server.rest("POST", "/v2/models/scenes/versions", predictOnly, null);
        assertEquals(11007, train.code());
        assertTrue(train.details().contains("Models:Train"), train.details());
        assertEquals(11007, server.rest("POST", "/v2/models", predictOnly, "{\"model\":{\"id\":\"nope\"}}").code());
        assertEquals(11007, server.rest("DELETE", "/v2/models/scenes", predictOnly, null).code());
    }

    @Test
    void model_types_and_built_ins_are_listed() {
        TestServer.Reply types = server.rest("GET", "/v2/models/types", key, null);
        assertEquals(4, types.body().getAsJsonArray("model_types").size());
        TestServer.Reply builtIns = server.rest("GET", "/v2/users/clavis/apps/main/models", pat, null);
        assertEquals(3, builtIns.body().getAsJsonArray("models").size());
        assertEquals(11007, server.rest("DELETE", "/v2/users/clavis/apps/main/models/color-recognition", pat, null).code(),
                "another user's public app is read-only");
    }

    @Test
    void hostile_predict_inputs_get_their_own_status_and_never_a_5xx() {
        String model = MAIN + "color-recognition/outputs";
        TestServer.Reply reply = server.rest("POST", model, pat, "{\"inputs\":["
                + imageInput(TestImages.solid(Color.BLUE, 16, 16, "png")) + ","
                + imageInput("garbage".getBytes()) + ","
                + imageInput(TestImages.pngDeclaring(60_000, 60_000)) + ","
                + "{\"data\":{\"image\":{\"url\":\"http://127.0.0.1:9/x.png\"}}},"
                + "{\"data\":{\"image\":{\"url\":\"http://10.0.0.1/x.png\"}}},"
                + "{\"data\":{\"image\":{\"url\":\"http://169.254.169.254/latest/meta-data/\"}}},"
                + "{\"data\":{\"image\":{\"url\":\"http://localhost:9/x.png\"}}},"
                + "{\"data\":{\"image\":{\"url\":\"file:///etc/passwd\"}}}]}");
        assertEquals(10010, reply.code(), reply.body().toString());
        assertEquals(200, reply.http());
        List<Integer> codes = reply.body().getAsJsonArray("outputs").asList().stream()
                .map(o -> o.getAsJsonObject().getAsJsonObject("status").get("code").getAsInt()).toList();
        assertEquals(List.of(10000, 30101, 30105, 30002, 30002, 30002, 30002, 30106), codes);

        StringJoiner many = new StringJoiner(",");
        for (int i = 0; i < 129; i++) many.add("{\"data\":{\"text\":{\"raw\":\"t\"}}}");
        TestServer.Reply tooMany = server.rest("POST", MAIN + "text-embedding/outputs", pat, "{\"inputs\":[" + many + "]}");
        assertEquals(40001, tooMany.code());
        assertEquals(400, tooMany.http());

        TestServer.Reply unknownModel = server.rest("POST", MAIN + "no-such-model/outputs", pat, "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"t\"}}}]}");
        assertEquals(21200, unknownModel.code());
        assertEquals(404, unknownModel.http());
        TestServer.Reply unknownVersion = server.rest("POST", MAIN + "color-recognition/versions/0123456789abcdef0123456789abcdef/outputs", pat,
                "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"t\"}}}]}");
        assertEquals(21200, unknownVersion.code());
        assertEquals(404, unknownVersion.http());
    }

    @Test
    void a_pat_lists_models_across_its_apps_on_the_user_route() {
        server.createApp("alice", "second", false);
        server.rest("POST", "/v2/users/alice/apps/second/models", pat, "{\"model\":{\"id\":\"in-second\",\"model_type_id\":\"text-embedder\"}}");
        JsonArray models = server.rest("GET", "/v2/users/alice/models?per_page=100", pat, null).body().getAsJsonArray("models");
        assertTrue(models.asList().stream().anyMatch(m -> m.getAsJsonObject().get("id").getAsString().equals("in-second")));
        assertTrue(models.asList().stream().anyMatch(m -> m.getAsJsonObject().get("app_id").getAsString().equals("studio")));
    }

    private JsonObject awaitVersion(String model, String version) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        JsonObject v;
        do {
            v = server.rest("GET", "/v2/models/" + model + "/versions/" + version, key, null).body().getAsJsonObject("model_version");
            int code = v.getAsJsonObject("status").get("code").getAsInt();
            if (code != 21103 && code != 21101) return v;
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        return v;
    }
}
