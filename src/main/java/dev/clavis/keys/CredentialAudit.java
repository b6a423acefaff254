package dev.clavis.keys;

import dev.clavis.audit.AuditTrail;
import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Credential events for the audit log, named by kind: {@code API_KEY_}, {@code PAT_} or
 * {@code SESSION_} followed by {@code CREATE}, {@code UPDATE} (old and new scopes, endpoints,
 * expiry), {@code DELETE}, {@code REVEAL}, {@code ROLL} or {@code REVOKE} (with why: a leak, an
 * administrator, the user disabled). A session's creation is the user's sign-in, recorded as
 * {@code USER_LOGIN} by the user service instead.
 */
final class CredentialAudit {
    private final AuditTrail trail;

    CredentialAudit(AuditTrail trail) {
        this.trail = trail;
    }

    void created(Handle h, Credential c) {
        if (c.kind() == CredentialKind.SESSION) return;
        trail.record(h, event(c, "CREATE").detail("scopes", String.join(" ", c.scopes()))
                .detail("expires", String.valueOf(c.expiresAt())));
    }

    void updated(Handle h, Credential before, Credential after) {
        trail.record(h, event(after, "UPDATE")
                .detail("scopes", String.join(" ", before.scopes()) + " -> " + String.join(" ", after.scopes()))
                .detail("endpoints", String.join(" ", before.endpoints()) + " -> " + String.join(" ", after.endpoints()))
                .detail("expires", before.expiresAt() + " -> " + after.expiresAt()));
    }

    void networks(Handle h, Credential before, Credential after) {
        trail.record(h, event(after, "UPDATE").detail("allowed_cidrs", networks(before) + " -> " + networks(after)));
    }

    void rateLimit(Handle h, Credential before, Credential after) {
        trail.record(h, event(after, "UPDATE").detail("rate_limit", rate(before) + " -> " + rate(after)));
    }

    private static String rate(Credential c) {
        return c.rateLimit() == null ? "server default" : c.rateLimit() == 0 ? "unlimited" : c.rateLimit() + "/s";
    }

    private static String networks(Credential c) {
        return c.allowedNetworks().isEmpty() ? "anywhere" : String.join(" ", c.allowedNetworks().stream().map(Object::toString).toList());
    }

    void deleted(Handle h, Credential c) {
        trail.record(h, event(c, "DELETE"));
    }

    void rolled(Handle h, Credential c, Duration overlap) {
        trail.record(h, event(c, "ROLL").detail("previous_secret_works_for_s", overlap.toSeconds()));
    }

    void revealed(Handle h, Credential c) {
        trail.record(h, event(c, "REVEAL"));
    }

    /** Several at once, e.g. every credential of a user being disabled or deleted. */
    void revoked(Handle h, List<Credential> credentials, String why) {
        for (Credential c : credentials) trail.record(h, event(c, "REVOKE").detail("why", why));
    }

    private static AuditTrail.Event event(Credential c, String what) {
        return AuditTrail.Event.of(c.userId(), operation(c.kind(), what)).credential(c.publicId()).app(c.appId());
    }

    static String operation(CredentialKind kind, String what) {
        return switch (kind) {
            case APP_KEY -> "API_KEY_";
            case PAT -> "PAT_";
            case SESSION -> "SESSION_";
        } + what;
    }
}
