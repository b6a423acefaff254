package dev.clavis.users;

import java.time.Instant;

/**
 * A user as the rest of the system sees it: no password hash travels beyond the store.
 *
 * @param disabledAt when an administrator disabled the account; null while it is enabled
 */
public record User(String id, String email, Instant createdAt, Instant disabledAt) {
    public boolean disabled() {
        return disabledAt != null;
    }
}
