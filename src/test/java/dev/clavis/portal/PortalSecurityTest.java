package dev.clavis.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.net.Cidr;
import dev.clavis.testing.Browser;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The portal's defences, checked over plain HTTP: cookie flags, CSRF, escaping, throttling, sign-out. */
class PortalSecurityTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Browser signedUp(String user) {
        Browser browser = new Browser(server.baseUrl);
        HttpResponse<String> signup = browser.post("/signup", "user_id", user, "email", user + "@example.com", "password", TestServer.PASSWORD);
        assertEquals(302, signup.statusCode(), signup.body());
        return browser;
    }

    @Test
    void the_session_cookie_is_http_only_same_site_strict_and_secure_behind_tls() {
        Browser browser = new Browser(server.baseUrl);
        HttpResponse<String> signup = browser.post("/signup", "user_id", "alice", "email", "alice@example.com", "password", TestServer.PASSWORD);
        String cookie = signup.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("clavis_session=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(cookie.contains("Max-Age="), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP cannot carry a Secure cookie: " + cookie);

        // X-Forwarded-Proto from anyone is not believed...
        HttpResponse<String> claimed = new Browser(server.baseUrl, "X-Forwarded-Proto", "https")
                .post("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD);
        assertTrue(claimed.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.contains("Secure")));
        // ...but from a TLS-terminating proxy the operator trusts, it is.
        try (TestServer proxied = new TestServer(TestDatabases.Kind.SQLITE,
                c -> c.withTrustedProxies(List.of(Cidr.parse("127.0.0.0/8"))))) {
            proxied.createUser("bob");
            HttpResponse<String> overTls = new Browser(proxied.baseUrl, "X-Forwarded-Proto", "https")
                    .post("/signin", "email", "bob@example.com", "password", TestServer.PASSWORD);
            assertEquals(302, overTls.statusCode());
            assertTrue(overTls.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("clavis_session=") && c.contains("Secure")));
        }
    }

    @Test
    void behind_a_trusted_proxy_each_forwarded_client_has_its_own_sign_in_budget() {
        try (TestServer proxied = new TestServer(TestDatabases.Kind.SQLITE,
                c -> c.withTrustedProxies(List.of(Cidr.parse("127.0.0.1"))))) {
            for (int i = 0; i < 20; i++) {
                assertEquals(11002, login(proxied, "198.51.100.1", "nobody" + i + "@example.com").code());
            }
            assertEquals(11005, login(proxied, "198.51.100.1", "another@example.com").code(), "this client is throttled");
            assertEquals(11002, login(proxied, "198.51.100.2", "another@example.com").code(), "the next one behind the proxy is not");
        }
        // Without trust the header is the caller's own word: every attempt counts for the peer.
        for (int i = 0; i < 20; i++) login(server, "198.51.100." + i, "nobody" + i + "@example.com");
        assertEquals(11005, login(server, "198.51.100.99", "another@example.com").code());
    }

    private static TestServer.Reply login(TestServer to, String forwardedFor, String email) {
        return to.send("POST", "/v2/login", "{\"email\":\"" + email + "\",\"password\":\"wrong\"}", "X-Forwarded-For", forwardedFor);
    }

    @Test
    void a_state_change_without_the_csrf_token_is_refused_and_changes_nothing() {
        Browser browser = signedUp("alice");
        assertEquals(403, browser.post("/apps", "app_id", "sneaky").statusCode());
        assertEquals(403, browser.post("/apps", "app_id", "sneaky", "csrf", "0".repeat(64)).statusCode());
        assertTrue(server.clavis.apps().find("alice", "sneaky").isEmpty());
        assertEquals(302, browser.post("/apps", "app_id", "fine", "csrf", browser.csrf("/apps")).statusCode());
        assertTrue(server.clavis.apps().find("alice", "fine").isPresent());

        Browser other = signedUp("mallory");
        String malloryToken = other.csrf("/apps");
        assertEquals(403, browser.post("/apps/fine/delete", "confirm", "yes", "csrf", malloryToken).statusCode(),
                "another session's token is no good either");
        assertTrue(server.clavis.apps().find("alice", "fine").isPresent());
    }

    @Test
    void user_text_is_escaped() {
        Browser browser = signedUp("alice");
        browser.post("/apps", "app_id", "safe", "csrf", browser.csrf("/apps"));
        HttpResponse<String> created = browser.post("/apps/safe/keys", "csrf", browser.csrf("/apps"),
                "description", "<script>alert(1)</script>", "scopes", "Predict");
        assertEquals(302, created.statusCode(), created.body());
        String page = browser.get("/apps/safe/settings").body();
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "shown as text");
        assertFalse(page.contains("<script>alert(1)</script>"));
    }

    @Test
    void sign_in_is_throttled_per_account_and_never_says_whether_it_exists() {
        signedUp("alice");
        Browser attacker = new Browser(server.baseUrl);
        HttpResponse<String> wrongPassword = attacker.post("/signin", "email", "alice@example.com", "password", "nope nope");
        HttpResponse<String> noSuchUser = attacker.post("/signin", "email", "nobody@example.com", "password", "nope nope");
        assertEquals(401, wrongPassword.statusCode());
        assertEquals(401, noSuchUser.statusCode());
        assertTrue(wrongPassword.body().contains("Wrong email or password.") && noSuchUser.body().contains("Wrong email or password."));

        for (int i = 0; i < 4; i++) attacker.post("/signin", "email", "alice@example.com", "password", "guess " + i);
        HttpResponse<String> locked = attacker.post("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD);
        assertEquals(429, locked.statusCode(), "even the right password waits out the window");
        assertTrue(locked.body().contains("Too many sign-in attempts"));
        assertTrue(attacker.cookie("clavis_session").isEmpty());
    }

    @Test
    void guesses_through_the_api_and_the_portal_count_together() {
        signedUp("alice");
        String wrong = "{\"email\":\"alice@example.com\",\"password\":\"wrong guess\"}";
        for (int i = 0; i < 3; i++) assertEquals(11002, server.send("POST", "/v2/login", wrong).code());
        Browser attacker = new Browser(server.baseUrl);
        for (int i = 0; i < 2; i++) attacker.post("/signin", "email", "alice@example.com", "password", "wrong guess");
        TestServer.Reply api = server.send("POST", "/v2/login", "{\"email\":\"alice@example.com\",\"password\":\""
                + TestServer.PASSWORD + "\"}");
        assertEquals(11005, api.code());
        assertEquals(429, api.http());
        assertEquals(429, attacker.post("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD).statusCode());
    }

    @Test
    void sign_in_is_throttled_per_address_across_accounts() {
        signedUp("alice");
        Browser sprayer = new Browser(server.baseUrl);
        for (int i = 0; i < 20; i++) {
            assertEquals(401, sprayer.post("/signin", "email", "user" + i + "@example.com", "password", "spray").statusCode());
        }
        assertEquals(429, sprayer.post("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD).statusCode(),
                "the address is blocked for every account");
    }

    @Test
    void sign_out_ends_the_session_on_the_server() {
        Browser browser = signedUp("alice");
        String token = browser.cookie("clavis_session").orElseThrow().getValue();
        assertEquals(10000, server.send("GET", "/v2/users/alice/keys", null, "X-Clarifai-Session-Token", token).code());
        assertEquals(302, browser.post("/signout", "csrf", browser.csrf("/apps")).statusCode());

        HttpResponse<String> replayed = new Browser(server.baseUrl, "Cookie", "clavis_session=" + token).get("/apps");
        assertEquals(302, replayed.statusCode(), "the old cookie leads to sign-in");
        assertTrue(replayed.headers().firstValue("Location").orElse("").endsWith("/signin"));
        assertEquals(11009, server.send("GET", "/v2/users/alice/keys", null, "X-Clarifai-Session-Token", token).code());
    }

    @Test
    void sign_up_can_be_switched_off() {
        try (TestServer closed = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withPortalSignup(false))) {
            Browser browser = new Browser(closed.baseUrl);
            HttpResponse<String> signup = browser.get("/signup");
            assertEquals(404, signup.statusCode());
            assertTrue(signup.body().contains("Sign-up is off"), signup.body());
            assertEquals(404, browser.post("/signup", "user_id", "x", "email", "x@example.com", "password", TestServer.PASSWORD).statusCode());
            assertTrue(closed.clavis.users().find("x").isEmpty());
        }
    }

    @Test
    void with_a_master_key_copy_reveals_the_secret_again_and_each_reveal_is_recorded() {
        byte[] masterKey = new byte[32];
        new java.security.SecureRandom().nextBytes(masterKey);
        try (TestServer kept = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withSecretKey(masterKey))) {
            Browser browser = new Browser(kept.baseUrl);
            browser.post("/signup", "user_id", "alice", "email", "alice@example.com", "password", TestServer.PASSWORD);
            browser.post("/apps", "app_id", "kept", "csrf", browser.csrf("/apps"));
            String created = secretOn(browser.get("/apps/kept/settings").body());
            String publicId = kept.clavis.keys().listForApp("alice", "kept", dev.clavis.protocol.Page.of(1, 1)).get(0).publicId();

            assertEquals(403, browser.post("/apps/kept/keys/" + publicId + "/reveal").statusCode(), "CSRF applies");
            assertEquals(302, browser.post("/apps/kept/keys/" + publicId + "/reveal", "csrf", browser.csrf("/apps")).statusCode());
            assertEquals(created, secretOn(browser.get("/apps/kept/settings").body()));
            assertEquals(1, kept.clavis.keys().revealCount(publicId));
        }
        Browser browser = signedUp("bob");
        browser.post("/apps", "app_id", "once", "csrf", browser.csrf("/apps"));
        String publicId = server.clavis.keys().listForApp("bob", "once", dev.clavis.protocol.Page.of(1, 1)).get(0).publicId();
        HttpResponse<String> refused = browser.post("/apps/once/keys/" + publicId + "/reveal", "csrf", browser.csrf("/apps"));
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("shown once"), refused.body());
    }

    private static String secretOn(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"new-secret\">([^<]+)<").matcher(page);
        assertTrue(m.find(), "a secret is shown");
        return m.group(1);
    }

    @Test
    void forms_without_scopes_say_so_and_change_nothing() {
        Browser browser = signedUp("alice");
        browser.post("/apps", "app_id", "scoped", "csrf", browser.csrf("/apps"));
        HttpResponse<String> noScopes = browser.post("/apps/scoped/keys", "csrf", browser.csrf("/apps"), "description", "none");
        assertEquals(400, noScopes.statusCode());
        assertTrue(noScopes.body().contains("Choose at least one scope"), noScopes.body());
        String publicId = server.clavis.keys().listForApp("alice", "scoped", dev.clavis.protocol.Page.of(1, 1)).get(0).publicId();
        HttpResponse<String> edit = browser.post("/apps/scoped/keys/" + publicId, "csrf", browser.csrf("/apps"), "description", "x");
        assertEquals(400, edit.statusCode());
        assertEquals(List.of("All"), server.clavis.keys().get("alice", publicId).scopes());
        HttpResponse<String> badPat = browser.post("/account/pats", "csrf", browser.csrf("/apps"), "scopes", "No:Such");
        assertEquals(400, badPat.statusCode());
        assertTrue(badPat.body().contains("Unknown scope"), badPat.body());
    }

    @Test
    void pages_refuse_framing_and_caching() {
        HttpResponse<String> page = new Browser(server.baseUrl).get("/signin");
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
    }
}
