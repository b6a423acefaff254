package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.clavis.logs.TextLines;
import dev.clavis.testing.RawHttp;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The API door answers every /v2 call itself, in JSON, whatever the method; the rest goes on to the portal. */
class ApiDoorTest {
    private static TestServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void livez_answers_without_asking_anything() throws Exception {
        HttpResponse<String> live = send("GET", "/livez");
        assertEquals(200, live.statusCode());
        assertEquals("{\"status\":\"ok\"}", live.body());
        assertTrue(live.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void any_method_on_a_v2_path_gets_a_clarifai_json_answer() throws Exception {
        for (String verb : List.of("OPTIONS", "TRACE", "PROPFIND", "FROB", "HEAD")) {
            HttpResponse<String> reply = send(verb, "/v2/users/me/apps");
            assertTrue(reply.statusCode() == 404 || reply.statusCode() == 405, verb + " -> " + reply.statusCode());
            assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), verb);
            if (!verb.equals("HEAD")) assertTrue(reply.body().contains("\"req_id\""), verb + ": " + reply.body());
        }
        assertEquals(404, send("GET", "/v2/no/such/path").statusCode());
    }

    @Test
    void the_portal_and_sign_in_are_still_served_behind_it() throws Exception {
        assertEquals(200, send("GET", "/signin").statusCode());
        TestServer.Reply login = server.send("POST", "/v2/login", "{\"email\":\"nobody@example.com\",\"password\":\"x\"}");
        assertEquals(11002, login.code(), login.body().toString());
    }

    @Test
    void an_unknown_http_version_is_the_clients_fault_and_logged_with_the_status_sent() {
        Logger requests = (Logger) LoggerFactory.getLogger("clavis.requests");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        requests.addAppender(captured);
        try {
            for (String line : List.of("GET /v2/app HTTP/9.9\r\nHost: x\r\n\r\n", "GET /v2/app\r\n\r\n")) {
                RawHttp.Response reply = RawHttp.raw(server.clavis.httpPort(), line);
                assertEquals(505, reply.status(), line);
                assertTrue(reply.body().contains("\"code\":11100"), reply.body());
            }
        } finally {
            requests.detachAppender(captured);
        }
        assertTrue(captured.list.stream().map(e -> new TextLines().doLayout(e)).anyMatch(l -> l.contains(" http=505")),
                captured.list.toString());
    }

    private static HttpResponse<String> send(String verb, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl + path)).method(verb, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
