package dev.clavis.users;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.audit.AuditTrail;
import dev.clavis.auth.PasswordHasher;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.Ids;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;

/** The rules for users: valid ids and emails, hashed passwords, sign-in that reveals nothing. */
public final class UserService {
    private static final int MIN_PASSWORD = 8;
    /** The audit log owner of failed sign-ins to emails no account has: no user ever reads it. */
    private static final String NO_ACCOUNT = "-";
    private static final int MAX_PASSWORD = 1024;

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final AuditTrail audit;
    /**
     * Verified against when the email is unknown, so both cases take the same time. Computed in
     * the background: hashing takes a few hundred milliseconds on a cold JVM.
     */
    private final CompletableFuture<String> decoyHash;

    public UserService(Jdbi jdbi, PasswordHasher hasher, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.clock = clock;
        this.audit = new AuditTrail(jdbi, clock);
        this.decoyHash = CompletableFuture.supplyAsync(() -> hasher.hash("decoy password never matched"));
    }

    public User create(String id, String email, String password) {
        Ids.requireValid("user id", id);
        if (id.equals("me")) throw ApiException.badRequest("'me' is reserved: it stands for the caller.");
        String normalisedEmail = normaliseEmail(email);
        requireValidPassword(password);
        String hash = hasher.hash(password);
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            UserStore users = h.attach(UserStore.class);
            if (users.find(id).isPresent()) {
                throw new ApiException(StatusCode.DATABASE_DUPLICATE_KEY, "User '" + id + "' already exists.");
            }
            if (users.findByEmail(normalisedEmail).isPresent()) {
                throw new ApiException(StatusCode.DATABASE_DUPLICATE_KEY, "That email is already registered.");
            }
            users.insert(id, normalisedEmail, hash, now);
            audit.record(h, AuditTrail.Event.of(id, "USER_CREATE").user(id));
            return users.find(id).orElseThrow();
        });
    }

    public Optional<User> find(String id) {
        return jdbi.onDemand(UserStore.class).find(id);
    }

    /**
     * The user whose email and password these are; empty otherwise, whichever was wrong (a
     * disabled user's right password included).
     */
    public Optional<User> verify(String email, String password) {
        if (email == null || password == null) return Optional.empty();
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        UserStore users = jdbi.onDemand(UserStore.class);
        Optional<String> hash = users.findPasswordHash(normalised);
        boolean ok = hasher.verify(password, hash.orElseGet(decoyHash::join));
        // Recorded in the account's own log. An unknown email has no account: its failure goes in a
        // log no user reads, so that both refusals take the same work (and tell nothing by time).
        Optional<User> account = hash.isPresent() ? users.findByEmail(normalised) : Optional.empty();
        String owner = account.map(User::id).orElse(NO_ACCOUNT);
        AuditTrail.Event event = AuditTrail.Event.of(owner, ok ? "USER_LOGIN" : "USER_LOGIN_FAILED").user(account.map(User::id).orElse(null));
        audit.record(ok ? event : event.failed());
        return ok ? account : Optional.empty();
    }

    static void requireValidPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw ApiException.badRequest("Passwords have " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters.");
        }
    }

    private static String normaliseEmail(String email) {
        if (email == null) throw ApiException.badRequest("An email is required.");
        String e = email.trim().toLowerCase(Locale.ROOT);
        if (e.length() > 254 || !e.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw ApiException.badRequest("'" + email + "' is not an email address.");
        }
        return e;
    }
}
