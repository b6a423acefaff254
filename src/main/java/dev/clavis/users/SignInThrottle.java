package dev.clavis.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failed sign-ins per account and per address over a window; past either limit, sign-in
 * is refused for the rest of the window, whatever the password. A success does not reset the
 * address's count, so one good account cannot launder guesses at others. One instance serves the
 * portal and {@code POST /v2/login}, so guesses through either count together.
 */
public final class SignInThrottle {
    private final int perAccount;
    private final int perAddress;
    private final Cache<String, AtomicInteger> failures;

    public SignInThrottle(int perAccount, int perAddress, Duration window) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    }

    public boolean allowed(String email, String address) {
        return count("account:" + normalise(email)) < perAccount && count("address:" + address) < perAddress;
    }

    public void failed(String email, String address) {
        failures.get("account:" + normalise(email), k -> new AtomicInteger()).incrementAndGet();
        failures.get("address:" + address, k -> new AtomicInteger()).incrementAndGet();
    }

    private int count(String key) {
        AtomicInteger n = failures.getIfPresent(key);
        return n == null ? 0 : n.get();
    }

    private static String normalise(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }
}
