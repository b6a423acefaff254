package dev.clavis.keys;

import dev.clavis.auth.Credential;
import dev.clavis.logs.AuditLog;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The audit channel: one line on logger {@code clavis.audit} per credential event (created,
 * updated, rolled, deleted, revealed, session started or ended), written when the change commits and
 * never holding a secret. The line carries the {@code req_id} of the call that caused it (from
 * the MDC), which ties it to the request line naming the acting credential. Operators route the
 * logger apart from request logs ({@code --audit-log}).
 */
final class CredentialAudit {
    private static final Logger audit = LoggerFactory.getLogger(AuditLog.LOGGER);

    private CredentialAudit() {}

    static void created(Handle h, Credential c) {
        h.afterCommit(() -> event("credential created", c).addKeyValue("scopes", String.join(" ", c.scopes())).log());
    }

    static void updated(Handle h, Credential before, Credential after) {
        h.afterCommit(() -> event("credential updated", after)
                .addKeyValue("scopes", String.join(" ", before.scopes()) + " -> " + String.join(" ", after.scopes()))
                .addKeyValue("endpoints", String.join(" ", before.endpoints()) + " -> " + String.join(" ", after.endpoints()))
                .addKeyValue("expires", before.expiresAt() + " -> " + after.expiresAt())
                .log());
    }

    static void deleted(Handle h, Credential c) {
        h.afterCommit(() -> event("credential deleted", c).log());
    }

    static void rolled(Handle h, Credential c, java.time.Duration overlap) {
        h.afterCommit(() -> event("credential rolled", c).addKeyValue("previous_secret_works_for_s", overlap.toSeconds()).log());
    }

    static void revealed(Credential c, String address) {
        event("credential revealed", c).addKeyValue("address", address).log();
    }

    /** Several at once, e.g. every credential of a user being disabled or deleted. */
    static void revoked(Handle h, List<Credential> credentials, String why) {
        h.afterCommit(() -> credentials.forEach(c -> event("credential revoked", c).addKeyValue("why", why).log()));
    }

    private static LoggingEventBuilder event(String what, Credential c) {
        return audit.atInfo().setMessage(what)
                .addKeyValue("credential", c.publicId())
                .addKeyValue("kind", c.kind().name())
                .addKeyValue("user", c.userId())
                .addKeyValue("app", c.appId() == null ? "-" : c.appId());
    }
}
