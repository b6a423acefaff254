package dev.clavis.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets with AES-256-GCM under a master key that never enters the database, so that the
 * portal can copy a key after its creation. The credential's public id is authenticated data: a
 * sealed secret moved to another row does not open. Without a master key nothing is sealed.
 */
public final class SecretVault {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretVault(SecretKeySpec key) {
        this.key = key;
    }

    /** A vault with this 32-byte master key, or a closed one for null. */
    public static SecretVault of(byte[] masterKey) {
        if (masterKey == null) return new SecretVault(null);
        if (masterKey.length != 32) throw new IllegalArgumentException("secret-key: 32 bytes (base64) for AES-256");
        return new SecretVault(new SecretKeySpec(masterKey, "AES"));
    }

    public boolean enabled() {
        return key != null;
    }

    /** The sealed form to store, or empty when the vault is closed. */
    public Optional<String> seal(String publicId, Secret secret) {
        if (key == null) return Optional.empty();
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, iv, publicId, secret.reveal().getBytes(StandardCharsets.UTF_8));
        return Optional.of(Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array()));
    }

    /** Opens what {@link #seal} made for the same public id. */
    public Secret open(String publicId, String sealed) {
        if (key == null) throw new IllegalStateException("the vault is closed");
        byte[] all = Base64.getDecoder().decode(sealed);
        byte[] iv = Arrays.copyOf(all, IV_BYTES);
        byte[] body = Arrays.copyOfRange(all, IV_BYTES, all.length);
        return new Secret(new String(run(Cipher.DECRYPT_MODE, iv, publicId, body), StandardCharsets.UTF_8));
    }

    private byte[] run(int mode, byte[] iv, String publicId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(publicId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed secret does not open (wrong master key or moved row)", e);
        }
    }
}
