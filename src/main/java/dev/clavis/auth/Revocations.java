package dev.clavis.auth;

import java.util.function.Consumer;

/**
 * Where a revocation goes once its transaction has committed: out of this node's authentication
 * cache at once, and to every other node sharing the database (see {@code db.RevocationFeed}),
 * so that a deleted or changed key is refused on its very next request wherever it lands.
 */
public final class Revocations {
    private final Authenticator authenticator;
    private final Consumer<String> peers;

    /** @param peers publishes a message produced here to the other nodes; a no-op for one node */
    public Revocations(Authenticator authenticator, Consumer<String> peers) {
        this.authenticator = authenticator;
        this.peers = peers;
    }

    /** A key or PAT was patched or deleted. */
    public void key(String publicId) {
        String message = "key:" + publicId;
        apply(message);
        peers.accept(message);
    }

    /** An app was deleted, and with it its keys. */
    public void app(String userId, String appId) {
        String message = "app:" + userId + "/" + appId;
        apply(message);
        peers.accept(message);
    }

    /** Applies a message from this node or a peer; unknown messages are ignored. */
    public void apply(String message) {
        if (message.startsWith("key:")) {
            authenticator.evict(message.substring(4));
        } else if (message.startsWith("app:")) {
            String[] ids = message.substring(4).split("/", 2);
            if (ids.length == 2) authenticator.evictApp(ids[0], ids[1]);
        }
    }
}
