package dev.clavis.auth;

import com.clarifai.grpc.api.status.StatusCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clavis.protocol.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a request's credential header into a {@link Caller}. Lookups are cached by secret hash,
 * so a hit touches no storage; every change to a credential evicts it here at once, which is why
 * revocation takes effect on the very next request. Last-used times are gathered in memory and
 * written in batches by {@link #flushLastUsed}.
 */
public final class Authenticator {
    private static final String MALFORMED =
            "Empty or malformed authorization header. Please provide an API key or session token.";

    private final Function<String, Optional<Credential>> byHash;
    private final Clock clock;
    private final Cache<String, Credential> cache;
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

    public Authenticator(Function<String, Optional<Credential>> byHash, Clock clock) {
        this.byHash = byHash;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                // A bound on staleness should an eviction ever be missed; revocation itself is
                // explicit (see evict*).
                .expireAfterWrite(Duration.ofMinutes(10))
                .build();
    }

    public Caller authenticate(CredentialHeaders headers) {
        String secret;
        if (headers.authorization() != null) {
            secret = keyFromAuthorization(headers.authorization());
            requireWellFormed(secret);
            if (Secrets.kindOf(secret).orElseThrow() == CredentialKind.SESSION) {
                throw new ApiException(StatusCode.CONN_KEY_INVALID,
                        "Session tokens are sent in the X-Clarifai-Session-Token header.");
            }
        } else if (headers.sessionToken() != null) {
            secret = headers.sessionToken().trim();
            requireWellFormed(secret);
            if (Secrets.kindOf(secret).orElseThrow() != CredentialKind.SESSION) {
                throw new ApiException(StatusCode.CONN_KEY_INVALID,
                        "API keys and PATs are sent as 'Authorization: Key <key>'.");
            }
        } else {
            throw ApiException.missingCredential(MALFORMED);
        }

        String hash = Secrets.hash(secret);
        Credential credential = cache.getIfPresent(hash);
        if (credential == null) {
            credential = byHash.apply(hash)
                    .orElseThrow(() -> new ApiException(StatusCode.CONN_KEY_NOT_FOUND, "API key not found."));
            cache.put(hash, credential);
        }
        Instant now = clock.instant();
        if (credential.expiredAt(now)) {
            throw new ApiException(StatusCode.CONN_KEY_NOT_FOUND, "API key has expired.");
        }
        lastUsed.put(credential.publicId(), now);
        return new Caller(credential);
    }

    /** Evicts one credential: after a patch or delete. */
    public void evict(String publicId) {
        evictWhere(c -> c.publicId().equals(publicId));
    }

    /** Evicts every credential bound to an app: after the app is deleted. */
    public void evictApp(String userId, String appId) {
        evictWhere(c -> c.userId().equals(userId) && appId.equals(c.appId()));
    }

    public void evictWhere(Predicate<Credential> which) {
        cache.asMap().values().removeIf(which);
    }

    /** Hands the gathered last-used times to the store and forgets them. */
    public void flushLastUsed(BiConsumer<String, Instant> writer) {
        for (String id : lastUsed.keySet()) {
            Instant at = lastUsed.remove(id);
            if (at != null) writer.accept(id, at);
        }
    }

    /** {@code Key <secret>}: the scheme word exactly, one space, one token. */
    private static String keyFromAuthorization(String header) {
        if (!header.startsWith("Key ")) throw ApiException.missingCredential(MALFORMED);
        String key = header.substring(4);
        if (key.isEmpty() || key.contains(" ")) throw ApiException.missingCredential(MALFORMED);
        return key;
    }

    private static void requireWellFormed(String secret) {
        if (Secrets.kindOf(secret).isEmpty()) {
            throw new ApiException(StatusCode.CONN_KEY_INVALID, "Invalid format of key.");
        }
    }
}
