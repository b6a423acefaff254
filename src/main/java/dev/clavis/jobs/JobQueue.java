package dev.clavis.jobs;

import dev.clavis.protocol.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Adds background jobs, bounded: when the jobs waiting or running on all nodes together would
 * pass the limit, the work is refused with 10030 TRY_AGAIN (HTTP 503, {@code Retry-After}) and the
 * caller's transaction, with everything it wrote, rolls back. What is accepted is in the table,
 * so no node's death or restart drops it.
 */
public final class JobQueue {
    /** When a refused caller may try again: about how long a few jobs take. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final int limit;
    private final Clock clock;
    private volatile Consumer<String> added = kind -> {};

    public JobQueue(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Who hears, after the commit, that jobs of a kind were added (this node's workers, so they start at once). */
    public void onAdded(Consumer<String> listener) {
        this.added = listener;
    }

    /** Adds one job per target in the caller's transaction, or refuses them all. */
    public void add(Handle transaction, String kind, String userId, String appId, List<String> targets) {
        if (targets.isEmpty()) return;
        JobStore store = transaction.attach(JobStore.class);
        long unfinished = store.unfinished();
        if (unfinished + targets.size() > limit) {
            throw ApiException.busy("The background queue is full (" + unfinished + " jobs waiting or running, at most " + limit
                    + "); nothing was stored. Try again later.", RETRY_AFTER);
        }
        store.add(kind, userId, appId, targets, clock.millis());
        transaction.afterCommit(() -> added.accept(kind));
    }
}
