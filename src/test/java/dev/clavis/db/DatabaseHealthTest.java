package dev.clavis.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What /healthz reports: whether the database answers now, not merely that the process runs. */
class DatabaseHealthTest {
    @TempDir
    Path dir;

    @Test
    void a_database_is_healthy_while_it_answers_and_not_after() {
        Database database = Database.open(TestDatabases.sqlite(dir));
        assertTrue(database.healthy());
        database.close();
        assertFalse(database.healthy());
    }
}
