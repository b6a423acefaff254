package dev.clavis;

import ch.qos.logback.classic.LoggerContext;
import dev.clavis.cli.AppCommands;
import dev.clavis.cli.BackupCommand;
import dev.clavis.cli.CredentialCommands;
import dev.clavis.cli.ScanCommand;
import dev.clavis.cli.StorageOptions;
import dev.clavis.cli.UserCommands;
import dev.clavis.config.Config;
import dev.clavis.config.MasterKeyFile;
import dev.clavis.config.SettingSources;
import dev.clavis.logs.AuditLog;
import dev.clavis.logs.LogFormat;
import dev.clavis.net.Cidr;
import dev.clavis.protocol.ApiException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code serve}, and the administrator's commands (package {@code cli}).
 * A setting not given as a flag comes from the environment, then from the config file
 * ({@link SettingSources}).
 */
@Command(name = "clavis", mixinStandardHelpOptions = true, version = "clavis 0.1.0",
        description = "Self-hosted identity layer speaking Clarifai's v2 protocol.",
        subcommands = {Main.Serve.class, UserCommands.class, CredentialCommands.Pats.class, CredentialCommands.Keys.class,
                AppCommands.class, BackupCommand.class, ScanCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int status;
        try {
            status = commandLine(System.getenv(), args).execute(args);
        } catch (IllegalArgumentException badConfig) {
            System.err.println("clavis: " + badConfig.getMessage());
            status = 2;
        }
        flushLogs();
        System.exit(status);
    }

    /**
     * The command line, ready to execute {@code args}, reading settings from {@code environment}
     * and the config file the arguments or environment name. Tests point its out and err elsewhere.
     */
    static CommandLine commandLine(Map<String, String> environment, String[] args) {
        CommandLine cmd = new CommandLine(new Main()).setExecutionExceptionHandler(Main::failure);
        Path file = SettingSources.configFile(args, environment);
        cmd.setDefaultValueProvider(file == null ? SettingSources.of(environment, settings(cmd))
                : SettingSources.withFile(environment, file, settings(cmd)));
        return cmd;
    }

    /** The names of the settings: serve's long options, which the environment and the file may set. */
    private static Set<String> settings(CommandLine cmd) {
        Set<String> names = new TreeSet<>();
        for (CommandLine.Model.OptionSpec option : cmd.getSubcommands().get("serve").getCommandSpec().options()) {
            String name = option.longestName();
            if (name.startsWith("--") && !option.usageHelp() && !option.versionHelp()) names.add(name.substring(2));
        }
        names.remove("config");
        return names;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Name a command: " + String.join(", ", spec.subcommands().keySet()) + ".");
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

    @Command(name = "serve", description = "Serve the REST and gRPC APIs until stopped.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        StorageOptions storage = new StorageOptions();

        @Option(names = "--host", defaultValue = "0.0.0.0",
                description = "Address both ports listen on; 0.0.0.0 is every IPv4 interface (env CLAVIS_HOST; default 0.0.0.0).")
        String host;

        @Option(names = "--trusted-proxies", split = ",",
                description = "Reverse proxies (IP addresses or CIDR ranges, comma-separated) whose X-Forwarded-For and "
                        + "X-Forwarded-Proto are believed (env CLAVIS_TRUSTED_PROXIES; default none).")
        List<String> trustedProxies = List.of();

        @Option(names = "--cors-origins", split = ",",
                description = "Web origins (scheme://host[:port], comma-separated, or *) whose pages may call the API "
                        + "from a browser (env CLAVIS_CORS_ORIGINS; default none).")
        List<String> corsOrigins = List.of();

        @Option(names = "--port", defaultValue = "8080",
                description = "REST port; 0 picks a free one (env CLAVIS_PORT; default 8080).")
        int port;

        @Option(names = "--grpc-port", defaultValue = "18080",
                description = "gRPC port; 0 picks a free one (env CLAVIS_GRPC_PORT; default 18080).")
        int grpcPort;

        @Option(names = "--grpc-tls-cert",
                description = "PEM certificate chain; with --grpc-tls-key, gRPC speaks TLS (env CLAVIS_GRPC_TLS_CERT).")
        Path tlsCert;

        @Option(names = "--grpc-tls-key",
                description = "PEM private key for --grpc-tls-cert (env CLAVIS_GRPC_TLS_KEY).")
        Path tlsKey;

        @Option(names = "--max-body-bytes", defaultValue = "8388608",
                description = "Largest request body or gRPC message (env CLAVIS_MAX_BODY_BYTES; default 8 MiB).")
        int maxBodyBytes;

        @Option(names = "--max-image-pixels", defaultValue = "40000000",
                description = "Largest image decoded, width x height (env CLAVIS_MAX_IMAGE_PIXELS; default 40000000).")
        long maxImagePixels;

        @Option(names = "--rate-limit", defaultValue = "100",
                description = "Requests per second per credential, 0 = off (env CLAVIS_RATE_LIMIT; default 100).")
        int rateLimit;

        @Option(names = "--fetch-allow-hosts", split = ",",
                description = "Hosts or addresses input URLs may name although loopback or private, comma-separated "
                        + "(env CLAVIS_FETCH_ALLOW_HOSTS; default none).")
        List<String> fetchAllowHosts = List.of();

        @Option(names = "--portal-signup", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Whether anyone may sign up in the portal (env CLAVIS_PORTAL_SIGNUP; default true).")
        boolean portalSignup;

        @Option(names = "--secret-key-file",
                description = "File holding a base64 32-byte master key, with which the portal can copy keys after creation "
                        + "(env CLAVIS_SECRET_KEY_FILE; default: with SQLite, " + MasterKeyFile.NAME + " in the data directory, "
                        + "made on first start; with PostgreSQL, none).")
        Path secretKeyFile;

        @Option(names = "--recoverable-secrets", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Whether new secrets are also kept sealed so they can be copied again; --no-recoverable-secrets "
                        + "keeps hashes only and shows each secret once (env CLAVIS_RECOVERABLE_SECRETS; default true).")
        boolean recoverableSecrets;

        @Option(names = "--shutdown-grace", defaultValue = "20s", converter = DurationConverter.class,
                description = "On SIGTERM, how long calls in flight may take to finish, e.g. 20s or 1500ms "
                        + "(env CLAVIS_SHUTDOWN_GRACE; default 20s).")
        Duration shutdownGrace;

        @Option(names = "--log-format", defaultValue = "text",
                description = "text or json: one JSON object per line, with req_id and a call's fields apart "
                        + "(env CLAVIS_LOG_FORMAT; default text).")
        String logFormat;

        @Option(names = "--redis-url", paramLabel = "URL",
                description = "Redis that every node's rate limits share, e.g. redis://127.0.0.1:6379 (env CLAVIS_REDIS_URL; "
                        + "default none: each node limits on its own).")
        String redisUrl;

        @Option(names = "--job-lease", defaultValue = "30s", converter = DurationConverter.class,
                description = "How long a node holds a background job (download, training) between renewals; when a node "
                        + "stops, another takes its jobs over after this (env CLAVIS_JOB_LEASE; default 30s).")
        Duration jobLease;

        @Option(names = "--job-queue-limit", defaultValue = "10000",
                description = "Background jobs waiting or running on all nodes together beyond which new ones are refused "
                        + "with 10030 TRY_AGAIN (env CLAVIS_JOB_QUEUE_LIMIT; default 10000).")
        int jobQueueLimit;

        @Option(names = "--audit-retention", defaultValue = "365d", converter = DurationConverter.class,
                description = "How long audit log entries are kept, e.g. 365d (env CLAVIS_AUDIT_RETENTION; default 365d).")
        Duration auditRetention;

        @Option(names = "--leak-report-keys", paramLabel = "FILE",
                description = "Public keys of the secret scanners that may report leaked secrets to POST "
                        + "/v2/secret_scanning/reports, in GitHub's format (env CLAVIS_LEAK_REPORT_KEYS; default none: refused).")
        Path leakReportKeys;

        @Option(names = "--audit-log", paramLabel = "FILE",
                description = "File the audit channel (credential events) is appended to, apart from the other "
                        + "logs (env CLAVIS_AUDIT_LOG; default: standard output with them).")
        Path auditLog;

        @Override
        public Integer call() throws InterruptedException, IOException {
            LogFormat format = LogFormat.parse(logFormat);
            format.apply();
            if (auditLog != null) AuditLog.routeTo(auditLog, format);
            Config config = storage.config().withHost(host).withPorts(port, grpcPort).withGrpcTls(tlsCert, tlsKey)
                    .withTrustedProxies((trustedProxies == null ? List.<String>of() : trustedProxies).stream()
                            .filter(s -> !s.isBlank()).map(Main::trustedProxy).toList())
                    .withCorsOrigins((corsOrigins == null ? List.<String>of() : corsOrigins).stream()
                            .map(String::strip).filter(s -> !s.isBlank()).toList())
                    .withLimits(maxBodyBytes, rateLimit)
                    .withMaxImagePixels(maxImagePixels)
                    .withFetchAllowHosts(fetchAllowHosts == null ? Set.of() : Set.copyOf(fetchAllowHosts))
                    .withPortalSignup(portalSignup)
                    .withSecretKey(!recoverableSecrets ? null : MasterKeyFile.resolve(secretKeyFile, storage.config().dataDir(),
                            storage.config().databaseUrl() == null, true))
                    .withShutdownGrace(shutdownGrace)
                    .withLeakReportKeys(leakReportKeys)
                    .withAuditRetention(auditRetention)
                    .withRedisUrl(redisUrl)
                    .withJobs(jobLease, jobQueueLimit);
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

    /** {@code 20s}, {@code 1500ms}, {@code 2m}, {@code 365d}, or a number of seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(java.util.Locale.ROOT);
            try {
                if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                if (v.endsWith("s")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                if (v.endsWith("m")) return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                if (v.endsWith("d")) return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("a duration such as 20s, 1500ms or 2m, not '" + value + "'");
            }
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
}
