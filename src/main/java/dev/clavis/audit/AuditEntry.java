package dev.clavis.audit;

import java.time.Instant;

/** One recorded event, as the search returns it. {@code details} is a JSON object. */
public record AuditEntry(long id, Instant at, String ownerId, String operation, boolean success, String actorUserId,
                         String actorCredential, String door, String targetAppId, String targetCredential,
                         String targetUserId, String details, String reqId, String sourceIp) {}
