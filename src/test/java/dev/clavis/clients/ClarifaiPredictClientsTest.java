package dev.clavis.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import clarifai2.api.ClarifaiBuilder;
import clarifai2.api.ClarifaiClient;
import clarifai2.api.ClarifaiResponse;
import clarifai2.dto.input.ClarifaiInput;
import clarifai2.dto.model.output.ClarifaiOutput;
import clarifai2.dto.prediction.Concept;
import clarifai2.dto.prediction.Prediction;
import com.clarifai.credentials.ClarifaiCallCredentials;
import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.Image;
import com.clarifai.grpc.api.Input;
import com.clarifai.grpc.api.MultiOutputResponse;
import com.clarifai.grpc.api.PostModelOutputsRequest;
import com.clarifai.grpc.api.V2Grpc;
import dev.clavis.testing.LocalWeb;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestImages;
import dev.clavis.testing.TestServer;
import java.awt.Color;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Predictions from Clarifai's published Java clients: clarifai-grpc over gRPC with the request
 * shape of the product description's example (app key, model and version ids, image URL, no
 * user or app id), and the legacy REST client {@code clarifai-api2:core:2.8.1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClarifaiPredictClientsTest {
    private final byte[] red = TestImages.solid(Color.RED, 256, 256, "png");
    private LocalWeb web;
    private TestServer server;
    private String key;
    private String colorVersion;

    @BeforeAll
    void start() {
        web = new LocalWeb(Map.of("/red.png", red));
        server = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withFetchAllowHosts(Set.of("127.0.0.1")));
        server.createUser("alice");
        server.createApp("alice", "mine", false);
        key = server.appKey("alice", "mine", List.of("All"), List.of());
        colorVersion = server.rest("POST", "/v2/models", key, "{\"model\":{\"id\":\"my-colors\",\"model_type_id\":\"color-recognizer\"}}")
                .body().getAsJsonObject("model").getAsJsonObject("model_version").get("id").getAsString();
    }

    @AfterAll
    void stop() {
        server.close();
        web.close();
    }

    @Test
    void clarifai_grpc_predicts_with_the_seed_request_shape() {
        V2Grpc.V2BlockingStub stub = V2Grpc.newBlockingStub(server.channel()).withCallCredentials(new ClarifaiCallCredentials(key));
        MultiOutputResponse response = stub.postModelOutputs(PostModelOutputsRequest.newBuilder()
                .setModelId("my-colors")
                .setVersionId(colorVersion)
                .addInputs(Input.newBuilder().setData(Data.newBuilder().setImage(Image.newBuilder().setUrl(web.url("/red.png")))))
                .build());
        assertEquals(10000, response.getStatus().getCodeValue(), response.getStatus().toString());
        assertEquals("Red", response.getOutputs(0).getData().getConcepts(0).getName());
        assertEquals(1.0, response.getOutputs(0).getData().getConcepts(0).getValue(), 1e-6);
    }

    @Test
    void the_legacy_java_client_adds_inputs_and_predicts() {
        ClarifaiClient client = new ClarifaiBuilder(key).baseURL(server.baseUrl).buildSync();
        try {
            ClarifaiResponse<List<ClarifaiInput>> added = client.addInputs()
                    .plus(ClarifaiInput.forImage(red).withID("legacy-red").withConcepts(Concept.forID("red-thing")))
                    .executeSync();
            assertTrue(added.isSuccessful(), added.getStatus().toString());
            assertEquals("legacy-red", added.get().get(0).id());
            assertEquals(10000, server.rest("GET", "/v2/inputs/legacy-red", key, null).code());

            ClarifaiResponse<List<ClarifaiOutput<Prediction>>> predicted = client.predict("my-colors")
                    .withInputs(ClarifaiInput.forImage(red))
                    .executeSync();
            assertTrue(predicted.isSuccessful(), predicted.getStatus().toString());
            Concept top = predicted.get().get(0).data().get(0).asConcept();
            assertEquals("Red", top.name());
            assertEquals("#ff0000", top.id());
        } finally {
            client.close();
        }
    }
}
