package dev.clavis.auth;

import java.time.Instant;
import dev.clavis.net.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A stored credential as authentication sees it. It holds no secret: the secret is known only by
 * its hash, which stays in the store.
 *
 * @param appId      the bound app for app keys, null otherwise
 * @param scopes     the expanded scopes (or just {@code All})
 * @param endpoints  full method names the key is limited to; empty = no limit
 * @param expiresAt  null = never
 * @param allowedNetworks where it may be used from; empty = anywhere
 * @param rateLimit  its own requests per second (0 = unlimited); null = the server's default
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
        Instant lastUsedAt,
        List<Cidr> allowedNetworks,
        Integer rateLimit) {

    /** Whether a request from this client address may use it. */
    public boolean usableFrom(String client) {
        if (allowedNetworks.isEmpty()) return true;
        Optional<InetAddress> address = Cidr.address(client);
        return address.isPresent() && allowedNetworks.stream().anyMatch(n -> n.contains(address.get()));
    }

    /** The same credential limited to these networks. */
    public Credential withAllowedNetworks(List<Cidr> networks) {
        return new Credential(publicId, kind, userId, appId, description, scopes, endpoints, displayPrefix, createdAt, expiresAt,
                lastUsedAt, List.copyOf(networks), rateLimit);
    }

    /** The same credential with its own rate limit (null: the server's). */
    public Credential withRateLimit(Integer perSecond) {
        return new Credential(publicId, kind, userId, appId, description, scopes, endpoints, displayPrefix, createdAt, expiresAt,
                lastUsedAt, allowedNetworks, perSecond);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
