package dev.clavis.concepts;

import java.time.Instant;

/** A concept of one app. */
public record Concept(String userId, String appId, String id, String name, Instant createdAt) {}
