package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.clarifai.grpc.api.Data;
import com.clarifai.grpc.api.Image;
import com.clarifai.grpc.api.Input;
import com.clarifai.grpc.api.MultiAppResponse;
import com.clarifai.grpc.api.MultiInputResponse;
import com.clarifai.grpc.api.PostInputsRequest;
import com.clarifai.grpc.api.status.BaseResponse;
import com.google.protobuf.ByteString;
import dev.clavis.testing.RawGrpc;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a hostile or newer gRPC client sends gets a Clarifai status in a response, never UNKNOWN. */
class GrpcHostileTest {
    private static TestServer server;
    private static String pat;
    private static String key;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "app", false);
        pat = server.pat("alice");
        key = server.appKey("alice", "app", List.of("All"), List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_undecodable_message_is_a_bad_request_format_with_one_log_line_and_no_trace() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            byte[] reply = raw("/clarifai.api.V2/ListApps", HexFormat.of().parseHex("128080808008616263"), pat);
            MultiAppResponse response = MultiAppResponse.parseFrom(reply);
            assertEquals(11100, response.getStatus().getCode().getNumber(), response.toString());
            assertTrue(response.getStatus().getDetails().contains("could not be decoded"), response.getStatus().getDetails());
        } finally {
            root.detachAppender(captured);
        }
        assertTrue(captured.list.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN)), "no warning or error logged");
        assertTrue(captured.list.stream().noneMatch(e -> e.getThrowableProxy() != null), "no stack trace");
        assertEquals(1, captured.list.stream().filter(e -> e.getLoggerName().equals("clavis.requests")).count());
    }

    @Test
    void a_message_over_the_limit_is_answered_exceeds_limits() throws Exception {
        // TestServer accepts 1 MiB; this input's image is 1.5 MiB.
        PostInputsRequest big = PostInputsRequest.newBuilder().addInputs(Input.newBuilder().setData(Data.newBuilder()
                .setImage(Image.newBuilder().setBase64(ByteString.copyFrom(new byte[1_500_000]))))).build();
        MultiInputResponse response = MultiInputResponse.parseFrom(raw("/clarifai.api.V2/PostInputs", big.toByteArray(), key));
        assertEquals(11006, response.getStatus().getCode().getNumber(), response.getStatus().toString());
        assertEquals(0, response.getInputsCount());
    }

    @Test
    void a_method_this_version_does_not_know_is_not_implemented_not_unknown() throws Exception {
        for (String method : List.of("/clarifai.api.V2/PostAuditLogSearches", "/some.other.Service/Call")) {
            BaseResponse response = BaseResponse.parseFrom(raw(method, new byte[0], pat));
            assertEquals(10040, response.getStatus().getCode().getNumber(), method);
            assertTrue(!response.getStatus().getReqId().isEmpty());
        }
    }

    private static byte[] raw(String method, byte[] request, String credential) {
        return RawGrpc.call(server.channel(), method, request, credential);
    }
}
