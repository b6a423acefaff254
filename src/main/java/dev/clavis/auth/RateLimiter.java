package dev.clavis.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * A token bucket per credential: {@code perSecond} sustained, bursts up to the same number.
 * Zero switches limiting off. One node's buckets are its own; several nodes would share theirs
 * through Redis (DESIGN §4), which this class does not do yet.
 */
public final class RateLimiter {
    private final int perSecond;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5))
            .maximumSize(1_000_000)
            .build();

    public RateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    public boolean tryAcquire(String who) {
        if (perSecond <= 0) return true;
        return buckets.get(who, k -> new Bucket(perSecond)).tryTake(perSecond, System.nanoTime());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int capacity) {
            this.tokens = capacity;
            this.last = System.nanoTime();
        }

        synchronized boolean tryTake(int rate, long now) {
            tokens = Math.min(rate, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }
    }
}
