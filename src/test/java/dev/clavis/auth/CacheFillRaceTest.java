package dev.clavis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.apps.AppService;
import dev.clavis.db.Database;
import dev.clavis.db.RevocationFeed;
import dev.clavis.keys.KeyService;
import dev.clavis.keys.KeyStore;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.MethodTable;
import dev.clavis.testing.TestDatabases;
import dev.clavis.users.UserService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race that let a deleted key live on for ten minutes, forced on a real database: a request
 * misses the cache and reads the credential, the credential is deleted (or patched, or its app
 * deleted) and committed, and only then does the request's fill reach the cache. The next request
 * must see the change.
 */
abstract class CacheFillRaceTest {
    private static final MethodTable METHODS = MethodTable.fromDescriptor();

    @TempDir
    Path tempDir;

    private Database database;
    private KeyService keys;
    private AppService apps;
    private Authenticator authenticator;
    /** Set to hold the next credential read between reading the row and returning it. */
    private final AtomicBoolean holdNextRead = new AtomicBoolean();
    private final CountDownLatch rowRead = new CountDownLatch(1);
    private final CountDownLatch changeCommitted = new CountDownLatch(1);
    private final AtomicInteger reads = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void compose() {
        database = Database.open(TestDatabases.url(kind(), tempDir));
        Clock clock = Clock.systemUTC();
        KeyStore store = database.jdbi().onDemand(KeyStore.class);
        authenticator = new Authenticator(hash -> {
            reads.incrementAndGet();
            Optional<Credential> row = store.findByHash(hash);
            if (holdNextRead.compareAndSet(true, false)) {
                rowRead.countDown();
                await(changeCommitted);
            }
            return row;
        }, clock);
        Revocations revocations = new Revocations(new RevocationFeed(database, clock, Duration.ofSeconds(1), Duration.ofHours(1)));
        keys = new KeyService(database.jdbi(), new ScopeCatalog(METHODS), METHODS, revocations, clock, Duration.ofHours(1),
                SecretVault.of(null));
        apps = new AppService(database.jdbi(), keys, revocations, clock);
        revocations.subscribe(authenticator::revoke);
        revocations.subscribe(apps::revoke);
        new UserService(database.jdbi(), new PasswordHasher(), clock).create("alice", "alice@example.com", "correct horse");
        apps.create("alice", List.of(new AppService.AppDraft("app", "", "", 0, null)));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_key_deleted_while_its_lookup_is_in_flight_is_refused_next() throws Exception {
        KeyService.Issued key = appKey("Inputs:Get");
        raceLookupAgainst(key, () -> keys.delete("alice", key.credential().publicId()));
        ApiException refused = assertThrows(ApiException.class, () -> authenticate(key));
        assertEquals(11009, refused.code().getNumber());
    }

    @Test
    void scopes_reduced_while_a_lookup_is_in_flight_are_seen_next() throws Exception {
        KeyService.Issued key = appKey("All");
        raceLookupAgainst(key, () -> keys.patch(null, "alice", "overwrite", List.of(new KeyService.KeyChange(
                key.credential().publicId(), null, List.of("Inputs:Get"), null, null))));
        assertEquals(List.of("Inputs:Get"), authenticate(key).scopes());
    }

    @Test
    void an_app_deleted_while_a_lookup_of_its_key_is_in_flight_takes_the_key_with_it() throws Exception {
        KeyService.Issued key = appKey("All");
        raceLookupAgainst(key, () -> apps.delete("alice", "app"));
        ApiException refused = assertThrows(ApiException.class, () -> authenticate(key));
        assertEquals(11009, refused.code().getNumber());
    }

    @Test
    void revocations_drop_only_the_credentials_they_name() {
        KeyService.Issued key = appKey("All");
        authenticate(key);
        authenticator.revoke(new Revocation.Model("alice", "app", "some-model"));
        authenticator.revoke(new Revocation.Key("another-key"));
        authenticator.revoke(new Revocation.App("alice", "another-app"));
        authenticate(key);
        assertEquals(1, reads.get(), "still cached");
        authenticator.revoke(new Revocation.App("alice", "app"));
        authenticate(key);
        assertEquals(2, reads.get(), "read again after its app's revocation");
    }

    /**
     * Starts a lookup that misses the cache, lets {@code change} commit after the lookup read the
     * row, then lets the lookup finish: it answers with what it read, as any request already past
     * authentication would.
     */
    private void raceLookupAgainst(KeyService.Issued key, Runnable change) throws Exception {
        holdNextRead.set(true);
        CompletableFuture<Caller> inFlight = CompletableFuture.supplyAsync(() -> authenticate(key));
        assertTrue(rowRead.await(5, TimeUnit.SECONDS), "the lookup read the row");
        change.run();
        changeCommitted.countDown();
        assertEquals(key.credential().publicId(), inFlight.get(5, TimeUnit.SECONDS).publicId());
    }

    private KeyService.Issued appKey(String scope) {
        return keys.create(null, "alice", List.of(new KeyService.KeyDraft(CredentialKind.APP_KEY, "raced", List.of(scope),
                List.of(), "alice", "app", null))).get(0);
    }

    private Caller authenticate(KeyService.Issued key) {
        return authenticator.authenticate(new CredentialHeaders("Key " + key.secret().reveal(), null));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) throw new IllegalStateException("the change never committed");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

class SqliteCacheFillRaceTest extends CacheFillRaceTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresCacheFillRaceTest extends CacheFillRaceTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
