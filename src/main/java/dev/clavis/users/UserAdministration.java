package dev.clavis.users;

import dev.clavis.apps.App;
import dev.clavis.apps.AppService;
import dev.clavis.apps.AppStore;
import dev.clavis.audit.AuditTrail;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.PasswordHasher;
import dev.clavis.keys.KeyService;
import dev.clavis.protocol.ApiException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * What an administrator does to accounts from the command line: list, disable and enable, reset
 * a password, delete. Each change and the revocation of the credentials it ends share one
 * transaction, so every node refuses them once it commits (as DeleteKey does).
 */
public final class UserAdministration {
    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final KeyService keys;
    private final AppService apps;
    private final Clock clock;
    private final AuditTrail audit;

    public UserAdministration(Jdbi jdbi, PasswordHasher hasher, KeyService keys, AppService apps, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.keys = keys;
        this.apps = apps;
        this.clock = clock;
        this.audit = new AuditTrail(jdbi, clock);
    }

    public List<User> list() {
        return jdbi.onDemand(UserStore.class).list();
    }

    /** The user can no longer sign in, and none of their keys, PATs or sessions works. */
    public void disable(String userId) {
        jdbi.useTransaction(h -> {
            if (h.attach(UserStore.class).setDisabledAt(userId, clock.millis()) == 0) throw noUser(userId);
            keys.revokeAllOf(h, userId, EnumSet.allOf(CredentialKind.class), false, "user disabled");
            audit.record(h, AuditTrail.Event.of(userId, "USER_DISABLE").user(userId));
        });
    }

    /** Undoes {@link #disable}: sign-in and the credentials that were not deleted meanwhile work again. */
    public void enable(String userId) {
        jdbi.useTransaction(h -> {
            if (h.attach(UserStore.class).setDisabledAt(userId, null) == 0) throw noUser(userId);
            audit.record(h, AuditTrail.Event.of(userId, "USER_ENABLE").user(userId));
        });
    }

    /** A new password; the user's sessions end (keys and PATs stay). */
    public void resetPassword(String userId, String password) {
        UserService.requireValidPassword(password);
        String hash = hasher.hash(password);
        jdbi.useTransaction(h -> {
            if (h.attach(UserStore.class).setPasswordHash(userId, hash) == 0) throw noUser(userId);
            keys.revokeAllOf(h, userId, EnumSet.of(CredentialKind.SESSION), true, "password reset");
            audit.record(h, AuditTrail.Event.of(userId, "USER_PASSWORD_CHANGE").user(userId));
        });
    }

    /** The user, their apps with all they hold, and their credentials; all or nothing. */
    public void delete(String userId) {
        jdbi.useTransaction(h -> {
            if (h.attach(UserStore.class).find(userId).isEmpty()) throw noUser(userId);
            for (App app : h.attach(AppStore.class).listEvery(userId)) apps.delete(h, userId, app.id());
            keys.revokeAllOf(h, userId, EnumSet.allOf(CredentialKind.class), true, "user deleted");
            // Zero rows for a system user, which has no password: the whole change rolls back.
            if (h.attach(UserStore.class).delete(userId) == 0) throw noUser(userId);
            audit.record(h, AuditTrail.Event.of(userId, "USER_DELETE").user(userId));
        });
    }

    private static ApiException noUser(String userId) {
        return ApiException.notFound("No user '" + userId + "'.");
    }
}
