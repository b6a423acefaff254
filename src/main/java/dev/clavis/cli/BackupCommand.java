package dev.clavis.cli;

import dev.clavis.Services;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clavis backup --to FILE}. */
@Command(name = "backup", description = "Copy the embedded database to a new file while the server runs "
        + "(a consistent snapshot). On PostgreSQL, use pg_dump.")
public final class BackupCommand extends AdminCommand {
    @Option(names = "--to", required = true, paramLabel = "FILE", description = "The copy; must not exist yet.")
    Path target;

    @Override
    public Integer call() {
        try (Services services = openServices()) {
            services.database().backupTo(target);
        }
        out().println("Backed up to " + target);
        return 0;
    }
}
