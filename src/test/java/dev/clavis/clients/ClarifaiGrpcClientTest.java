package dev.clavis.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.channel.ClarifaiChannel;
import com.clarifai.channel.JsonMarshaller;
import com.clarifai.channel.http.ClarifaiHttpClient;
import com.clarifai.credentials.ClarifaiCallCredentials;
import com.clarifai.grpc.api.App;
import com.clarifai.grpc.api.DeleteKeyRequest;
import com.clarifai.grpc.api.GetAppRequest;
import com.clarifai.grpc.api.GetKeyRequest;
import com.clarifai.grpc.api.Key;
import com.clarifai.grpc.api.ListAppKeysRequest;
import com.clarifai.grpc.api.ListKeysRequest;
import com.clarifai.grpc.api.ListModelsRequest;
import com.clarifai.grpc.api.MultiAppResponse;
import com.clarifai.grpc.api.MultiKeyResponse;
import com.clarifai.grpc.api.MultiModelResponse;
import com.clarifai.grpc.api.MultiScopeResponse;
import com.clarifai.grpc.api.MyScopesRequest;
import com.clarifai.grpc.api.PatchKeysRequest;
import com.clarifai.grpc.api.PostAppsRequest;
import com.clarifai.grpc.api.PostKeysRequest;
import com.clarifai.grpc.api.SingleAppResponse;
import com.clarifai.grpc.api.SingleKeyResponse;
import com.clarifai.grpc.api.UserAppIDSet;
import com.clarifai.grpc.api.V2Grpc;
import com.clarifai.grpc.api.status.BaseResponse;
import com.google.protobuf.Message;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clarifai's own Java client ({@code com.clarifai:clarifai-grpc:10.3.3}) as a black box: its JSON
 * channel pointed at our base URL (it picks the REST route, sends the JSON, parses the answer),
 * and a plaintext gRPC channel with its call credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClarifaiGrpcClientTest {
    private TestServer server;
    private Channel jsonChannel;
    private String pat;

    @BeforeAll
    void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        pat = server.pat("alice");
        jsonChannel = ClarifaiChannel.INSTANCE.getJsonChannel(new ClarifaiHttpClient.Default(server.baseUrl));
        // getJsonChannel flips a process-wide switch that makes V2Grpc build JSON marshallers;
        // this one flips it back (the channel is never used) so binary gRPC keeps working here.
        ClarifaiChannel.INSTANCE.getInsecureGrpcChannel().shutdownNow();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /**
     * One call through the chosen channel. Over JSON the method gets the client's own JSON
     * marshallers, as V2Grpc gives them in a process that chose the JSON channel first.
     */
    private <Q extends Message, R extends Message> R call(String kind, String key, MethodDescriptor<Q, R> method, Q request) {
        CallOptions options = CallOptions.DEFAULT.withCallCredentials(new ClarifaiCallCredentials(key));
        if (kind.equals("grpc")) return ClientCalls.blockingUnaryCall(server.channel(), method, options, request);
        @SuppressWarnings("unchecked")
        R responsePrototype = (R) ((MethodDescriptor.PrototypeMarshaller<R>) method.getResponseMarshaller()).getMessagePrototype();
        @SuppressWarnings("unchecked")
        Q requestPrototype = (Q) request.getDefaultInstanceForType();
        MethodDescriptor<Q, R> overJson = method.toBuilder(
                JsonMarshaller.jsonMarshaller(requestPrototype), JsonMarshaller.jsonMarshaller(responsePrototype)).build();
        return ClientCalls.blockingUnaryCall(jsonChannel, overJson, options, request);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "grpc"})
    void a_pat_manages_an_app_and_its_keys_and_the_key_works_without_ids(String kind) {
        String appId = "client-" + kind;
        // No user_app_id on user-level calls: the JSON channel then sends "me" (it cannot send a
        // user id without an app id); over gRPC the absent id means the caller too.

        MultiAppResponse apps = call(kind, pat, V2Grpc.getPostAppsMethod(), PostAppsRequest.newBuilder()
                .addApps(App.newBuilder().setId(appId).setDescription("made by the client")).build());
        assertEquals(10000, apps.getStatus().getCodeValue(), apps.getStatus().toString());

        MultiKeyResponse created = call(kind, pat, V2Grpc.getPostKeysMethod(), PostKeysRequest.newBuilder()
                .addKeys(Key.newBuilder().setDescription("All permissions").addScopes("All")
                        .addApps(App.newBuilder().setId(appId).setUserId("alice")))
                .build());
        assertEquals(10000, created.getStatus().getCodeValue(), created.getStatus().toString());
        String secret = created.getKeys(0).getId();
        assertTrue(secret.startsWith("clvk_"));

        SingleAppResponse app = call(kind, secret, V2Grpc.getGetAppMethod(), GetAppRequest.getDefaultInstance());
        assertEquals(10000, app.getStatus().getCodeValue(), app.getStatus().toString());
        assertEquals(appId, app.getApp().getId());
        assertEquals("made by the client", app.getApp().getDescription());
        MultiScopeResponse scopes = call(kind, secret, V2Grpc.getMyScopesMethod(), MyScopesRequest.getDefaultInstance());
        assertEquals(10000, scopes.getStatus().getCodeValue(), scopes.getStatus().toString());
        assertTrue(scopes.getScopesList().contains("All"));

        MultiKeyResponse listed = call(kind, pat, V2Grpc.getListKeysMethod(), ListKeysRequest.newBuilder().build());
        assertEquals(10000, listed.getStatus().getCodeValue());
        MultiKeyResponse appKeys = call(kind, pat, V2Grpc.getListAppKeysMethod(), ListAppKeysRequest.newBuilder()
                .setUserAppId(UserAppIDSet.newBuilder().setUserId("alice").setAppId(appId)).build());
        assertEquals(2, appKeys.getKeysCount(), "the app's own key and ours");
        String publicId = appKeys.getKeysList().stream().filter(k -> k.getDescription().equals("All permissions"))
                .findFirst().orElseThrow().getId();
        assertTrue(listed.getKeysList().stream().anyMatch(k -> k.getId().equals(publicId)));

        MultiKeyResponse patched = call(kind, pat, V2Grpc.getPatchKeysMethod(), PatchKeysRequest.newBuilder()
                .setAction("overwrite")
                .addKeys(Key.newBuilder().setId(publicId).setDescription("renamed")).build());
        assertEquals(10000, patched.getStatus().getCodeValue(), patched.getStatus().toString());
        SingleKeyResponse got = call(kind, pat, V2Grpc.getGetKeyMethod(),
                GetKeyRequest.newBuilder().setKeyId(publicId).build());
        assertEquals("renamed", got.getKey().getDescription());
        assertEquals(appId, got.getKey().getApps(0).getId());

        BaseResponse deleted = call(kind, pat, V2Grpc.getDeleteKeyMethod(),
                DeleteKeyRequest.newBuilder().setKeyId(publicId).build());
        assertEquals(10000, deleted.getStatus().getCodeValue());
        assertEquals(11009, call(kind, secret, V2Grpc.getGetAppMethod(), GetAppRequest.getDefaultInstance())
                .getStatus().getCodeValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "grpc"})
    void an_invalid_key_gets_11008_with_clarifais_description(String kind) {
        MultiModelResponse response = call(kind, "SOME_INVALID_KEY", V2Grpc.getListModelsMethod(), ListModelsRequest.getDefaultInstance());
        assertEquals(11008, response.getStatus().getCodeValue());
        assertEquals("Invalid API key or Invalid API key/application pair", response.getStatus().getDescription());
    }
}
