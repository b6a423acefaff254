package dev.clavis.auth;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.protocol.ApiException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Turns a request's credential header into a {@link Caller}. Lookups are cached by secret hash,
 * so a hit touches no storage; every change to a credential reaches {@link #revoke} when it
 * commits (here at once, on other nodes through the revocation log), and the cache is one whose
 * fills cannot bring a revoked credential back. Last-used times are gathered in memory and
 * written in batches by {@link #flushLastUsed}.
 */
public final class Authenticator {
    private static final String MALFORMED =
            "Empty or malformed authorization header. Please provide an API key or session token.";
    private static final String EXPIRED_DETAILS = "API key has expired.";

    private final Function<String, Optional<Credential>> byHash;
    private final Clock clock;
    private final RevocableCache<String, Credential> cache;
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
    /** When each credential's refused use was last reported, so a client retrying in a loop is reported once a minute. */
    private final Map<String, Instant> refusalReported = new ConcurrentHashMap<>();
    private volatile BiConsumer<Credential, String> expiredUse = (c, address) -> { };
    private volatile BiConsumer<Credential, String> refusedAddress = (c, address) -> { };
    /** Accepted credentials, and refusals by reason; see {@link #bindTo}. */
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);

    /** How an authentication ended: the metric's labels. */
    private enum Outcome {
        ACCEPTED("accepted", "ok"),
        MALFORMED("refused", "malformed"), INVALID("refused", "invalid"),
        UNKNOWN("refused", "unknown"), EXPIRED("refused", "expired"), ADDRESS("refused", "address");

        final String result;
        final String detail;

        Outcome(String result, String detail) {
            this.result = result;
            this.detail = detail;
        }
    }

    public Authenticator(Function<String, Optional<Credential>> byHash, Clock clock) {
        this.byHash = byHash;
        this.clock = clock;
        for (Outcome outcome : Outcome.values()) outcomes.put(outcome, new LongAdder());
        // Ten minutes bound staleness should a revocation ever be missed; revocation itself is
        // explicit (see revoke).
        this.cache = new RevocableCache<>(100_000, Duration.ofMinutes(10));
    }

    /** A credential no network limit applies to here: the portal's session cookie. */
    public Caller authenticate(CredentialHeaders headers) {
        return authenticate(headers, null);
    }

    /**
     * The caller these headers name, refused when the credential is limited to networks that
     * {@code client} (the request's address) is not in; null skips that check.
     */
    public Caller authenticate(CredentialHeaders headers, String client) {
        Caller caller;
        try {
            caller = check(headers);
        } catch (ApiException refused) {
            outcomes.get(switch (refused.code()) {
                case CONN_KEY_INVALID -> Outcome.INVALID;
                case CONN_KEY_NOT_FOUND -> refused.details().equals(EXPIRED_DETAILS) ? Outcome.EXPIRED : Outcome.UNKNOWN;
                default -> Outcome.MALFORMED;
            }).increment();
            throw refused;
        }
        if (client != null && !caller.credential().usableFrom(client)) {
            outcomes.get(Outcome.ADDRESS).increment();
            report(refusedAddress, caller.credential(), client);
            throw new ApiException(StatusCode.CONN_INSUFFICIENT_SCOPES, "This key may be used only from "
                    + String.join(", ", caller.credential().allowedNetworks().stream().map(Object::toString).toList())
                    + "; this request came from " + client + ".");
        }
        outcomes.get(Outcome.ACCEPTED).increment();
        return caller;
    }

    /**
     * Authentications as {@code clavis_authentications_total{result, detail}} (accepted; refused
     * as malformed, invalid, unknown, expired, or from an address the credential is not allowed) and the credential cache's statistics, whose
     * hits and misses say how many were answered from memory ({@code cache="credentials"}).
     */
    public void bindTo(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            FunctionCounter.builder("clavis.authentications", outcomes.get(outcome), LongAdder::sum)
                    .description("Credentials checked, by result and where they were found or why refused")
                    .tag("result", outcome.result).tag("detail", outcome.detail)
                    .register(registry);
        }
        cache.bindTo(registry, "credentials");
    }

    private Caller check(CredentialHeaders headers) {
        if (headers.values() > 1) {
            throw ApiException.missingCredential("Send one credential in one header; this request carries "
                    + headers.values() + " (Authorization and X-Clarifai-Session-Token values together).");
        }
        String secret;
        boolean sessionHeader;
        if (headers.authorization() != null) {
            secret = keyFromAuthorization(headers.authorization());
            sessionHeader = false;
        } else if (headers.sessionToken() != null) {
            secret = headers.sessionToken().trim();
            sessionHeader = true;
        } else {
            throw ApiException.missingCredential(MALFORMED);
        }

        // A secret's form (prefix, alphabet, checksum) is checked before storage is asked for it.
        // A cached credential was read with a secret that passed, so a hit checks only the header.
        Credential credential = cache.get(Secrets.hash(secret), hash -> {
            requireItsHeader(kindOf(secret), sessionHeader);
            return byHash.apply(hash);
        }).orElseThrow(() -> new ApiException(StatusCode.CONN_KEY_NOT_FOUND, "API key not found."));
        requireItsHeader(credential.kind(), sessionHeader);
        Instant now = clock.instant();
        if (credential.expiredAt(now)) {
            report(expiredUse, credential, null);
            throw new ApiException(StatusCode.CONN_KEY_NOT_FOUND, EXPIRED_DETAILS);
        }
        // To the second is all "last used" says; not writing the same entry from every request
        // spares the threads of a busy key from queueing on it.
        Instant previous = lastUsed.get(credential.publicId());
        if (previous == null || now.toEpochMilli() - previous.toEpochMilli() >= 1000) lastUsed.put(credential.publicId(), now);
        return new Caller(credential);
    }

    /**
     * Told, at most once a minute per credential, when one is refused for having expired or for
     * the address a request came from: for the audit log.
     */
    public void onRefusals(BiConsumer<Credential, String> expired, BiConsumer<Credential, String> wrongAddress) {
        this.expiredUse = expired;
        this.refusedAddress = wrongAddress;
    }

    private void report(BiConsumer<Credential, String> listener, Credential credential, String address) {
        Instant now = clock.instant();
        Instant reported = refusalReported.get(credential.publicId());
        if (reported == null || Duration.between(reported, now).toSeconds() >= 60) {
            refusalReported.put(credential.publicId(), now);
            listener.accept(credential, address);
        }
    }

    /** Drops what a committed change revoked: one credential, an app's keys, or everything; models are not its. */
    public void revoke(Revocation revocation) {
        if (revocation instanceof Revocation.Key key) {
            cache.revokeWhere(c -> c.publicId().equals(key.publicId()));
        } else if (revocation instanceof Revocation.App app) {
            cache.revokeWhere(c -> c.userId().equals(app.userId()) && app.appId().equals(c.appId()));
        } else if (revocation instanceof Revocation.Everything) {
            cache.revokeAll();
        }
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

    /** Session tokens travel in their own header, keys and PATs in Authorization. */
    private static void requireItsHeader(CredentialKind kind, boolean sessionHeader) {
        if (!sessionHeader && kind == CredentialKind.SESSION) {
            throw new ApiException(StatusCode.CONN_KEY_INVALID, "Session tokens are sent in the X-Clarifai-Session-Token header.");
        }
        if (sessionHeader && kind != CredentialKind.SESSION) {
            throw new ApiException(StatusCode.CONN_KEY_INVALID, "API keys and PATs are sent as 'Authorization: Key <key>'.");
        }
    }

    /** The kind of a well-formed secret; anything else is refused before storage is asked. */
    private static CredentialKind kindOf(String secret) {
        return Secrets.kindOf(secret).orElseThrow(() -> new ApiException(StatusCode.CONN_KEY_INVALID, "Invalid format of key."));
    }
}
