package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.clarifai.grpc.api.GetAppRequest;
import dev.clavis.logs.TextLines;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Health, and one log line per request that ties back to the response's req_id. */
class ObservabilityTest {

    @Test
    void healthz_answers_while_the_database_does() {
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE)) {
            TestServer.Reply health = server.send("GET", "/healthz", null);
            assertEquals(200, health.http());
            assertEquals("ok", health.body().get("status").getAsString());
        }
    }

    @Test
    void each_request_logs_one_line_with_its_req_id_method_credential_code_and_latency() {
        Logger requests = (Logger) LoggerFactory.getLogger("clavis.requests");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        requests.addAppender(captured);
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE)) {
            server.createUser("alice");
            server.createApp("alice", "seen", false);
            String key = server.appKey("alice", "seen", List.of("All"), List.of());
            String publicId = server.clavis.keys().list("alice", java.util.Optional.empty(), false,
                    dev.clavis.protocol.Page.of(1, 10)).stream().filter(k -> k.description().equals("test key"))
                    .findFirst().orElseThrow().publicId();

            TestServer.Reply rest = server.rest("GET", "/v2/app", key, null);
            String restReqId = rest.body().getAsJsonObject("status").get("req_id").getAsString();
            String grpcReqId = server.grpc(key).getApp(GetAppRequest.getDefaultInstance()).getStatus().getReqId();

            for (String reqId : List.of(restReqId, grpcReqId)) {
                List<String> lines = captured.list.stream().filter(e -> reqId.equals(e.getMDCPropertyMap().get("req_id")))
                        .map(e -> new TextLines().doLayout(e).strip()).toList();
                assertEquals(1, lines.size(), "one line for " + reqId + ": " + lines);
                String door = reqId.equals(restReqId) ? "rest" : "grpc";
                String line = lines.get(0);
                assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  clavis\\.requests - call"
                        + " req_id=" + reqId + " door=" + door + " method=GetApp credential=" + publicId
                        + " code=10000 http=200 ms=\\d+\\.\\d\\d client=127\\.0\\.0\\.1"), line);
            }
        } finally {
            requests.detachAppender(captured);
        }
    }
}
