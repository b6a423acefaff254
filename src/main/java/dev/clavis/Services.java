package dev.clavis;

import dev.clavis.apps.AppService;
import dev.clavis.audit.AuditTrail;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.PasswordHasher;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.auth.SecretVault;
import dev.clavis.config.Config;
import dev.clavis.db.Database;
import dev.clavis.db.RevocationFeed;
import dev.clavis.keys.KeyService;
import dev.clavis.keys.KeyStore;
import dev.clavis.protocol.MethodTable;
import dev.clavis.users.UserAdministration;
import dev.clavis.users.UserService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The database and the services that change users, apps and credentials, with the revocation
 * log their changes go through: what the administrator's command line opens. No port, no
 * worker pool; {@link Clavis} builds the doors and the background work on top of these.
 */
public final class Services implements AutoCloseable {
    /**
     * How often each node reads the revocation log whatever it hears: the bound on how long a
     * revoked key may still work on another node should every notification be lost.
     */
    private static final Duration REVOCATION_POLL = Duration.ofMillis(500);
    private static final Duration REVOCATION_LOG_RETENTION = Duration.ofHours(1);

    final Config config;
    final Clock clock;
    final Database database;
    final RevocationFeed feed;
    final Revocations revocations;
    final MethodTable methods;
    final ScopeCatalog scopes;
    final KeyStore keyStore;
    final Authenticator authenticator;
    final UserService users;
    final UserAdministration administration;
    final AuditTrail audit;
    final AppService apps;
    final KeyService keys;

    private Services(Config config, Clock clock) {
        config.validate();
        if (config.databaseUrl() == null) createDirectory(config.dataDir());
        this.config = config;
        this.clock = clock;
        this.database = Database.open(config.jdbcUrl());
        this.methods = MethodTable.fromDescriptor();
        this.scopes = new ScopeCatalog(methods);
        this.keyStore = database.jdbi().onDemand(KeyStore.class);
        this.authenticator = new Authenticator(keyStore::findByHash, clock);
        // Intervals of real time, whatever clock the domain runs on.
        this.feed = new RevocationFeed(database, Clock.systemUTC(), REVOCATION_POLL, REVOCATION_LOG_RETENTION);
        this.revocations = new Revocations(feed);
        this.keys = new KeyService(database.jdbi(), scopes, methods, revocations, clock, config.sessionLifetime(),
                SecretVault.of(config.secretKey()));
        this.apps = new AppService(database.jdbi(), keys, revocations, clock);
        revocations.subscribe(authenticator::revoke);
        revocations.subscribe(apps::revoke);
        PasswordHasher hasher = new PasswordHasher();
        this.users = new UserService(database.jdbi(), hasher, clock);
        this.administration = new UserAdministration(database.jdbi(), hasher, keys, apps, clock);
        this.audit = new AuditTrail(database.jdbi(), clock);
        authenticator.onRefusals(
                (c, address) -> audit.record(refusal(c, "EXPIRED_USE")),
                (c, address) -> audit.record(refusal(c, "ADDRESS_REFUSED").detail("address", address)));
    }

    private static AuditTrail.Event refusal(dev.clavis.auth.Credential c, String what) {
        return AuditTrail.Event.of(c.userId(), KeyService.auditOperation(c.kind(), what)).failed().credential(c.publicId()).app(c.appId());
    }

    /** Opens the database (migrating it) and builds the services on it. */
    public static Services open(Config config, Clock clock) {
        return new Services(config, clock);
    }

    public static Services open(Config config) {
        return open(config, Clock.systemUTC());
    }

    public Database database() {
        return database;
    }

    public UserService users() {
        return users;
    }

    /** Listing, disabling, enabling, resetting and deleting users. */
    public UserAdministration administration() {
        return administration;
    }

    public AppService apps() {
        return apps;
    }

    public KeyService keys() {
        return keys;
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("data directory " + dir + " cannot be created", e);
        }
    }

    @Override
    public void close() {
        feed.close();
        database.close();
    }
}
