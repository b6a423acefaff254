package dev.clavis.users;

import com.clarifai.grpc.api.status.StatusCode;
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
    private static final int MAX_PASSWORD = 1024;

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;
    /**
     * Verified against when the email is unknown, so both cases take the same time. Computed in
     * the background: hashing takes a few hundred milliseconds on a cold JVM.
     */
    private final CompletableFuture<String> decoyHash;

    public UserService(Jdbi jdbi, PasswordHasher hasher, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.clock = clock;
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
        return ok && hash.isPresent() ? users.findByEmail(normalised) : Optional.empty();
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
