package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import com.clarifai.grpc.api.GetAppRequest;
import com.clarifai.grpc.api.V2Grpc;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One credential per request: two header values name two credentials, and no rule says which wins. */
class CredentialHeadersTest {
    private static TestServer server;
    private static String key;
    private static String other;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "app", false);
        key = server.appKey("alice", "app", List.of("All"), List.of());
        other = server.appKey("alice", "app", List.of("Inputs:Get"), List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void two_authorization_headers_are_refused_over_rest() {
        assertEquals(10000, server.send("GET", "/v2/app", null, "Authorization", "Key " + key).code());
        for (String second : List.of(other, key)) {
            TestServer.Reply twice = server.send("GET", "/v2/app", null, "Authorization", "Key " + key, "Authorization", "Key " + second);
            assertEquals(401, twice.http());
            assertEquals(11102, twice.code(), twice.body().toString());
        }
        TestServer.Reply both = server.send("GET", "/v2/app", null, "Authorization", "Key " + key,
                "X-Clarifai-Session-Token", "clvs_whatever");
        assertEquals(11102, both.code());
    }

    @Test
    void two_authorization_values_are_refused_over_grpc() {
        Metadata once = new Metadata();
        Metadata.Key<String> authorization = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        once.put(authorization, "Key " + key);
        V2Grpc.V2BlockingStub stub = V2Grpc.newBlockingStub(server.channel());
        assertEquals(10000, stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(once))
                .getApp(GetAppRequest.getDefaultInstance()).getStatus().getCode().getNumber());
        Metadata twice = new Metadata();
        twice.put(authorization, "Key " + key);
        twice.put(authorization, "Key " + other);
        assertEquals(11102, stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(twice))
                .getApp(GetAppRequest.getDefaultInstance()).getStatus().getCode().getNumber());
    }
}
