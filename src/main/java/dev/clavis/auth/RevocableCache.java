package dev.clavis.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A cache whose fills can never bring back what a revocation removed.
 *
 * <p>The danger is a miss that reads storage just before a change commits and stores what it read
 * just after the change's revocation went through: the revoked entry would live on until it
 * expired. So a miss notes the revocation generation before it reads storage, and stores what it
 * read only if no revocation has come since; that check and the store hold the same lock as a
 * revocation's removal. A revocation that comes after the read is counted after the change
 * committed, hence after the generation was noted, so either it runs first (the fill sees a new
 * generation and stores nothing) or the fill runs first (the revocation then finds the entry and
 * removes it). Hits take no lock.
 */
public final class RevocableCache<K, V> {
    private final Cache<K, V> cache;
    private final Object lock = new Object();
    /** Counts revocations; written under {@link #lock}. */
    private volatile long generation;

    /** @param staleness how long an entry may live at most, should a revocation ever be missed */
    public RevocableCache(long maximumSize, Duration staleness) {
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(staleness).recordStats().build();
    }

    /** The cached value, or what {@code loader} reads from storage (absence is not cached). */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        V hit = cache.getIfPresent(key);
        if (hit != null) return Optional.of(hit);
        long before = generation;
        Optional<V> loaded = loader.apply(key);
        loaded.ifPresent(value -> {
            synchronized (lock) {
                if (generation == before) cache.put(key, value);
            }
        });
        return loaded;
    }

    /** Removes every entry {@code which} matches, and keeps fills already reading from storing theirs. */
    public void revokeWhere(Predicate<V> which) {
        synchronized (lock) {
            generation++;
            cache.asMap().values().removeIf(which);
        }
    }

    public void revokeAll() {
        synchronized (lock) {
            generation++;
            cache.invalidateAll();
        }
    }

    public long size() {
        return cache.estimatedSize();
    }

    /** Size, hits, misses and evictions as Caffeine counts them, tagged {@code cache=name}. */
    public void bindTo(MeterRegistry registry, String name) {
        CaffeineCacheMetrics.monitor(registry, cache, name);
    }
}
