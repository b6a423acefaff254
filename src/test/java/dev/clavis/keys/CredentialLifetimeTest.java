package dev.clavis.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonObject;
import dev.clavis.auth.CredentialKind;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A credential that expires cannot outlive itself through the credentials it makes or changes. */
class CredentialLifetimeTest {
    private static TestServer server;
    private static String shortLived;
    private static Instant shortLivedExpiry;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "app", false);
        shortLivedExpiry = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        shortLived = server.clavis.keys().create(null, "alice", List.of(new KeyService.KeyDraft(CredentialKind.PAT,
                "expires tomorrow", List.of(), List.of(), "", "", shortLivedExpiry))).get(0).secret().reveal();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_key_made_without_an_expiry_by_an_expiring_pat_expires_with_it() {
        TestServer.Reply made = server.rest("POST", "/v2/users/alice/keys", shortLived,
                "{\"keys\":[{\"scopes\":[\"All\"],\"type\":\"personal_access_token\"}]}");
        assertEquals(10000, made.code(), made.body().toString());
        assertEquals(shortLivedExpiry.toString(), made.body().getAsJsonArray("keys").get(0).getAsJsonObject()
                .get("expires_at").getAsString());
        TestServer.Reply appKey = server.rest("POST", "/v2/users/alice/keys", shortLived,
                "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"app\",\"user_id\":\"alice\"}]}]}");
        assertEquals(shortLivedExpiry.toString(), appKey.body().getAsJsonArray("keys").get(0).getAsJsonObject()
                .get("expires_at").getAsString());
    }

    @Test
    void an_expiring_pat_cannot_make_a_longer_lived_key_or_extend_itself() {
        TestServer.Reply longer = server.rest("POST", "/v2/users/alice/keys", shortLived,
                "{\"keys\":[{\"scopes\":[\"All\"],\"type\":\"personal_access_token\",\"expires_at\":\"2036-01-01T00:00:00Z\"}]}");
        assertEquals(400, longer.http());
        assertEquals(11102, longer.code());
        assertTrue(longer.details().contains("expires_at cannot be later"), longer.details());

        String self = publicIdOf(shortLived);
        TestServer.Reply extended = server.rest("PATCH", "/v2/users/alice/keys", shortLived,
                "{\"keys\":[{\"id\":\"" + self + "\",\"expires_at\":\"2036-01-01T00:00:00Z\"}],\"action\":\"overwrite\"}");
        assertEquals(11102, extended.code(), extended.body().toString());
        assertEquals(shortLivedExpiry.toString(), server.rest("GET", "/v2/users/alice/keys/" + self, shortLived, null).body()
                .getAsJsonObject("key").get("expires_at").getAsString(), "unchanged");

        Instant sooner = shortLivedExpiry.minus(Duration.ofHours(1));
        TestServer.Reply shortened = server.rest("PATCH", "/v2/users/alice/keys", shortLived,
                "{\"keys\":[{\"id\":\"" + self + "\",\"expires_at\":\"" + sooner + "\"}],\"action\":\"overwrite\"}");
        assertEquals(10000, shortened.code(), "shortening its own life is allowed");
    }

    @Test
    void the_owner_signed_in_gives_any_life_and_keys_still_never_expire_by_default() {
        JsonObject login = server.send("POST", "/v2/login",
                "{\"email\":\"alice@example.com\",\"password\":\"" + TestServer.PASSWORD + "\"}").body();
        String session = login.get("session_token").getAsString();
        TestServer.Reply made = server.send("POST", "/v2/users/alice/keys",
                "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"app\",\"user_id\":\"alice\"}]}]}",
                "X-Clarifai-Session-Token", session);
        assertEquals(10000, made.code(), made.body().toString());
        assertFalse(made.body().getAsJsonArray("keys").get(0).getAsJsonObject().has("expires_at"), "a session expires, its keys need not");
        String pat = server.pat("alice");
        TestServer.Reply fromPat = server.rest("POST", "/v2/users/alice/keys", pat,
                "{\"keys\":[{\"scopes\":[\"All\"],\"type\":\"personal_access_token\",\"expires_at\":\"2036-01-01T00:00:00Z\"}]}");
        assertEquals(10000, fromPat.code(), "a PAT that never expires may make one that expires in 2036");
    }

    private static String publicIdOf(String secret) {
        return server.rest("GET", "/v2/users/alice/keys/" + secret, secret, null).body().getAsJsonObject("key").get("id").getAsString();
    }
}
