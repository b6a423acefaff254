package dev.clavis.cli;

import dev.clavis.Services;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clavis backup --to FILE}. */
@Command(name = "backup", description = "Copy the embedded database to a new file while the server runs "
        + "(a consistent snapshot). On PostgreSQL, use pg_dump.")
public final class BackupCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage = new StorageOptions();

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "The copy; must not exist yet.")
    Path target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (Services services = Admin.open(storage)) {
            services.database().backupTo(target);
        }
        spec.commandLine().getOut().println("Backed up to " + target);
        return 0;
    }
}
