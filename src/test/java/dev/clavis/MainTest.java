package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.clavis.auth.CredentialKind;
import dev.clavis.cli.Passwords;
import dev.clavis.auth.Secrets;
import dev.clavis.config.Config;
import dev.clavis.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void an_administrator_lists_disables_enables_resets_and_deletes_users_without_a_server() throws Exception {
        String d = data.toString();
        run("users", "create", "alice", "--email", "alice@example.com", "--password", "correct horse", "--data", d);
        run("users", "create", "bob", "--email", "bob@example.com", "--password", "correct horse", "--data", d);
        String pat = run("pats", "create", "--user", "alice", "--data", d).lastLine();

        Run table = run("users", "list", "--data", d);
        assertEquals(0, table.exit(), table.err());
        List<String> rows = table.out().strip().lines().toList();
        assertTrue(rows.get(0).matches("ID\\s+EMAIL\\s+CREATED\\s+DISABLED"), rows.get(0));
        assertTrue(rows.get(1).startsWith("alice ") && rows.get(1).endsWith("no"), rows.get(1));
        assertEquals(3, rows.size(), "system users are not listed: " + rows);
        JsonArray json = JsonParser.parseString(run("users", "list", "--json", "--data", d).out()).getAsJsonArray();
        assertEquals("bob@example.com", json.get(1).getAsJsonObject().get("email").getAsString());

        try (Clavis clavis = Clavis.create(Config.defaults().withPorts(0, 0).withDatabase(data, null)).start()) {
            String base = "http://127.0.0.1:" + clavis.httpPort();
            assertEquals(200, get(base + "/v2/users/alice/apps", pat));
            // The server runs while the command line changes the database: the revocation log
            // reaches its caches within the poll interval, as another node's change would.
            assertEquals(0, run("users", "disable", "alice", "--data", d).exit());
            assertTrue(eventually(() -> get(base + "/v2/users/alice/apps", pat) == 401), "a disabled user's PAT is refused");
            assertTrue(clavis.users().verify("alice@example.com", "correct horse").isEmpty(), "nor can they sign in");
            assertTrue(run("users", "list", "--data", d).out().lines().anyMatch(l -> l.startsWith("alice") && !l.endsWith("no")));

            assertEquals(0, run("users", "enable", "alice", "--data", d).exit());
            assertEquals(200, get(base + "/v2/users/alice/apps", pat));

            Passwords.stdin = () -> new ByteArrayInputStream("a new long password\n".getBytes(StandardCharsets.UTF_8));
            Run reset = run("users", "reset-password", "alice", "--data", d);
            assertEquals(0, reset.exit(), reset.err());
            assertTrue(clavis.users().verify("alice@example.com", "a new long password").isPresent());
            assertTrue(clavis.users().verify("alice@example.com", "correct horse").isEmpty());

            assertEquals(0, run("users", "delete", "alice", "--data", d).exit());
            assertTrue(eventually(() -> get(base + "/v2/users/alice/apps", pat) == 401), "a deleted user's PAT is refused");
        } finally {
            Passwords.stdin = () -> System.in;
        }
        assertEquals(List.of("bob"), JsonParser.parseString(run("users", "list", "--json", "--data", d).out()).getAsJsonArray()
                .asList().stream().map(u -> u.getAsJsonObject().get("id").getAsString()).toList());
        Run missing = run("users", "disable", "nobody", "--data", d);
        assertEquals(2, missing.exit());
        assertEquals("clavis: No user 'nobody'.", missing.err().strip());
        assertEquals(2, run("users", "delete", "--data", d).exit(), "a missing USER_ID is a usage error");
    }

    @Test
    void keys_are_listed_without_secrets_and_revoked_by_public_id_apps_listed_and_the_database_backed_up() throws Exception {
        String d = data.toString();
        run("users", "create", "alice", "--email", "alice@example.com", "--password", "correct horse", "--data", d);
        String pat = run("pats", "create", "--user", "alice", "--data", d).lastLine();
        try (Clavis clavis = Clavis.create(Config.defaults().withPorts(0, 0).withDatabase(data, null)).start()) {
            clavis.apps().create("alice", List.of(new dev.clavis.apps.AppService.AppDraft("listed", "Listed", "", 10, null)));
        }
        Run keys = run("keys", "list", "--user", "alice", "--json", "--data", d);
        assertEquals(0, keys.exit(), keys.err());
        assertFalse(keys.out().contains(pat) || keys.out().contains(pat.substring(5, 25)), "no secret listed");
        JsonArray listed = JsonParser.parseString(keys.out()).getAsJsonArray();
        assertEquals(List.of("PAT", "APP_KEY"), listed.asList().stream().map(k -> k.getAsJsonObject().get("kind").getAsString()).toList());
        String appKeyId = listed.get(1).getAsJsonObject().get("id").getAsString();
        assertEquals("listed", listed.get(1).getAsJsonObject().get("app").getAsString());
        assertEquals(1, JsonParser.parseString(run("keys", "list", "--app", "listed", "--json", "--data", d).out()).getAsJsonArray().size());

        Run revoke = run("keys", "revoke", appKeyId, "--data", d);
        assertEquals(0, revoke.exit(), revoke.err());
        assertEquals(0, JsonParser.parseString(run("keys", "list", "--app", "listed", "--json", "--data", d).out()).getAsJsonArray().size());
        assertEquals(2, run("keys", "revoke", appKeyId, "--data", d).exit(), "already gone");

        Run apps = run("apps", "list", "--data", d);
        assertTrue(apps.out().lines().anyMatch(l -> l.matches("alice\\s+listed\\s+Listed\\s+private\\s+\\S+")), apps.out());

        Path copy = data.resolve("backup.db");
        Run backup = run("backup", "--to", copy.toString(), "--data", d);
        assertEquals(0, backup.exit(), backup.err());
        Path restored = data.resolve("restored");
        java.nio.file.Files.createDirectories(restored);
        java.nio.file.Files.copy(copy, restored.resolve("clavis.db"));
        assertTrue(run("users", "list", "--data", restored.toString()).out().contains("alice@example.com"), "the copy opens");
        assertEquals(2, run("backup", "--to", copy.toString(), "--data", d).exit(), "an existing file is not overwritten");
        assertTrue(java.nio.file.Files.notExists(Path.of(copy + ".key")), "the master key is left out unless asked");
        assertEquals(2, run("backup", "--to", data.resolve("withkey.db").toString(), "--include-secret-key", "--data", d).exit(),
                "no key in this data directory to include");
        java.nio.file.Files.writeString(data.resolve("secret.key"), java.util.Base64.getEncoder().encodeToString(new byte[32]));
        Run withKey = run("backup", "--to", data.resolve("withkey.db").toString(), "--include-secret-key", "--data", d);
        assertEquals(0, withKey.exit(), withKey.err());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(data.resolve("withkey.db.key"))));
    }

    @Test
    void settings_come_from_flags_over_environment_over_config_file_and_unknown_ones_are_refused() throws Exception {
        Path file = data.resolve("clavis.yaml");
        java.nio.file.Files.writeString(file, "# a flat YAML file\nport: 1\ngrpc-port: \"2\"\nrate-limit: 3\nshutdown-grace: 4s\n");
        Map<String, String> env = Map.of("CLAVIS_GRPC_PORT", "20", "CLAVIS_RATE_LIMIT", "30", "CLAVIS_PASSWORD", "never");
        CommandLine.ParseResult parsed = Main.commandLine(env, new String[] {"--config", file.toString()})
                .parseArgs("serve", "--config", file.toString(), "--rate-limit", "300");
        CommandLine.ParseResult serve = parsed.subcommand();
        assertEquals(1, (int) serve.commandSpec().findOption("--port").getValue(), "the file");
        assertEquals(20, (int) serve.commandSpec().findOption("--grpc-port").getValue(), "environment over file");
        assertEquals(300, (int) serve.commandSpec().findOption("--rate-limit").getValue(), "flag over environment");
        assertEquals(java.time.Duration.ofSeconds(4), serve.commandSpec().findOption("--shutdown-grace").getValue());
        assertEquals(8080, (int) Main.commandLine(Map.of(), new String[0]).parseArgs("serve").subcommand()
                .commandSpec().findOption("--port").getValue(), "the default when nothing sets it");
        // The environment sets only settings: a user's password is never taken from it.
        CommandLine.ParseResult create = Main.commandLine(env, new String[0])
                .parseArgs("users", "create", "x", "--email", "x@example.com").subcommand().subcommand();
        assertEquals((Object) null, create.commandSpec().findOption("--password").getValue());

        java.nio.file.Files.writeString(file, "port: 1\nprot: 2\nmax-bdy-bytes: 3\n");
        Run unknown = runWithEnv(Map.of(), "serve", "--config", file.toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown setting 'prot'") && unknown.err().contains("unknown setting 'max-bdy-bytes'"),
                unknown.err());
        Run badValue = runWithEnv(Map.of("CLAVIS_SHUTDOWN_GRACE", "soon"), "serve");
        assertEquals(2, badValue.exit());
        assertTrue(badValue.err().contains("--shutdown-grace") && badValue.err().contains("soon"), badValue.err());
    }

    private Run runWithEnv(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            CommandLine cmd = Main.commandLine(env, args);
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            return new Run(cmd.execute(args), out.toString(), err.toString());
        } catch (IllegalArgumentException badConfig) {
            return new Run(2, "", "clavis: " + badConfig.getMessage());
        }
    }

    private static int get(String url, String key) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key " + key).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            if (condition.getAsBoolean()) return true;
        }
        return false;
    }

    @Test
    void scan_finds_live_secrets_in_files_names_them_without_the_secret_and_revokes_them_when_asked() throws Exception {
        String d = data.toString();
        run("users", "create", "alice", "--email", "alice@example.com", "--password", "correct horse", "--data", d);
        String pat = run("pats", "create", "--user", "alice", "--data", d).lastLine();
        String key;
        String gone;
        try (Services services = Services.open(Config.defaults().withDatabase(data, null))) {
            key = services.apps().create("alice", List.of(new dev.clavis.apps.AppService.AppDraft("leaky", "leaky", "", 10, null)))
                    .get(0).key().secret().reveal();
            gone = services.keys().create(null, "alice", List.of(new dev.clavis.keys.KeyService.KeyDraft(CredentialKind.PAT,
                    "deleted", List.of(), List.of(), "", "", null))).get(0).secret().reveal();
            services.keys().delete("alice", gone);
        }
        Path repo = data.resolve("repo");
        java.nio.file.Files.createDirectories(repo.resolve("config"));
        java.nio.file.Files.writeString(repo.resolve(".env"), "# settings\nHOST=x\nCLARIFAI_PAT=" + pat + "\n");
        java.nio.file.Files.writeString(repo.resolve("config/app.json"), "{\"key\": \"" + key + "\", \"old\": \"" + gone + "\"}\n");
        String lookalike = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        java.nio.file.Files.writeString(repo.resolve("notes.txt"), "not one: " + lookalike + " nor " + key + "x\n");

        Run found = run("scan", repo.toString(), "--data", d);
        assertEquals(1, found.exit(), "live secrets found fail the scan: " + found.out());
        List<String> lines = found.out().strip().lines().toList();
        assertEquals(3, lines.size(), found.out());
        assertTrue(lines.get(0).matches(".*\\.env:3: PAT [0-9a-f]{32} of alice LIVE"), lines.get(0));
        assertTrue(lines.get(1).matches(".*app\\.json:1: APP_KEY [0-9a-f]{32} of alice/leaky LIVE"), lines.get(1));
        assertTrue(lines.get(2).endsWith("app.json:1: PAT not a live credential of this server"), lines.get(2));
        for (String secret : List.of(pat, key, gone)) {
            assertFalse(found.out().contains(secret.substring(5, 25)), "no secret printed");
        }

        Run revoked = run("scan", repo.toString(), "--revoke", "--data", d);
        assertEquals(0, revoked.exit(), revoked.out());
        assertEquals(2, revoked.out().lines().filter(l -> l.endsWith(" revoked")).count(), revoked.out());
        assertEquals(0, run("scan", repo.toString(), "--data", d).exit(), "nothing live is left");
        try (Clavis clavis = Clavis.create(Config.defaults().withPorts(0, 0).withDatabase(data, null)).start()) {
            String base = "http://127.0.0.1:" + clavis.httpPort();
            assertEquals(401, get(base + "/v2/users/alice/apps", pat));
            assertEquals(401, get(base + "/v2/app", key));
        }
        assertEquals(2, run("scan", data.resolve("nowhere").toString(), "--data", d).exit());
    }
}
