package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Captures every log event of a full flow and searches it for each secret the flow handled. */
class SecretsNeverLoggedTest {

    @Test
    void no_secret_or_password_appears_in_the_logs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> secrets = new ArrayList<>();
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE)) {
            server.createUser("alice");
            secrets.add(TestServer.PASSWORD);

            JsonObject login = server.send("POST", "/v2/login",
                    "{\"email\":\"alice@example.com\",\"password\":\"" + TestServer.PASSWORD + "\"}").body();
            String session = login.get("session_token").getAsString();
            secrets.add(session);
            server.send("POST", "/v2/login", "{\"email\":\"alice@example.com\",\"password\":\"wrong-" + TestServer.PASSWORD + "\"}");
            secrets.add("wrong-" + TestServer.PASSWORD);

            TestServer.Reply patReply = server.send("POST", "/v2/users/alice/keys",
                    "{\"keys\":[{\"scopes\":[\"All\"],\"type\":\"personal_access_token\"}]}", "X-Clarifai-Session-Token", session);
            String pat = patReply.body().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
            secrets.add(pat);

            server.rest("POST", "/v2/users/alice/apps", pat, "{\"apps\":[{\"id\":\"logged\"}]}");
            String key = server.rest("POST", "/v2/users/alice/keys", pat,
                    "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"logged\"}]}]}")
                    .body().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
            secrets.add(key);

            server.rest("GET", "/v2/app", key, null);
            server.grpc(key).myScopes(com.clarifai.grpc.api.MyScopesRequest.getDefaultInstance());
            server.rest("GET", "/v2/users/alice/keys/" + key, pat, null);
            server.rest("GET", "/v2/users/alice/keys/" + key + "/no-such-thing", pat, null); // logged as an unknown path
            server.rest("GET", "/v2/users/alice/keys", key, null); // refused: app key on a PAT method
            String typo = key.substring(0, key.length() - 1) + (key.endsWith("x") ? "y" : "x");
            secrets.add(typo);
            server.rest("GET", "/v2/app", typo, null);
            server.rest("DELETE", "/v2/users/alice/keys/" + key, pat, null);
            server.rest("GET", "/v2/app", key, null); // refused: deleted
            server.rest("POST", "/v2/users/alice/apps", pat, "{\"apps\": [ broken " + key);
        } finally {
            root.detachAppender(captured);
        }

        // Every event as both formats write it: text lines with their fields, and JSON lines.
        dev.clavis.logs.TextLines text = new dev.clavis.logs.TextLines();
        text.setContext(root.getLoggerContext());
        text.start();
        dev.clavis.logs.JsonLines json = new dev.clavis.logs.JsonLines();
        json.setContext(root.getLoggerContext());
        json.start();
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : captured.list) {
            lines.add(text.doLayout(event));
            lines.add(json.doLayout(event));
            if (event.getThrowableProxy() != null) lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"logger\":\"clavis.audit\"")), "credential events were audited");
        assertTrue(lines.stream().filter(l -> l.contains("req_id=")).count() >= 12, "one line per request was logged");
        for (String secret : secrets) {
            for (String line : lines) assertFalse(line.contains(secret), "a secret leaked into: " + line);
            String body = secret.length() > 30 ? secret.substring(5, 25) : secret; // no fragment either
            for (String line : lines) assertFalse(line.contains(body), "part of a secret leaked into: " + line);
        }
        assertEquals(0, captured.list.stream().filter(e -> e.getLevel().toInt() >= ch.qos.logback.classic.Level.ERROR_INT).count(),
                "the flow logged no errors");
    }
}
