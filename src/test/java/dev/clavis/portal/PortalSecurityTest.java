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
        HttpResponse<String> signup = browser.submit("/signup", "user_id", user, "email", user + "@example.com", "password", TestServer.PASSWORD);
        assertEquals(302, signup.statusCode(), signup.body());
        return browser;
    }

    @Test
    void the_session_cookie_is_http_only_same_site_strict_and_secure_behind_tls() {
        Browser browser = new Browser(server.baseUrl);
        HttpResponse<String> signup = browser.submit("/signup", "user_id", "alice", "email", "alice@example.com", "password", TestServer.PASSWORD);
        String cookie = signup.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("clavis_session=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(cookie.contains("Max-Age="), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP cannot carry a Secure cookie: " + cookie);

        // X-Forwarded-Proto from anyone is not believed...
        HttpResponse<String> claimed = new Browser(server.baseUrl, "X-Forwarded-Proto", "https")
                .submit("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD);
        assertTrue(claimed.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.contains("Secure")));
        // ...but from a TLS-terminating proxy the operator trusts, it is.
        try (TestServer proxied = new TestServer(TestDatabases.Kind.SQLITE,
                c -> c.withTrustedProxies(List.of(Cidr.parse("127.0.0.0/8"))))) {
            proxied.createUser("bob");
            HttpResponse<String> form = new Browser(proxied.baseUrl, "X-Forwarded-Proto", "https").get("/signin");
            assertTrue(form.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("clavis_form=") && c.contains("Secure")),
                    "the form token's cookie is Secure over TLS too");
            // A Secure cookie does not travel back over this test's plain HTTP: the test sends it as a browser would.
            String token = "ab".repeat(32);
            HttpResponse<String> overTls = new Browser(proxied.baseUrl, "X-Forwarded-Proto", "https", "Cookie", "clavis_form=" + token)
                    .post("/signin", "email", "bob@example.com", "password", TestServer.PASSWORD, "csrf", token);
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
        HttpResponse<String> wrongPassword = attacker.submit("/signin", "email", "alice@example.com", "password", "nope nope");
        HttpResponse<String> noSuchUser = attacker.submit("/signin", "email", "nobody@example.com", "password", "nope nope");
        assertEquals(401, wrongPassword.statusCode());
        assertEquals(401, noSuchUser.statusCode());
        assertTrue(wrongPassword.body().contains("Wrong email or password.") && noSuchUser.body().contains("Wrong email or password."));

        for (int i = 0; i < 4; i++) attacker.submit("/signin", "email", "alice@example.com", "password", "guess " + i);
        HttpResponse<String> locked = attacker.submit("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD);
        assertEquals(429, locked.statusCode(), "even the right password waits out the window");
        assertTrue(locked.body().contains("Too many failed sign-ins"), locked.body());
        assertTrue(attacker.cookie("clavis_session").isEmpty());
    }

    @Test
    void guesses_through_the_api_and_the_portal_count_together() {
        signedUp("alice");
        String wrong = "{\"email\":\"alice@example.com\",\"password\":\"wrong guess\"}";
        for (int i = 0; i < 3; i++) assertEquals(11002, server.send("POST", "/v2/login", wrong).code());
        Browser attacker = new Browser(server.baseUrl);
        for (int i = 0; i < 2; i++) attacker.submit("/signin", "email", "alice@example.com", "password", "wrong guess");
        TestServer.Reply api = server.send("POST", "/v2/login", "{\"email\":\"alice@example.com\",\"password\":\""
                + TestServer.PASSWORD + "\"}");
        assertEquals(11005, api.code());
        assertEquals(429, api.http());
        assertEquals(429, attacker.submit("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD).statusCode());
    }

    @Test
    void sign_in_is_throttled_per_address_across_accounts() {
        signedUp("alice");
        Browser sprayer = new Browser(server.baseUrl);
        for (int i = 0; i < 20; i++) {
            assertEquals(401, sprayer.submit("/signin", "email", "user" + i + "@example.com", "password", "spray").statusCode());
        }
        assertEquals(429, sprayer.submit("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD).statusCode(),
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
        assertTrue(replayed.headers().firstValue("Location").orElse("").startsWith("/signin"));
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
            browser.submit("/signup", "user_id", "alice", "email", "alice@example.com", "password", TestServer.PASSWORD);
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

    @Test
    void sign_in_and_sign_up_posted_from_another_origin_or_without_the_form_token_sign_no_one_in() {
        server.createUser("mallory");
        // The attacker's page can send the fields, but not this browser's form token...
        Browser victim = new Browser(server.baseUrl);
        victim.get("/signin"); // the victim has visited before: their browser holds a form cookie
        HttpResponse<String> forged = victim.post("/signin", "email", "mallory@example.com", "password", TestServer.PASSWORD);
        assertEquals(403, forged.statusCode());
        assertEquals(403, victim.post("/signin", "email", "mallory@example.com", "password", TestServer.PASSWORD,
                "csrf", "0".repeat(64)).statusCode());
        assertTrue(victim.cookie("clavis_session").isEmpty(), "not signed in as the attacker");
        assertEquals(403, victim.post("/signup", "user_id", "planted", "email", "planted@example.com",
                "password", TestServer.PASSWORD).statusCode());
        assertTrue(server.clavis.users().find("planted").isEmpty());

        // ...and a browser says where a form came from: another port of this host is another origin.
        String port = server.baseUrl.substring(server.baseUrl.lastIndexOf(':') + 1);
        for (String[] from : List.of(new String[] {"Origin", "http://127.0.0.1:" + (Integer.parseInt(port) + 1)},
                new String[] {"Origin", "http://evil.example"}, new String[] {"Origin", "null"},
                new String[] {"Sec-Fetch-Site", "same-site"}, new String[] {"Sec-Fetch-Site", "cross-site"})) {
            Browser elsewhere = new Browser(server.baseUrl, from);
            HttpResponse<String> refused = elsewhere.submit("/signin", "email", "mallory@example.com", "password", TestServer.PASSWORD);
            assertEquals(403, refused.statusCode(), String.join(": ", from));
            assertTrue(elsewhere.cookie("clavis_session").isEmpty());
        }
        Browser here = new Browser(server.baseUrl, "Origin", server.baseUrl, "Sec-Fetch-Site", "same-origin");
        assertEquals(302, here.submit("/signin", "email", "mallory@example.com", "password", TestServer.PASSWORD).statusCode());
        // Signed in, a form from another origin changes nothing either, token or not.
        Browser signedIn = signedUp("alice");
        String token = signedIn.csrf("/apps");
        Browser sameCookiesElsewhere = new Browser(server.baseUrl, "Origin", "http://evil.example",
                "Cookie", "clavis_session=" + signedIn.cookie("clavis_session").orElseThrow().getValue());
        assertEquals(403, sameCookiesElsewhere.post("/apps", "app_id", "planted", "csrf", token).statusCode());
        assertTrue(server.clavis.apps().find("alice", "planted").isEmpty());
    }

    @Test
    void sign_up_answers_a_taken_id_and_a_taken_email_alike_and_slows_down_probing() {
        signedUp("alice");
        Browser prober = new Browser(server.baseUrl);
        HttpResponse<String> takenId = prober.submit("/signup", "user_id", "alice", "email", "fresh@example.com", "password", TestServer.PASSWORD);
        HttpResponse<String> takenEmail = prober.submit("/signup", "user_id", "fresh", "email", "alice@example.com", "password", TestServer.PASSWORD);
        assertEquals(400, takenId.statusCode());
        assertEquals(400, takenEmail.statusCode());
        assertTrue(takenId.body().contains(AccountPages.TAKEN) && takenEmail.body().contains(AccountPages.TAKEN));
        for (String body : List.of(takenId.body(), takenEmail.body())) {
            assertFalse(body.contains("already registered") || body.contains("already exists"), body);
        }
        prober.submit("/signup", "user_id", "alice", "email", "again@example.com", "password", TestServer.PASSWORD);
        HttpResponse<String> slowed = prober.submit("/signup", "user_id", "bob", "email", "bob@example.com", "password", TestServer.PASSWORD);
        assertEquals(429, slowed.statusCode(), "three refusals from one address, then it waits");
        assertTrue(slowed.headers().firstValue("Retry-After").isPresent());
        server.clock.advance(java.time.Duration.ofSeconds(2));
        assertEquals(302, prober.submit("/signup", "user_id", "bob", "email", "bob@example.com", "password", TestServer.PASSWORD).statusCode());
    }

    @Test
    void a_guesser_slows_only_themselves_the_owner_signs_in_from_their_own_address() {
        try (TestServer proxied = new TestServer(TestDatabases.Kind.SQLITE,
                c -> c.withTrustedProxies(List.of(Cidr.parse("127.0.0.1"))))) {
            proxied.createUser("alice");
            Browser attacker = new Browser(proxied.baseUrl, "X-Forwarded-For", "203.0.113.66");
            // Six failures, each waited out as a patient guesser would.
            for (int failed = 0; failed < 6; ) {
                HttpResponse<String> guess = attacker.submit("/signin", "email", "alice@example.com", "password", "guess " + failed);
                if (guess.statusCode() == 401) {
                    failed++;
                } else {
                    assertEquals(429, guess.statusCode());
                    proxied.clock.advance(java.time.Duration.ofSeconds(Long.parseLong(guess.headers().firstValue("Retry-After").orElseThrow())));
                }
            }
            HttpResponse<String> held = attacker.submit("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD);
            assertEquals(429, held.statusCode(), "the guesser waits, right password or not");
            long wait = Long.parseLong(held.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(wait > 1, "the delay grew with each failure: " + wait);

            Browser owner = new Browser(proxied.baseUrl, "X-Forwarded-For", "198.51.100.7");
            assertEquals(302, owner.submit("/signin", "email", "alice@example.com", "password", TestServer.PASSWORD).statusCode(),
                    "no lock-out for the owner");

            // The delay passes, and it doubles with the next failure.
            proxied.clock.advance(java.time.Duration.ofSeconds(wait));
            assertEquals(401, attacker.submit("/signin", "email", "alice@example.com", "password", "one more").statusCode());
            HttpResponse<String> longer = attacker.submit("/signin", "email", "alice@example.com", "password", "and another");
            assertEquals(429, longer.statusCode());
            assertTrue(Long.parseLong(longer.headers().firstValue("Retry-After").orElseThrow()) > wait);
        }
    }

    @Test
    void a_key_route_acts_only_on_an_app_key_of_that_app() {
        Browser browser = signedUp("alice");
        browser.post("/apps", "app_id", "one", "csrf", browser.csrf("/apps"));
        browser.post("/apps", "app_id", "two", "csrf", browser.csrf("/apps"));
        String keyOfOne = server.clavis.keys().listForApp("alice", "one", dev.clavis.protocol.Page.of(1, 1)).get(0).publicId();
        String pat = server.pat("alice");
        String patId = server.clavis.keys().list("alice", java.util.Optional.of(dev.clavis.auth.CredentialKind.PAT), false,
                dev.clavis.protocol.Page.of(1, 1)).get(0).publicId();
        String token = browser.csrf("/apps");

        assertEquals(404, browser.get("/apps/one/keys/" + patId + "/edit").statusCode(), "a PAT is not an app key");
        assertEquals(404, browser.post("/apps/one/keys/" + patId, "csrf", token, "scopes", "Predict").statusCode());
        assertEquals(List.of("All"), server.clavis.keys().get("alice", patId).scopes(), "the PAT's scopes unchanged");
        assertEquals(404, browser.get("/apps/two/keys/" + keyOfOne + "/edit").statusCode(), "not a key of this app");
        assertEquals(404, browser.post("/apps/two/keys/" + keyOfOne + "/delete", "csrf", token).statusCode());
        assertEquals(404, browser.post("/apps/two/keys/" + keyOfOne + "/reveal", "csrf", token).statusCode());
        assertEquals(404, browser.post("/account/pats/" + keyOfOne + "/delete", "csrf", token).statusCode(), "nor is an app key a PAT");
        assertEquals(10000, server.rest("GET", "/v2/users/alice/keys", pat, null).code(), "the PAT still works");
        assertEquals(200, browser.get("/apps/one/keys/" + keyOfOne + "/edit").statusCode(), "under its own app it opens");
    }

    @Test
    void pages_say_nosniff_and_a_referrer_policy_and_strays_get_pages_not_json() {
        HttpResponse<String> page = new Browser(server.baseUrl).get("/signin");
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("same-origin", page.headers().firstValue("Referrer-Policy").orElse(""));
        HttpResponse<String> icon = new Browser(server.baseUrl).get("/favicon.ico");
        assertEquals(200, icon.statusCode());
        assertTrue(icon.headers().firstValue("Content-Type").orElse("").startsWith("image/"));

        Browser browser = signedUp("alice");
        HttpResponse<String> stray = browser.get("/no/such/page");
        assertEquals(404, stray.statusCode());
        assertTrue(stray.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), stray.body());
        assertTrue(stray.body().contains("aria-label=\"Main\""), "the navigation stays when signed in");
        HttpResponse<String> missingApp = browser.get("/apps/nope/settings");
        assertEquals(404, missingApp.statusCode());
        assertTrue(missingApp.body().contains("aria-label=\"Main\""), missingApp.body());
        HttpResponse<String> signOut = browser.get("/signout");
        assertEquals(200, signOut.statusCode());
        assertTrue(signOut.body().contains("action=\"/signout\""), "a page that asks, with the form");
        assertEquals(11101, server.send("GET", "/v2/no/such/path", null).code(), "the API's own strays keep their status");
    }

    @Test
    void without_script_a_deletion_asks_on_a_page_first() {
        Browser browser = signedUp("alice");
        browser.post("/apps", "app_id", "kept", "csrf", browser.csrf("/apps"));
        String keyId = server.clavis.keys().listForApp("alice", "kept", dev.clavis.protocol.Page.of(1, 1)).get(0).publicId();
        HttpResponse<String> asked = browser.post("/apps/kept/keys/" + keyId + "/delete", "csrf", browser.csrf("/apps"));
        assertEquals(200, asked.statusCode());
        assertTrue(asked.body().contains("name=\"confirm\" value=\"yes\"") && asked.body().contains("Requests with it will fail"),
                asked.body());
        assertEquals(1, server.clavis.keys().listForApp("alice", "kept", dev.clavis.protocol.Page.of(1, 10)).size(), "nothing deleted yet");
        assertEquals(302, browser.post("/apps/kept/keys/" + keyId + "/delete", "csrf", browser.csrf("/apps"), "confirm", "yes").statusCode());
        assertEquals(0, server.clavis.keys().listForApp("alice", "kept", dev.clavis.protocol.Page.of(1, 10)).size());
    }

    @Test
    void a_refused_key_form_keeps_what_was_typed_and_names_the_field() {
        Browser browser = signedUp("alice");
        browser.post("/apps", "app_id", "formy", "csrf", browser.csrf("/apps"));
        HttpResponse<String> tooLong = browser.post("/apps/formy/keys", "csrf", browser.csrf("/apps"),
                "description", "d".repeat(2000), "scopes", "Predict");
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("id=\"description-error\""), "the message stands by the description");
        assertTrue(tooLong.body().contains("value=\"Predict\" checked"), "Predict is still ticked");
    }
}
