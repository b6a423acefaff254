package dev.clavis.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** One pooled, migrated database: SQLite embedded or PostgreSQL, chosen by the JDBC URL. */
public final class Database implements AutoCloseable {
    private final String jdbcUrl;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    /** The newest migration this code knows, applied when the database was opened. */
    private final String schemaVersion;

    private Database(String jdbcUrl, HikariDataSource dataSource, String schemaVersion) {
        this.jdbcUrl = jdbcUrl;
        this.dataSource = dataSource;
        this.schemaVersion = schemaVersion;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    }

    /** Opens the pool and brings the schema up to date. */
    public static Database open(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("clavis");
        if (isSqlite(jdbcUrl)) {
            // One writer at a time is SQLite's nature: WAL lets readers proceed, IMMEDIATE
            // transactions take the write lock up front instead of failing on upgrade, and the
            // busy timeout makes writers queue rather than error.
            config.setMaximumPoolSize(4);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("busy_timeout", "10000");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        } else {
            config.setMaximumPoolSize(10);
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    // What the two databases spell differently: a byte column, and a key that
                    // counts up and is never reused (AUTOINCREMENT: not even after deletes).
                    .placeholders(isSqlite(jdbcUrl)
                            ? Map.of("bytes", "BLOB", "serial_key", "INTEGER PRIMARY KEY AUTOINCREMENT")
                            : Map.of("bytes", "BYTEA", "serial_key", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"))
                    .load();
            flyway.migrate();
            return new Database(jdbcUrl, dataSource, flyway.info().current().getVersion().getVersion());
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Whether the database answers a trivial query now. */
    public boolean healthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether the database answers and still holds the schema this code migrated it to (not,
     * say, an older copy restored under a running node). One indexed query.
     */
    public boolean schemaCurrent() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM flyway_schema_history WHERE version = :version AND success")
                .bind("version", schemaVersion).mapTo(Integer.class).one()) == 1;
    }

    /**
     * An online, consistent copy of an embedded database ({@code VACUUM INTO}: a snapshot taken
     * while the server may go on writing). PostgreSQL has its own tools for this.
     */
    public void backupTo(Path target) {
        if (!isSqlite()) {
            throw new IllegalArgumentException("backup: this database is PostgreSQL; back it up with pg_dump "
                    + "(e.g. pg_dump -Fc -f clavis.dump DBNAME) and restore with pg_restore");
        }
        if (Files.exists(target)) throw new IllegalArgumentException("backup: " + target + " exists; name a new file");
        jdbi.useHandle(h -> h.execute("VACUUM INTO ?", target.toAbsolutePath().toString()));
    }

    /** Reports the connection pool's use as HikariCP's standard metrics. */
    public void bindTo(MeterRegistry registry) {
        dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public boolean isSqlite() {
        return isSqlite(jdbcUrl);
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    public static boolean isSqlite(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:sqlite:");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
