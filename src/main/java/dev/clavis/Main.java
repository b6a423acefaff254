package dev.clavis;

import ch.qos.logback.classic.LoggerContext;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.keys.KeyService;
import dev.clavis.net.Cidr;
import dev.clavis.protocol.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: {@code serve}, {@code users create}, {@code pats create}. */
@Command(name = "clavis", mixinStandardHelpOptions = true, version = "clavis 0.1.0",
        description = "Self-hosted identity layer speaking Clarifai's v2 protocol.",
        subcommands = {Main.Serve.class, Main.Users.class, Main.Pats.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int status = commandLine().execute(args);
        flushLogs();
        System.exit(status);
    }

    /** The command line, ready to execute; tests point its out and err elsewhere. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::failure);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a command: serve, users or pats.");
    }

    /** Bad settings and refused requests end with one clear line and exit code 2, no stack trace. */
    private static int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof ApiException api) {
            cmd.getErr().println("clavis: " + api.details());
        } else if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("clavis: " + e.getMessage());
        } else {
            throw new IllegalStateException(e);
        }
        return 2;
    }

    /** Where the data lives; shared by every command. */
    static final class Storage {
        @Option(names = "--data", defaultValue = "${env:CLAVIS_DATA_DIR:-./data}",
                description = "Directory of the embedded SQLite database (env CLAVIS_DATA_DIR; default ./data).")
        Path data;

        @Option(names = "--database-url", defaultValue = "${env:CLAVIS_DATABASE_URL}",
                description = "JDBC URL, e.g. jdbc:postgresql://host/db; overrides --data (env CLAVIS_DATABASE_URL).")
        String databaseUrl;

        Config config() {
            return Config.defaults().withDatabase(data, databaseUrl);
        }
    }

    @Command(name = "serve", description = "Serve the REST and gRPC APIs until stopped.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        Storage storage = new Storage();

        @Option(names = "--host", defaultValue = "${env:CLAVIS_HOST:-0.0.0.0}",
                description = "Address both ports listen on; 0.0.0.0 is every IPv4 interface (env CLAVIS_HOST; default 0.0.0.0).")
        String host;

        @Option(names = "--trusted-proxies", split = ",", defaultValue = "${env:CLAVIS_TRUSTED_PROXIES}",
                description = "Reverse proxies (IP addresses or CIDR ranges, comma-separated) whose X-Forwarded-For and "
                        + "X-Forwarded-Proto are believed (env CLAVIS_TRUSTED_PROXIES; default none).")
        List<String> trustedProxies = List.of();

        @Option(names = "--cors-origins", split = ",", defaultValue = "${env:CLAVIS_CORS_ORIGINS}",
                description = "Web origins (scheme://host[:port], comma-separated, or *) whose pages may call the API "
                        + "from a browser (env CLAVIS_CORS_ORIGINS; default none).")
        List<String> corsOrigins = List.of();

        @Option(names = "--port", defaultValue = "${env:CLAVIS_PORT:-8080}",
                description = "REST port; 0 picks a free one (env CLAVIS_PORT; default 8080).")
        int port;

        @Option(names = "--grpc-port", defaultValue = "${env:CLAVIS_GRPC_PORT:-18080}",
                description = "gRPC port; 0 picks a free one (env CLAVIS_GRPC_PORT; default 18080).")
        int grpcPort;

        @Option(names = "--grpc-tls-cert", defaultValue = "${env:CLAVIS_GRPC_TLS_CERT}",
                description = "PEM certificate chain; with --grpc-tls-key, gRPC speaks TLS (env CLAVIS_GRPC_TLS_CERT).")
        Path tlsCert;

        @Option(names = "--grpc-tls-key", defaultValue = "${env:CLAVIS_GRPC_TLS_KEY}",
                description = "PEM private key for --grpc-tls-cert (env CLAVIS_GRPC_TLS_KEY).")
        Path tlsKey;

        @Option(names = "--max-body-bytes", defaultValue = "${env:CLAVIS_MAX_BODY_BYTES:-8388608}",
                description = "Largest request body or gRPC message (env CLAVIS_MAX_BODY_BYTES; default 8 MiB).")
        int maxBodyBytes;

        @Option(names = "--max-image-pixels", defaultValue = "${env:CLAVIS_MAX_IMAGE_PIXELS:-40000000}",
                description = "Largest image decoded, width x height (env CLAVIS_MAX_IMAGE_PIXELS; default 40000000).")
        long maxImagePixels;

        @Option(names = "--rate-limit", defaultValue = "${env:CLAVIS_RATE_LIMIT:-100}",
                description = "Requests per second per credential, 0 = off (env CLAVIS_RATE_LIMIT; default 100).")
        int rateLimit;

        @Option(names = "--fetch-allow-hosts", split = ",", defaultValue = "${env:CLAVIS_FETCH_ALLOW_HOSTS}",
                description = "Hosts or addresses input URLs may name although loopback or private, comma-separated "
                        + "(env CLAVIS_FETCH_ALLOW_HOSTS; default none).")
        List<String> fetchAllowHosts = List.of();

        @Option(names = "--portal-signup", negatable = true, defaultValue = "${env:CLAVIS_PORTAL_SIGNUP:-true}", fallbackValue = "true",
                description = "Whether anyone may sign up in the portal (env CLAVIS_PORTAL_SIGNUP; default true).")
        boolean portalSignup;

        @Option(names = "--secret-key-file", defaultValue = "${env:CLAVIS_SECRET_KEY_FILE}",
                description = "File holding a base64 32-byte master key; with it the portal can copy keys after creation "
                        + "(env CLAVIS_SECRET_KEY_FILE; default none: secrets are shown once).")
        Path secretKeyFile;

        @Override
        public Integer call() throws InterruptedException, IOException {
            Config config = storage.config().withHost(host).withPorts(port, grpcPort).withGrpcTls(tlsCert, tlsKey)
                    .withTrustedProxies((trustedProxies == null ? List.<String>of() : trustedProxies).stream()
                            .filter(s -> !s.isBlank()).map(Main::trustedProxy).toList())
                    .withCorsOrigins((corsOrigins == null ? List.<String>of() : corsOrigins).stream()
                            .map(String::strip).filter(s -> !s.isBlank()).toList())
                    .withLimits(maxBodyBytes, rateLimit)
                    .withMaxImagePixels(maxImagePixels)
                    .withFetchAllowHosts(fetchAllowHosts == null ? Set.of() : Set.copyOf(fetchAllowHosts))
                    .withPortalSignup(portalSignup)
                    .withSecretKey(secretKeyFile == null ? null
                            : Base64.getDecoder().decode(Files.readString(secretKeyFile).strip()));
            Clavis clavis = Clavis.create(config).start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                clavis.close();
                flushLogs();
                stopped.countDown();
            }, "clavis-shutdown"));
            stopped.await();
            return 0;
        }
    }

    private static Cidr trustedProxy(String range) {
        try {
            return Cidr.parse(range);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted-proxies: " + e.getMessage());
        }
    }

    /** Writes out the log lines still in the buffered appender, then stops logging. */
    static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) logback.stop();
    }

    /** A command that only groups subcommands: alone, it is a usage error. */
    abstract static class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Name a subcommand: " + String.join(", ", spec.subcommands().keySet()) + ".");
        }
    }

    @Command(name = "users", description = "Manage users.", subcommands = Users.Create.class)
    static final class Users extends Group {

        @Command(name = "create", description = "Create a user who can sign in.")
        static final class Create implements Callable<Integer> {
            @CommandLine.Mixin
            Storage storage = new Storage();

            @Parameters(index = "0", paramLabel = "USER_ID")
            String userId;

            @Option(names = "--email", required = true)
            String email;

            @Option(names = "--password", required = true, description = "At least 8 characters.")
            String password;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                try (Clavis clavis = Clavis.create(storage.config())) {
                    clavis.users().create(userId, email, password);
                }
                spec.commandLine().getOut().println("Created user " + userId);
                return 0;
            }
        }
    }

    @Command(name = "pats", description = "Manage personal access tokens.", subcommands = Pats.Create.class)
    static final class Pats extends Group {

        @Command(name = "create", description = "Create a PAT with scope All; prints it alone on the last line.")
        static final class Create implements Callable<Integer> {
            @CommandLine.Mixin
            Storage storage = new Storage();

            @Option(names = "--user", required = true, paramLabel = "USER_ID")
            String userId;

            @Option(names = "--description", defaultValue = "Created from the command line")
            String description;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                java.io.PrintWriter out = spec.commandLine().getOut();
                try (Clavis clavis = Clavis.create(storage.config())) {
                    if (clavis.users().find(userId).isEmpty()) {
                        throw new IllegalArgumentException("no user '" + userId + "'");
                    }
                    KeyService.Issued pat = clavis.keys().create(null, userId, List.of(new KeyService.KeyDraft(
                            CredentialKind.PAT, description, List.of(), List.of(), "", "", null))).get(0);
                    out.println("Created personal access token " + pat.credential().publicId() + " for " + userId
                            + ". It is shown once; keep it secret:");
                    out.println(pat.secret().reveal());
                }
                return 0;
            }
        }
    }
}
