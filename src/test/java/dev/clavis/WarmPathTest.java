package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.clarifai.grpc.api.MyScopesRequest;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request with a warm credential touches no database: authentication and authorization read
 * their caches, and MyScopes answers from them. Counted by the statements Jdbi runs, leaving out
 * the background work every node does on its own (reading the revocation log, writing last-used
 * times).
 */
class WarmPathTest {
    private static TestServer server;
    private static final List<String> statements = new CopyOnWriteArrayList<>();
    private static String key;
    private static String pat;

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.SQLITE);
        server.clavis.database().jdbi().getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                String sql = context.getRawSql();
                if (!sql.contains("revocation_log") && !sql.contains("last_used_at =")) statements.add(sql);
            }

            @Override
            public void logException(StatementContext context, SQLException ex) {
                logAfterExecution(context);
            }
        });
        server.createUser("alice");
        server.createApp("alice", "app", false);
        key = server.appKey("alice", "app", List.of("All"), List.of());
        pat = server.pat("alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void forgetEarlierStatements() {
        statements.clear();
    }

    @Test
    void myscopes_with_a_warm_app_key_runs_no_statement_on_either_door() {
        assertEquals(10000, server.rest("GET", "/v2/myscopes", key, null).code());
        assertTrue(!statements.isEmpty(), "the cold request read the key (so the counting works): " + statements);
        statements.clear();

        assertEquals(10000, server.rest("GET", "/v2/myscopes", key, null).code());
        assertEquals(10000, server.grpc(key).myScopes(MyScopesRequest.getDefaultInstance()).getStatus().getCode().getNumber());
        assertEquals(List.of(), statements);
    }

    @Test
    void a_warm_pat_is_authorized_on_its_app_without_a_statement() {
        String path = "/v2/users/alice/apps/app/myscopes";
        assertEquals(10000, server.rest("GET", path, pat, null).code());
        statements.clear();
        assertEquals(10000, server.rest("GET", path, pat, null).code());
        assertEquals(List.of(), statements);
    }
}
