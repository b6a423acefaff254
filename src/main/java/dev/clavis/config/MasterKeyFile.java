package dev.clavis.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The master key that seals key secrets so the portal can copy them later: 32 random bytes in
 * base64, in a file of its own (never in the database, so a copy of the database alone opens
 * nothing). The embedded setup makes one in its data directory on first start.
 */
public final class MasterKeyFile {
    /** Its name in the data directory. */
    public static final String NAME = "secret.key";

    private MasterKeyFile() {}

    /**
     * The key to use: the named file's; else, on the embedded database, the data directory's,
     * made now (owner-only) when {@code create} and it does not exist yet; else none. PostgreSQL
     * deployments run several nodes, which must share one key: they name it.
     */
    public static byte[] resolve(Path named, Path dataDir, boolean embedded, boolean create) {
        if (named != null) return read(named);
        if (!embedded || dataDir == null) return null;
        Path file = dataDir.resolve(NAME);
        if (Files.exists(file)) return read(file);
        return create ? make(file) : null;
    }

    public static byte[] read(Path file) {
        try {
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length != 32) throw new IllegalArgumentException("secret-key-file: " + file + " holds " + key.length + " bytes, not 32");
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException("secret-key-file: cannot read " + file + " (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("secret-key-file")) throw e;
            throw new IllegalArgumentException("secret-key-file: " + file + " is not base64");
        }
    }

    /** A new key in a new file readable by its owner alone; a file made meanwhile by another process wins. */
    private static byte[] make(Path file) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
            return key;
        } catch (FileAlreadyExistsException raced) {
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the master key file " + file, e);
        }
    }
}
