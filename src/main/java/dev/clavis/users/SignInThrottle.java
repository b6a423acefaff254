package dev.clavis.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Slows down password guessing without handing anyone a lock on someone else's account.
 * Failures are counted per (account, client address) and per address: after a few free ones,
 * each further attempt from there must wait a delay that doubles with every failure (one
 * second, two, four... at most fifteen minutes), and a success clears the pair. A guesser thus
 * slows only themselves: the owner signing in from their own address is not held back by
 * failures from another (behind a reverse proxy, the address is the forwarded one, believed
 * only from {@code --trusted-proxies}). The address count stops one address spraying one
 * password across many accounts. Sign-ups that are refused count per address too. One instance
 * serves the portal and {@code POST /v2/login}, so guesses through either count together.
 */
public final class SignInThrottle {
    /** Failures of one account from one address before delays begin. */
    static final int FREE_PER_PAIR = 3;
    /** Failures from one address, over every account, before delays begin. */
    static final int FREE_PER_ADDRESS = 20;
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private record Failures(int count, long lastAtMillis) {}

    private final Clock clock;
    private final Cache<String, Failures> failures;

    public SignInThrottle(Clock clock) {
        this.clock = clock;
        // An hour without failures forgets them; the cache runs on the same clock as the delays.
        this.failures = Caffeine.newBuilder().ticker(() -> clock.millis() * 1_000_000L)
                .expireAfterWrite(Duration.ofHours(1)).maximumSize(100_000).build();
    }

    /** How long sign-in for this account from this address must still wait; zero when it may try. */
    public Duration retryAfter(String email, String address) {
        Duration pair = wait(pair(email, address), FREE_PER_PAIR);
        Duration all = wait(address(address), FREE_PER_ADDRESS);
        return pair.compareTo(all) >= 0 ? pair : all;
    }

    public void failed(String email, String address) {
        fail(pair(email, address));
        fail(address(address));
    }

    /** The right password: this address's failures at this account are forgotten (not its others). */
    public void succeeded(String email, String address) {
        failures.invalidate(pair(email, address));
    }

    /** How long sign-up from this address must still wait. */
    public Duration signUpRetryAfter(String address) {
        return wait("signup:" + address, FREE_PER_PAIR);
    }

    /** A refused sign-up (a taken id or email among them): counted so that probing for accounts slows down. */
    public void signUpRefused(String address) {
        fail("signup:" + address);
    }

    private Duration wait(String key, int free) {
        Failures f = failures.getIfPresent(key);
        if (f == null || f.count() < free) return Duration.ZERO;
        int doublings = Math.min(f.count() - free, 30);
        long delay = Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << doublings);
        long remaining = f.lastAtMillis() + delay - clock.millis();
        return remaining > 0 ? Duration.ofMillis(remaining) : Duration.ZERO;
    }

    private void fail(String key) {
        long now = clock.millis();
        failures.asMap().merge(key, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
    }

    private static String pair(String email, String address) {
        return "account:" + normalise(email) + "|" + address;
    }

    private static String address(String address) {
        return "address:" + address;
    }

    /** Whole seconds, rounded up, for a Retry-After header. */
    public static long seconds(Duration wait) {
        return (wait.toMillis() + 999) / 1000;
    }

    private static String normalise(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }
}
