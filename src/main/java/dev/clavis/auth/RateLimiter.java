package dev.clavis.auth;

import java.time.Duration;

/**
 * How often a credential may call: {@code perSecond} sustained, bursts up to the same number.
 * One node's limiter is its own ({@link #local}); {@link RedisRateLimiter} shares one across nodes.
 */
public interface RateLimiter {
    /** Zero when the call may go ahead (and is counted); otherwise how long until it may. */
    default Duration acquire(String credential) {
        return acquire(credential, null);
    }

    /** The same with the credential's own rate (0: unlimited); null for the server's. */
    Duration acquire(String credential, Integer ownPerSecond);

    /** Token buckets in this node's memory; zero switches limiting off. */
    static RateLimiter local(int perSecond) {
        return new LocalRateLimiter(perSecond);
    }
}
