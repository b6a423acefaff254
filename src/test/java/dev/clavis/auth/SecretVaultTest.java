package dev.clavis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretVaultTest {
    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void a_sealed_secret_opens_for_its_own_row_only_and_under_its_own_key() {
        SecretVault vault = SecretVault.of(key());
        Secret secret = Secrets.generate(CredentialKind.APP_KEY);
        String sealed = vault.seal("id-1", secret).orElseThrow();
        assertFalse(sealed.contains(secret.reveal()));
        assertNotEquals(sealed, vault.seal("id-1", secret).orElseThrow(), "a fresh nonce each time");
        assertEquals(secret.reveal(), vault.open("id-1", sealed).reveal());
        assertThrows(IllegalStateException.class, () -> vault.open("id-2", sealed), "moved to another row");
        assertThrows(IllegalStateException.class, () -> SecretVault.of(key()).open("id-1", sealed), "another master key");
    }

    @Test
    void without_a_master_key_nothing_is_sealed() {
        SecretVault closed = SecretVault.of(null);
        assertFalse(closed.enabled());
        assertTrue(closed.seal("id", Secrets.generate(CredentialKind.PAT)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> SecretVault.of(new byte[16]));
    }
}
