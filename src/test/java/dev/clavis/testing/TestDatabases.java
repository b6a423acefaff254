package dev.clavis.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for tests. SQLite is a temp file (a pooled {@code :memory:} would give each
 * connection its own database). PostgreSQL gets a new schema per call on the server named by
 * {@code CLAVIS_TEST_POSTGRES_URL} (default: 127.0.0.1:5432, database test). With
 * {@code CLAVIS_TEST_POSTGRES=required} (as CI sets it) an unreachable server fails the tests;
 * otherwise they are skipped, saying why.
 */
public final class TestDatabases {
    private static final String URL = env("CLAVIS_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final String MODE = System.getProperty("clavis.test.postgres",
            env("CLAVIS_TEST_POSTGRES", "auto"));

    public enum Kind { SQLITE, POSTGRES }

    /** Schemas this JVM made, dropped when it exits so the shared test database stays small. */
    private static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropCreated));
    }

    private TestDatabases() {}

    private static void dropCreated() {
        if (CREATED.isEmpty()) return;
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            for (String schema : CREATED) s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException ignored) {
            // The server went away first; nothing to tidy.
        }
    }

    public static String url(Kind kind, Path tempDir) {
        return kind == Kind.SQLITE ? sqlite(tempDir) : postgres();
    }

    public static String sqlite(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("test-" + UUID.randomUUID() + ".db");
    }

    /** A JDBC URL whose default schema is new and empty. */
    public static String postgres() {
        String mode = MODE == null || MODE.isBlank() || MODE.startsWith("${") ? "auto" : MODE.toLowerCase(Locale.ROOT);
        Assumptions.assumeFalse(mode.equals("off"), "PostgreSQL tests switched off (CLAVIS_TEST_POSTGRES=off)");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            CREATED.add(schema);
        } catch (SQLException e) {
            if (mode.equals("required")) {
                throw new IllegalStateException("PostgreSQL is required (CLAVIS_TEST_POSTGRES=required) but " + URL
                        + " cannot be reached: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL at " + URL + " not reachable, skipping PostgreSQL tests: " + e.getMessage());
        }
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
