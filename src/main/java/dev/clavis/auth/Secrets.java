package dev.clavis.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The secret format: {@code <kind prefix><43 base62 chars of 32 random bytes><6 base62 chars of
 * CRC32>}. The checksum lets a scanner recognise a leaked secret and lets the server refuse a
 * mistyped one without touching storage. At rest only the SHA-256 is kept.
 */
public final class Secrets {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** Every request's secret is checked character by character: a table, not a search of BASE62. */
    private static final boolean[] IS_BASE62 = new boolean[128];

    static {
        for (char c : BASE62.toCharArray()) IS_BASE62[c] = true;
    }
    private static final int RANDOM_BYTES = 32;
    private static final int BODY_LENGTH = 43; // 62^43 > 2^256
    private static final int CHECKSUM_LENGTH = 6; // 62^6 > 2^32
    static final int DISPLAY_PREFIX_LENGTH = 11;

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Looking a digest up by name costs more than the hashing; each thread keeps its own. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });
    private static final Pattern SECRET_SHAPED = Pattern.compile("(clv[kps]_)[0-9A-Za-z]+");
    /** A secret's whole length of base62 after a prefix, not part of a longer run of such characters. */
    private static final Pattern CANDIDATE = Pattern.compile(
            "(?<![0-9A-Za-z])clv[kps]_[0-9A-Za-z]{" + (BODY_LENGTH + CHECKSUM_LENGTH) + "}(?![0-9A-Za-z])");

    private Secrets() {}

    public static Secret generate(CredentialKind kind) {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        String head = kind.prefix() + base62(new BigInteger(1, bytes), BODY_LENGTH);
        return new Secret(head + checksum(head));
    }

    /** The kind of a well-formed secret with a valid checksum; empty for anything else. */
    public static Optional<CredentialKind> kindOf(String candidate) {
        for (CredentialKind kind : CredentialKind.values()) {
            String prefix = kind.prefix();
            if (!candidate.startsWith(prefix)) continue;
            if (candidate.length() != prefix.length() + BODY_LENGTH + CHECKSUM_LENGTH) return Optional.empty();
            for (int i = prefix.length(); i < candidate.length(); i++) {
                char c = candidate.charAt(i);
                if (c >= IS_BASE62.length || !IS_BASE62[c]) return Optional.empty();
            }
            String head = candidate.substring(0, candidate.length() - CHECKSUM_LENGTH);
            if (!candidate.endsWith(checksum(head))) return Optional.empty();
            return Optional.of(kind);
        }
        return Optional.empty();
    }

    /**
     * The secrets in a text, with valid checksums: what a scan of leaked files reports. The
     * checksum makes a random string that merely looks like one very unlikely to be taken for one.
     */
    public static List<String> findIn(CharSequence text) {
        List<String> found = new ArrayList<>();
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            if (kindOf(m.group()).isPresent()) found.add(m.group());
        }
        return found;
    }

    /** Text (a request path, say) with anything shaped like one of our secrets cut to its prefix. */
    public static String redact(String text) {
        return SECRET_SHAPED.matcher(text).replaceAll(m -> m.group(1) + "[redacted]");
    }

    public static String hash(String secret) {
        // digest() also resets the instance for the thread's next call.
        return HexFormat.of().formatHex(SHA256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** 32 lowercase hex characters, the shape of Clarifai's ids. */
    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The CRC32 of everything before it, as six base62 digits. */
    private static String checksum(String head) {
        CRC32 crc = new CRC32();
        crc.update(head.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }

    private static String base62(BigInteger value, int width) {
        char[] out = new char[width];
        BigInteger base = BigInteger.valueOf(62);
        for (int i = width - 1; i >= 0; i--) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out[i] = BASE62.charAt(qr[1].intValue());
            value = qr[0];
        }
        return new String(out);
    }
}
