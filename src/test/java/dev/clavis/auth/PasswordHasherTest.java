package dev.clavis.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void the_right_password_verifies_and_a_wrong_one_does_not() {
        String hash = hasher.hash("correct horse");
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertTrue(hasher.verify("correct horse", hash));
        assertFalse(hasher.verify("correct horsE", hash));
    }

    @Test
    void the_same_password_hashes_differently_each_time() {
        assertNotEquals(hasher.hash("same"), hasher.hash("same"));
    }

    @Test
    void a_malformed_stored_hash_never_verifies() {
        assertFalse(hasher.verify("x", "plaintext"));
        assertFalse(hasher.verify("x", "$argon2id$v=19$m=x$salt$hash"));
        assertFalse(hasher.verify("x", "$bcrypt$v=19$m=1,t=1,p=1$AAAA$AAAA"));
    }
}
