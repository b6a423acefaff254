package dev.clavis.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** One pooled, migrated database: SQLite embedded or PostgreSQL, chosen by the JDBC URL. */
public final class Database implements AutoCloseable {
    private final String jdbcUrl;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(String jdbcUrl, HikariDataSource dataSource) {
        this.jdbcUrl = jdbcUrl;
        this.dataSource = dataSource;
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
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    // What the two databases spell differently: a byte column, and a key that
                    // counts up and is never reused (AUTOINCREMENT: not even after deletes).
                    .placeholders(isSqlite(jdbcUrl)
                            ? Map.of("bytes", "BLOB", "serial_key", "INTEGER PRIMARY KEY AUTOINCREMENT")
                            : Map.of("bytes", "BYTEA", "serial_key", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(jdbcUrl, dataSource);
    }

    /** Whether the database answers a trivial query now. */
    public boolean healthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
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
