package dev.clavis.auth;

import java.time.Instant;
import java.util.List;

/**
 * A stored credential as authentication sees it. It holds no secret: the secret is known only by
 * its hash, which stays in the store.
 *
 * @param appId      the bound app for app keys, null otherwise
 * @param scopes     the expanded scopes (or just {@code All})
 * @param endpoints  full method names the key is limited to; empty = no limit
 * @param expiresAt  null = never
 */
public record Credential(
        String publicId,
        CredentialKind kind,
        String userId,
        String appId,
        String description,
        List<String> scopes,
        List<String> endpoints,
        String displayPrefix,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt) {

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
