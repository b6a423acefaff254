package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.Secrets;
import dev.clavis.config.Config;
import dev.clavis.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user types it: outputs, exit codes, and nothing half-written. */
class MainTest {
    @TempDir
    Path data;

    record Run(int exit, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine(java.util.Map.of(), args);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void a_user_and_a_pat_made_on_the_command_line_work_against_the_api() throws Exception {
        Run user = run("users", "create", "alice", "--email", "alice@example.com", "--password", "correct horse", "--data", data.toString());
        assertEquals(0, user.exit(), user.err());
        Run pat = run("pats", "create", "--user", "alice", "--data", data.toString());
        assertEquals(0, pat.exit(), pat.err());
        assertEquals(Optional.of(CredentialKind.PAT), Secrets.kindOf(pat.lastLine()), "the PAT alone on the last line");

        try (Clavis clavis = Clavis.create(Config.defaults().withPorts(0, 0).withDatabase(data, null)).start()) {
            HttpResponse<String> reply = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clavis.httpPort() + "/v2/users/alice/keys"))
                            .header("Authorization", "Key " + pat.lastLine()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode(), reply.body());
        }
    }

    @Test
    void wrong_arguments_print_usage_and_exit_non_zero() {
        Run missing = run("users", "create", "alice", "--data", data.toString());
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("Usage: clavis users create"), missing.err());
        Run nothing = run();
        assertNotEquals(0, nothing.exit());
        assertTrue(nothing.err().contains("Usage: clavis"), nothing.err());
        assertNotEquals(0, run("serve", "--port", "not-a-port").exit());
    }

    @Test
    void a_refused_command_says_why_in_one_line_and_writes_nothing() {
        assertEquals(0, run("users", "create", "alice", "--email", "a@example.com", "--password", "correct horse", "--data", data.toString()).exit());
        Run duplicate = run("users", "create", "alice", "--email", "b@example.com", "--password", "correct horse", "--data", data.toString());
        assertEquals(2, duplicate.exit());
        assertEquals("clavis: User 'alice' already exists.", duplicate.err().strip());
        Run badId = run("users", "create", "no good", "--email", "c@example.com", "--password", "correct horse", "--data", data.toString());
        assertEquals(2, badId.exit());
        Run noUser = run("pats", "create", "--user", "nobody", "--data", data.toString());
        assertEquals(2, noUser.exit());
        assertEquals("clavis: no user 'nobody'", noUser.err().strip());
        Run badUrl = run("pats", "create", "--user", "alice", "--database-url", "jdbc:mysql://x/y");
        assertEquals(2, badUrl.exit());
        assertTrue(badUrl.err().startsWith("clavis: database-url:"), badUrl.err());
        // The email of the refused user is still free: nothing of it was written.
        assertEquals(0, run("users", "create", "carol", "--email", "c@example.com", "--password", TestServer.PASSWORD, "--data", data.toString()).exit());
    }
}
