package dev.clavis.auth;

import dev.clavis.db.RevocationFeed;
import dev.clavis.db.RevocationLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Where a change to a credential or app goes so that no cache serves the old state: into the
 * revocation log in the change's own transaction, out of this node's caches the moment it
 * commits (the next request here already sees it), and out of other nodes' caches when their
 * {@link RevocationFeed} reads the log.
 */
public final class Revocations {
    private final RevocationFeed feed;
    private final List<Consumer<Revocation>> caches = new CopyOnWriteArrayList<>();

    public Revocations(RevocationFeed feed) {
        this.feed = feed;
    }

    /** A cache that must drop what revocations name. */
    public void subscribe(Consumer<Revocation> cache) {
        caches.add(cache);
    }

    /** Logs the revocation with the change it belongs to, and applies it here once that commits. */
    public void record(Handle transaction, Revocation revocation) {
        feed.append(transaction, revocation.kind(), revocation.subject());
        transaction.afterCommit(() -> apply(revocation));
    }

    /** Starts applying what other nodes (and command-line changes) log. */
    public void start() {
        feed.start(this::apply, () -> apply(new Revocation.Everything()));
    }

    private void apply(RevocationLog.Entry logged) {
        Revocation.of(logged.kind(), logged.subject()).ifPresent(this::apply);
    }

    private void apply(Revocation revocation) {
        for (Consumer<Revocation> cache : caches) cache.accept(revocation);
    }
}
