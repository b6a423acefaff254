package dev.clavis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

    @ParameterizedTest
    @EnumSource(CredentialKind.class)
    void a_generated_secret_is_recognised_as_its_kind(CredentialKind kind) {
        Secret secret = Secrets.generate(kind);
        assertTrue(secret.reveal().startsWith(kind.prefix()));
        assertEquals(Optional.of(kind), Secrets.kindOf(secret.reveal()));
    }

    @Test
    void a_mistyped_character_fails_the_checksum() {
        String secret = Secrets.generate(CredentialKind.APP_KEY).reveal();
        int i = secret.length() / 2;
        char swapped = secret.charAt(i) == 'a' ? 'b' : 'a';
        String typo = secret.substring(0, i) + swapped + secret.substring(i + 1);
        assertEquals(Optional.empty(), Secrets.kindOf(typo));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "clvk_", "clvk_short", "nope_0123456789012345678901234567890123456789012345678",
            "1f2e3d4c5b6a79881f2e3d4c5b6a7988", "clvk_!@#$%^&*()0123456789012345678901234567890123456789"})
    void anything_not_of_the_format_is_refused(String candidate) {
        assertEquals(Optional.empty(), Secrets.kindOf(candidate));
    }

    @Test
    void secrets_are_unique_and_hashes_are_stable_sha256_hex() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) assertTrue(seen.add(Secrets.generate(CredentialKind.PAT).reveal()));
        String one = seen.iterator().next();
        assertEquals(Secrets.hash(one), Secrets.hash(one));
        assertTrue(Secrets.hash(one).matches("[0-9a-f]{64}"));
        assertNotEquals(Secrets.hash(one), Secrets.hash(one + "x"));
    }

    @Test
    void redact_cuts_secret_shaped_tokens_from_text() {
        String secret = Secrets.generate(CredentialKind.APP_KEY).reveal();
        assertEquals("GET /v2/users/a/keys/clvk_[redacted]/x", Secrets.redact("GET /v2/users/a/keys/" + secret + "/x"));
    }

    @Test
    void to_string_never_shows_the_secret() {
        Secret secret = Secrets.generate(CredentialKind.PAT);
        assertFalse(secret.toString().contains(secret.reveal()));
        assertFalse(secret.toString().contains(secret.reveal().substring(Secrets.DISPLAY_PREFIX_LENGTH)));
    }

    @Test
    void secrets_are_found_in_text_by_shape_and_checksum() {
        String key = Secrets.generate(CredentialKind.APP_KEY).reveal();
        String pat = Secrets.generate(CredentialKind.PAT).reveal();
        String text = "KEY=" + key + "\n{\"pat\":\"" + pat + "\"} " + key + "x " + key.substring(1)
                + " " + key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
        assertEquals(java.util.List.of(key, pat), Secrets.findIn(text),
                "not one run on into more letters, cut short, or with a checksum that fails");
    }
}
