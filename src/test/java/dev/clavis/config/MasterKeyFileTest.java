package dev.clavis.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recoverable secrets out of the box on the embedded setup, and never a key in the database. */
class MasterKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void the_embedded_setup_makes_an_owner_only_key_once_and_reads_it_after() throws Exception {
        Path data = dir.resolve("data");
        assertNull(MasterKeyFile.resolve(null, data, true, false), "a command that only reads makes none");
        byte[] made = MasterKeyFile.resolve(null, data, true, true);
        assertEquals(32, made.length);
        Path file = data.resolve(MasterKeyFile.NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(made, MasterKeyFile.resolve(null, data, true, true), "the same key at the next start");
        assertArrayEquals(made, MasterKeyFile.resolve(null, data, true, false));
        assertNull(MasterKeyFile.resolve(null, data, false, true), "PostgreSQL nodes must share a key they are given");
    }

    @Test
    void a_named_file_wins_and_a_bad_one_is_refused_by_name() throws Exception {
        Path named = dir.resolve("named.key");
        Files.writeString(named, java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertArrayEquals(new byte[32], MasterKeyFile.resolve(named, dir, true, true));
        assertTrue(Files.notExists(dir.resolve(MasterKeyFile.NAME)), "none made beside a named one");
        Files.writeString(named, "short");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> MasterKeyFile.resolve(named, dir, true, true));
        assertTrue(bad.getMessage().startsWith("secret-key-file:"), bad.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> MasterKeyFile.resolve(dir.resolve("absent.key"), dir, true, true));
        assertTrue(missing.getMessage().contains("cannot read"), missing.getMessage());
    }
}
