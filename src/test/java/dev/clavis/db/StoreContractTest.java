package dev.clavis.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.apps.App;
import dev.clavis.apps.AppService;
import dev.clavis.apps.AppStore;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.PasswordHasher;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.concepts.ConceptService;
import dev.clavis.inputs.InputService;
import dev.clavis.inputs.InputStore;
import dev.clavis.jobs.JobQueue;
import dev.clavis.keys.KeyService;
import dev.clavis.keys.KeyStore;
import dev.clavis.media.Images;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.MethodTable;
import dev.clavis.protocol.Page;
import dev.clavis.testing.MutableClock;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestImages;
import dev.clavis.users.UserAdministration;
import dev.clavis.users.UserService;
import dev.clavis.users.UserStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores and the transactions around them, run alike on SQLite and PostgreSQL. */
abstract class StoreContractTest {
    private static final MethodTable METHODS = MethodTable.fromDescriptor();

    @TempDir
    Path tempDir;

    private Database database;
    private Jdbi jdbi;
    private final MutableClock clock = new MutableClock();
    private KeyService keys;
    private AppService apps;
    private UserService users;
    private UserAdministration administration;
    private Authenticator authenticator;
    private InputService inputs;

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void openFreshDatabase() {
        database = Database.open(TestDatabases.url(kind(), tempDir));
        jdbi = database.jdbi();
        authenticator = new Authenticator(h -> jdbi.onDemand(KeyStore.class).findByHash(h), clock);
        Revocations revocations = new Revocations(new RevocationFeed(database, clock, Duration.ofSeconds(1), Duration.ofHours(1)));
        revocations.subscribe(authenticator::revoke);
        byte[] masterKey = new byte[32];
        new java.security.SecureRandom().nextBytes(masterKey);
        keys = new KeyService(jdbi, new ScopeCatalog(METHODS), METHODS, revocations, clock, Duration.ofHours(1),
                dev.clavis.auth.SecretVault.of(masterKey));
        apps = new AppService(jdbi, keys, revocations, clock);
        users = new UserService(jdbi, new PasswordHasher(), clock);
        administration = new UserAdministration(jdbi, new PasswordHasher(), keys, apps, clock);
        Images images = new Images(1_000_000);
        inputs = new InputService(jdbi, new ConceptService(jdbi, clock), images, new JobQueue(100, clock), clock);
        users.create("alice", "Alice@Example.com", "correct horse");
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void an_administrator_disables_enables_resets_and_deletes_a_user_and_their_credentials_follow() {
        String pat = keys.create(null, "alice", List.of(new KeyService.KeyDraft(CredentialKind.PAT, "pat", List.of(),
                List.of(), "", "", null))).get(0).secret().reveal();
        String appKey = apps.create("alice", List.of(new AppService.AppDraft("owned", "Owned", "", App.PRIVATE, null)))
                .get(0).key().secret().reveal();
        String session = keys.createSession("alice").secret().reveal();
        users.create("bob", "bob@example.com", "correct horse");
        assertEquals(List.of("alice", "bob"), administration.list().stream().map(dev.clavis.users.User::id).toList(),
                "people only, not the system user");
        assertEquals(List.of(CredentialKind.PAT, CredentialKind.APP_KEY),
                keys.listEvery(Optional.of("alice"), Optional.empty()).stream().map(Credential::kind).toList());
        assertEquals(1, keys.listEvery(Optional.empty(), Optional.of("owned")).size());
        for (String secret : List.of(pat, appKey, session)) authenticate(secret); // cached

        administration.disable("alice");
        assertTrue(administration.list().get(0).disabled());
        for (String secret : List.of(pat, appKey, session)) {
            assertEquals(11009, assertThrows(ApiException.class, () -> authenticate(secret)).code().getNumber());
        }
        assertEquals(Optional.empty(), users.verify("alice@example.com", "correct horse"));

        administration.enable("alice");
        for (String secret : List.of(pat, appKey, session)) authenticate(secret);
        administration.resetPassword("alice", "a brand new password");
        assertEquals(11009, assertThrows(ApiException.class, () -> authenticate(session)).code().getNumber(), "sessions end");
        authenticate(pat);
        assertEquals("alice", users.verify("alice@example.com", "a brand new password").orElseThrow().id());

        administration.delete("alice");
        for (String secret : List.of(pat, appKey)) {
            assertEquals(11009, assertThrows(ApiException.class, () -> authenticate(secret)).code().getNumber());
        }
        assertEquals(Optional.empty(), jdbi.onDemand(UserStore.class).find("alice"));
        assertEquals(List.of(), apps.listEvery(Optional.of("alice")));
        assertEquals(List.of(), keys.listEvery(Optional.of("alice"), Optional.empty()));
        assertEquals(404, assertThrows(ApiException.class, () -> administration.delete("clavis")).httpStatus(),
                "the system user is not a person to delete");
        assertTrue(jdbi.onDemand(AppStore.class).find("clavis", "main").isPresent(), "and nothing of it went");
    }

    private void authenticate(String secret) {
        boolean session = dev.clavis.auth.Secrets.kindOf(secret).orElseThrow() == CredentialKind.SESSION;
        authenticator.authenticate(new dev.clavis.auth.CredentialHeaders(session ? null : "Key " + secret, session ? secret : null));
    }

    @Test
    void migrations_create_the_system_user_and_its_public_app() {
        assertTrue(jdbi.onDemand(UserStore.class).find("clavis").isPresent());
        App main = jdbi.onDemand(AppStore.class).find("clavis", "main").orElseThrow();
        assertTrue(main.isPublic());
        assertEquals(Optional.empty(), jdbi.onDemand(UserStore.class).findPasswordHash("system@clavis.invalid"));
    }

    @Test
    void users_are_found_by_id_and_normalised_email_and_sign_in_with_their_password() {
        UserStore store = jdbi.onDemand(UserStore.class);
        assertEquals("alice@example.com", store.find("alice").orElseThrow().email());
        assertEquals("alice", users.verify(" ALICE@example.com ", "correct horse").orElseThrow().id());
        assertEquals(Optional.empty(), users.verify("alice@example.com", "wrong horse"));
        assertEquals(Optional.empty(), users.verify("nobody@example.com", "correct horse"));
        ApiException duplicate = assertThrows(ApiException.class, () -> users.create("alice2", "alice@example.com", "correct horse"));
        assertEquals(40010, duplicate.code().getNumber());
    }

    @Test
    void apps_list_newest_first_by_page_and_strangers_see_only_public_ones() {
        for (int i = 0; i < 5; i++) {
            apps.create("alice", List.of(new AppService.AppDraft("app" + i, "", "", i % 2 == 0 ? App.PUBLIC : App.PRIVATE, null)));
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(List.of("app4", "app3"), ids(apps.list("alice", "alice", Page.of(1, 2))));
        assertEquals(List.of("app0"), ids(apps.list("alice", "alice", Page.of(3, 2))));
        assertEquals(List.of(), ids(apps.list("alice", "alice", Page.of(1000, 500))));
        assertEquals(List.of("app4", "app2", "app0"), ids(apps.list("alice", "bob", Page.of(1, 10))));
    }

    @Test
    void creating_apps_is_all_or_nothing_and_each_new_app_gets_an_all_key() {
        ApiException e = assertThrows(ApiException.class, () -> apps.create("alice", List.of(
                new AppService.AppDraft("fresh", "", "", 0, null),
                new AppService.AppDraft("bad id!", "", "", 0, null))));
        assertEquals(11102, e.code().getNumber());
        apps.create("alice", List.of(new AppService.AppDraft("taken", "", "", 0, null)));
        assertThrows(ApiException.class, () -> apps.create("alice", List.of(
                new AppService.AppDraft("fresh", "", "", 0, null),
                new AppService.AppDraft("taken", "", "", 0, null))));
        assertEquals(Optional.empty(), apps.find("alice", "fresh"));

        List<Credential> taken = keys.listForApp("alice", "taken", Page.of(1, 10));
        assertEquals(1, taken.size());
        assertEquals(List.of("All"), taken.get(0).scopes());
    }

    @Test
    void patching_metadata_merges_overwrites_and_deletes() {
        apps.create("alice", List.of(new AppService.AppDraft("m", "", "", 0, "{\"a\":{\"b\":1,\"c\":2},\"d\":3}")));
        App merged = apps.patch("alice", "overwrite", List.of(new AppService.AppChange("m", null, null, 0, "{\"a\":{\"b\":9}}", "merge"))).get(0);
        assertEquals("{\"a\":{\"b\":9,\"c\":2},\"d\":3}", merged.metadata().replace(".0", ""));
        App deleted = apps.patch("alice", "", List.of(new AppService.AppChange("m", null, null, 0, "{\"a\":{\"c\":null}}", "delete"))).get(0);
        assertEquals("{\"a\":{\"b\":9},\"d\":3}", deleted.metadata().replace(".0", ""));
        App overwritten = apps.patch("alice", "", List.of(new AppService.AppChange("m", "New name", null, App.PUBLIC, "{}", ""))).get(0);
        assertEquals("{}", overwritten.metadata());
        assertEquals("New name", overwritten.name());
        assertTrue(overwritten.isPublic());
    }

    @Test
    void keys_are_found_by_hash_and_id_and_listed_without_sessions() {
        apps.create("alice", List.of(new AppService.AppDraft("k", "", "", 0, null)));
        KeyService.Issued pat = keys.create(null, "alice", List.of(draft(CredentialKind.PAT, "", List.of()))).get(0);
        KeyService.Issued session = keys.createSession("alice");
        KeyStore store = jdbi.onDemand(KeyStore.class);

        assertEquals(pat.credential().publicId(), store.findByHash(pat.secret().hash()).orElseThrow().publicId());
        assertEquals(CredentialKind.SESSION, store.findByHash(session.secret().hash()).orElseThrow().kind());
        assertEquals(List.of("All"), store.find(pat.credential().publicId()).orElseThrow().scopes());

        List<Credential> listed = keys.list("alice", Optional.empty(), false, Page.of(1, 10));
        assertEquals(2, listed.size(), "the app's own key and the PAT");
        assertTrue(listed.stream().noneMatch(c -> c.kind() == CredentialKind.SESSION));
        assertEquals(1, keys.list("alice", Optional.of(CredentialKind.PAT), false, Page.of(1, 10)).size());
    }

    @Test
    void not_expired_filters_keys_past_their_expiry_and_touch_only_moves_forward() {
        apps.create("alice", List.of(new AppService.AppDraft("e", "", "", 0, null)));
        KeyService.KeyDraft expiring = new KeyService.KeyDraft(CredentialKind.APP_KEY, "soon", List.of("All"), List.of(), "alice",
                "e", clock.instant().plus(Duration.ofMinutes(5)));
        Credential key = keys.create(null, "alice", List.of(expiring)).get(0).credential();
        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, keys.list("alice", Optional.empty(), true, Page.of(1, 10)).size());
        assertEquals(2, keys.list("alice", Optional.empty(), false, Page.of(1, 10)).size());

        KeyStore store = jdbi.onDemand(KeyStore.class);
        store.touch(key.publicId(), 2000);
        store.touch(key.publicId(), 1000);
        assertEquals(2000, store.find(key.publicId()).orElseThrow().lastUsedAt().toEpochMilli());
    }

    @Test
    void creating_keys_is_all_or_nothing() {
        apps.create("alice", List.of(new AppService.AppDraft("x", "", "", 0, null)));
        int before = keys.list("alice", Optional.empty(), false, Page.of(1, 100)).size();
        ApiException e = assertThrows(ApiException.class, () -> keys.create(null, "alice", List.of(
                draft(CredentialKind.APP_KEY, "x", List.of("All")),
                draft(CredentialKind.APP_KEY, "no-such-app", List.of("All")))));
        assertEquals(11101, e.code().getNumber());
        assertEquals(before, keys.list("alice", Optional.empty(), false, Page.of(1, 100)).size());
    }

    @Test
    void deleting_an_app_deletes_its_keys() {
        apps.create("alice", List.of(new AppService.AppDraft("gone", "", "", 0, null)));
        KeyService.Issued extra = keys.create(null, "alice", List.of(draft(CredentialKind.APP_KEY, "gone", List.of("Predict")))).get(0);
        apps.delete("alice", "gone");
        assertEquals(Optional.empty(), jdbi.onDemand(KeyStore.class).findByHash(extra.secret().hash()));
        assertEquals(List.of(), keys.listForApp("alice", "gone", Page.of(1, 10)));
        assertThrows(ApiException.class, () -> apps.delete("alice", "gone"));
    }

    @Test
    void patching_a_key_overwrites_what_is_given_and_keeps_the_rest() {
        apps.create("alice", List.of(new AppService.AppDraft("p", "", "", 0, null)));
        Credential key = keys.create(null, "alice", List.of(new KeyService.KeyDraft(CredentialKind.APP_KEY, "before",
                List.of("Predict"), List.of(), "alice", "p", null))).get(0).credential();
        Credential patched = keys.patch(null, "alice", "overwrite",
                List.of(new KeyService.KeyChange(key.publicId(), null, List.of("Inputs:Get"), List.of(), null))).get(0);
        assertEquals("before", patched.description());
        assertEquals(List.of("Inputs:Get"), patched.scopes());
        assertEquals(patched, keys.get("alice", key.publicId()));
        assertNull(patched.expiresAt());
        Credential cleared = keys.patch(null, "alice", "overwrite",
                List.of(new KeyService.KeyChange(key.publicId(), "", null, null, null))).get(0);
        assertEquals("", cleared.description(), "an empty description (the portal's cleared field) is saved");
        assertEquals(List.of("Inputs:Get"), cleared.scopes());
    }

    @Test
    void inputs_keep_their_bytes_and_concepts_and_go_with_their_app() {
        apps.create("alice", List.of(new AppService.AppDraft("data", "", "", 0, null)));
        byte[] png = TestImages.solid(java.awt.Color.RED, 3, 2, "png");
        List<InputService.Outcome> added = inputs.add("alice", "data", List.of(
                new InputService.InputDraft("img", png, null, null, null, "{\"k\":\"v\"}",
                        List.of(new InputService.ConceptMark("red", "Red", 1))),
                new InputService.InputDraft("txt", null, null, "héllo", null, null, List.of())));
        assertTrue(added.stream().allMatch(InputService.Outcome::stored), added.toString());
        InputStore store = jdbi.onDemand(InputStore.class);
        assertTrue(java.util.Arrays.equals(png, store.content("alice", "data", "img").orElseThrow()), "bytes round-trip");
        assertEquals("héllo", inputs.get("alice", "data", "txt").text());
        assertEquals(List.of(new dev.clavis.inputs.Input.InputConcept("red", "Red", 1.0)), inputs.get("alice", "data", "img").concepts());
        assertEquals(2, inputs.list("alice", "data", List.of(), Page.of(1, 10)).size());

        apps.delete("alice", "data");
        assertEquals(Optional.empty(), store.find("alice", "data", "img"));
        assertEquals(Optional.empty(), store.content("alice", "data", "txt"));
        assertEquals(Optional.empty(), jdbi.onDemand(dev.clavis.concepts.ConceptStore.class).find("alice", "data", "red"));
    }

    @Test
    void a_sealed_secret_is_revealed_to_its_owner_and_each_reveal_is_recorded() {
        apps.create("alice", List.of(new AppService.AppDraft("vault", "", "", 0, null)));
        KeyService.Issued issued = keys.create(null, "alice", List.of(draft(CredentialKind.APP_KEY, "vault", List.of("All")))).get(0);
        String publicId = issued.credential().publicId();
        assertEquals(issued.secret().reveal(), keys.reveal("alice", publicId, "127.0.0.1").reveal());
        keys.reveal("alice", publicId, "127.0.0.1");
        assertEquals(2, jdbi.onDemand(KeyStore.class).revealCount(publicId));
        assertThrows(ApiException.class, () -> keys.reveal("bob", publicId, "127.0.0.1"), "only the owner");
        String sealed = jdbi.onDemand(KeyStore.class).sealed(publicId).orElseThrow();
        assertTrue(!sealed.contains(issued.secret().reveal()), "stored sealed, not in the clear");
    }

    private static KeyService.KeyDraft draft(CredentialKind kind, String app, List<String> scopes) {
        return new KeyService.KeyDraft(kind, "", scopes, List.of(), app.isEmpty() ? "" : "alice", app, null);
    }

    private static List<String> ids(List<App> apps) {
        return apps.stream().map(App::id).toList();
    }
}

class SqliteStoreTest extends StoreContractTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresStoreTest extends StoreContractTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
