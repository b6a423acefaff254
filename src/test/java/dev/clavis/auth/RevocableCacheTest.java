package dev.clavis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The cache-fill race, forced: a miss reads storage, the row is changed and revoked while the
 * read is in flight, and only then does the fill try to store what it read.
 */
class RevocableCacheTest {
    private final Map<String, String> storage = new ConcurrentHashMap<>(Map.of("k", "old"));
    private final AtomicInteger reads = new AtomicInteger();
    private final RevocableCache<String, String> cache = new RevocableCache<>(100, Duration.ofMinutes(10));

    @Test
    void a_fill_that_read_before_a_revocation_does_not_store_what_it_read() throws Exception {
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch revoked = new CountDownLatch(1);
        CompletableFuture<Optional<String>> fill = CompletableFuture.supplyAsync(() -> cache.get("k", key -> {
            Optional<String> row = Optional.ofNullable(storage.get(key));
            reads.incrementAndGet();
            read.countDown();
            await(revoked);
            return row;
        }));
        assertTrue(read.await(5, TimeUnit.SECONDS));
        storage.remove("k");
        cache.revokeWhere(v -> true);
        revoked.countDown();

        assertEquals(Optional.of("old"), fill.get(5, TimeUnit.SECONDS), "the caller in flight gets what it read");
        assertEquals(Optional.empty(), cache.get("k", this::read), "but the next lookup reads storage again");
        assertEquals(2, reads.get());
    }

    @Test
    void a_revocation_after_a_fill_removes_the_stored_entry() {
        assertEquals(Optional.of("old"), cache.get("k", this::read));
        assertEquals(Optional.of("old"), cache.get("k", this::read));
        assertEquals(1, reads.get(), "the second lookup was a hit");
        storage.put("k", "new");
        cache.revokeWhere("old"::equals);
        assertEquals(Optional.of("new"), cache.get("k", this::read));
    }

    @Test
    void revocations_remove_only_what_they_name() {
        storage.put("other", "kept");
        cache.get("k", this::read);
        cache.get("other", this::read);
        cache.revokeWhere("old"::equals);
        assertEquals(1, cache.size());
        cache.get("other", this::read);
        assertEquals(2, reads.get(), "'other' is still a hit");
        cache.revokeAll();
        assertEquals(0, cache.size());
    }

    @Test
    void absence_is_not_cached() {
        assertEquals(Optional.empty(), cache.get("missing", this::read));
        storage.put("missing", "created");
        assertEquals(Optional.of("created"), cache.get("missing", this::read));
    }

    private Optional<String> read(String key) {
        reads.incrementAndGet();
        return Optional.ofNullable(storage.get(key));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
