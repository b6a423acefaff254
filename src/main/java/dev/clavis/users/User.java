package dev.clavis.users;

import java.time.Instant;

/** A user as the rest of the system sees it: no password hash travels beyond the store. */
public record User(String id, String email, Instant createdAt) {}
