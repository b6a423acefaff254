package dev.clavis.cli;

import dev.clavis.config.Config;
import dev.clavis.config.MasterKeyFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the data lives, and the settings file: options every command takes. */
public final class StorageOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file, one 'name: value' per line, names as the flags (env CLAVIS_CONFIG). "
                    + "The environment overrides it, flags override both.")
    Path config;

    @Option(names = "--data", defaultValue = "./data",
            description = "Directory of the embedded SQLite database (env CLAVIS_DATA_DIR; default ./data).")
    Path data;

    @Option(names = "--database-url",
            description = "JDBC URL, e.g. jdbc:postgresql://host/db; overrides --data (env CLAVIS_DATABASE_URL).")
    String databaseUrl;

    /** With the data directory's master key when there is one, so that secrets made here can be copied too. */
    public Config config() {
        return Config.defaults().withDatabase(data, databaseUrl)
                .withSecretKey(MasterKeyFile.resolve(null, data, databaseUrl == null, false));
    }
}
