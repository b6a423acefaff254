package dev.clavis.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/** A token bucket per credential in this node's memory: {@code perSecond} sustained, bursts up to the same. */
final class LocalRateLimiter implements RateLimiter {
    private final int perSecond;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5))
            .maximumSize(1_000_000)
            .build();

    LocalRateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    @Override
    public Duration acquire(String credential, Integer ownPerSecond) {
        int rate = ownPerSecond != null ? ownPerSecond : perSecond;
        if (rate <= 0) return Duration.ZERO;
        return buckets.get(credential, k -> new Bucket(rate)).take(rate, System.nanoTime());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int capacity) {
            this.tokens = capacity;
            this.last = System.nanoTime();
        }

        synchronized Duration take(int rate, long now) {
            tokens = Math.min(rate, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens < 1) return Duration.ofNanos((long) Math.ceil((1 - tokens) / rate * 1e9));
            tokens -= 1;
            return Duration.ZERO;
        }
    }
}
