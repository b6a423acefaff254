package dev.clavis.cli;

import dev.clavis.Services;
import dev.clavis.config.MasterKeyFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code clavis backup --to FILE [--include-secret-key]}. */
@Command(name = "backup", description = "Copy the embedded database to a new file while the server runs "
        + "(a consistent snapshot). On PostgreSQL, use pg_dump.")
public final class BackupCommand extends AdminCommand {
    @Option(names = "--to", required = true, paramLabel = "FILE", description = "The copy; must not exist yet.")
    Path target;

    @Option(names = "--include-secret-key", description = "Also copy the data directory's master key, to FILE.key "
            + "(owner-only). Left out by default: whoever holds both can open every sealed secret.")
    boolean includeSecretKey;

    @Override
    public Integer call() {
        Path key = storage.data.resolve(MasterKeyFile.NAME);
        Path keyCopy = Path.of(target + ".key");
        if (includeSecretKey && !Files.exists(key)) throw new IllegalArgumentException("backup: there is no " + key + " to include");
        if (includeSecretKey && Files.exists(keyCopy)) throw new IllegalArgumentException("backup: " + keyCopy + " exists; name a new file");
        try (Services services = openServices()) {
            services.database().backupTo(target);
        }
        out().println("Backed up to " + target);
        if (includeSecretKey) {
            try {
                // Into a file made owner-only first: a copy would take the permissions it is given.
                Files.write(Files.createFile(keyCopy, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        Files.readAllBytes(key));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the master key to " + keyCopy, e);
            }
            out().println("Master key copied to " + keyCopy + "; keep it apart from the database copy");
        }
        return 0;
    }
}
