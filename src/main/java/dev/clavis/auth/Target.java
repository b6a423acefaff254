package dev.clavis.auth;

/**
 * Whose resources a request acts on once authorized: a real user id (never {@code me}) and, for
 * app-level requests, an app id; {@code appId} is empty for user-level requests. Both empty for
 * methods that need no credential.
 */
public record Target(String userId, String appId) {
    public static final Target NONE = new Target("", "");

    public boolean hasApp() {
        return !appId.isEmpty();
    }
}
