package dev.clavis.keys;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public keys of the secret scanners allowed to report leaks, by identifier: a file in the
 * format GitHub publishes them in ({@code {"public_keys": [{"key_identifier": ..., "key": PEM}]}},
 * from {@code https://api.github.com/meta/public_keys/secret_scanning}), ECDSA P-256.
 */
public final class ScannerKeys {
    private final Map<String, PublicKey> byIdentifier;

    private ScannerKeys(Map<String, PublicKey> byIdentifier) {
        this.byIdentifier = Map.copyOf(byIdentifier);
    }

    public static ScannerKeys none() {
        return new ScannerKeys(Map.of());
    }

    public static ScannerKeys load(Path file) {
        try {
            JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            for (JsonElement entry : root.getAsJsonArray("public_keys")) {
                JsonObject key = entry.getAsJsonObject();
                keys.put(key.get("key_identifier").getAsString(), publicKey(key.get("key").getAsString()));
            }
            if (keys.isEmpty()) throw new IllegalArgumentException("leak-report-keys: " + file + " lists no key");
            return new ScannerKeys(keys);
        } catch (IOException e) {
            throw new IllegalArgumentException("leak-report-keys: cannot read " + file + " (" + e.getMessage() + ")");
        } catch (RuntimeException | GeneralSecurityException e) {
            if (e instanceof IllegalArgumentException bad && bad.getMessage() != null && bad.getMessage().startsWith("leak-report-keys")) {
                throw bad;
            }
            throw new IllegalArgumentException("leak-report-keys: " + file + " is not {\"public_keys\": [{\"key_identifier\", "
                    + "\"key\": PEM}]} with EC public keys");
        }
    }

    public boolean configured() {
        return !byIdentifier.isEmpty();
    }

    /** Whether {@code signature} (base64 DER ECDSA over SHA-256) by the key named {@code identifier} signs {@code body}. */
    public boolean verify(String identifier, String signature, byte[] body) {
        PublicKey key = identifier == null ? null : byIdentifier.get(identifier);
        if (key == null || signature == null) return false;
        try {
            Signature check = Signature.getInstance("SHA256withECDSA");
            check.initVerify(key);
            check.update(body);
            return check.verify(Base64.getDecoder().decode(signature.strip()));
        } catch (GeneralSecurityException | IllegalArgumentException malformed) {
            return false;
        }
    }

    private static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
