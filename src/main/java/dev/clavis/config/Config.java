package dev.clavis.config;

import dev.clavis.net.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything Clavis needs to start. Build it with {@link #defaults()} and the {@code with...}
 * methods, then {@link #validate()}: it fails naming the setting that is wrong.
 *
 * @param databaseUrl    a JDBC URL; null means SQLite under {@code dataDir}
 * @param grpcTlsCert    PEM certificate chain for the gRPC port; with the key, gRPC speaks TLS
 * @param maxBodyBytes   the largest request body (REST) or message (gRPC) accepted
 * @param rateLimit      requests per second per credential; 0 switches limiting off
 * @param maxImagePixels the largest image (width × height) decoded; larger ones are refused
 * @param fetchAllowHosts hosts or addresses that input URLs may name although they are loopback or
 *                       private (by default none: such URLs are refused)
 * @param portalSignup   whether anyone may create an account in the portal
 * @param secretKey      32-byte master key: with it, key secrets are kept sealed so the portal can
 *                       copy them later; null keeps only hashes (secrets shown once)
 * @param trustedProxies reverse proxies whose forwarded client address and scheme are believed
 * @param shutdownGrace  how long calls in flight may take to finish once shutdown begins
 * @param leakReportKeys the secret scanners' public keys (GitHub's format); null: leak reports are refused
 * @param auditRetention how long audit log entries are kept
 * @param redisUrl       Redis that every node's rate limits share; null: each node limits on its own
 * @param jobLease       how long a node holds a background job without renewing its lease; a job
 *                       whose node stopped renewing is taken over by another node after this
 * @param jobQueueLimit  background jobs waiting or running, on all nodes together, beyond which new
 *                       work is refused
 */
public record Config(
        String host,
        int httpPort,
        int grpcPort,
        Path dataDir,
        String databaseUrl,
        Path grpcTlsCert,
        Path grpcTlsKey,
        int maxBodyBytes,
        int rateLimit,
        Duration sessionLifetime,
        long maxImagePixels,
        Set<String> fetchAllowHosts,
        boolean portalSignup,
        byte[] secretKey,
        List<Cidr> trustedProxies,
        List<String> corsOrigins,
        Duration shutdownGrace,
        Path leakReportKeys,
        Duration auditRetention,
        String redisUrl,
        Duration jobLease,
        int jobQueueLimit) {

    public static Config defaults() {
        return new Config("0.0.0.0", 8080, 18080, Path.of("data"), null, null, null,
                8 * 1024 * 1024, 100, Duration.ofHours(12), 40_000_000L, Set.of(), true, null, List.of(), List.of(),
                Duration.ofSeconds(20), null, Duration.ofDays(365), null, Duration.ofSeconds(30), 10_000);
    }

    public Config withHost(String address) {
        return with(b -> b.host = address);
    }

    public Config withPorts(int http, int grpc) {
        return with(b -> {
            b.httpPort = http;
            b.grpcPort = grpc;
        });
    }

    public Config withDatabase(Path dir, String url) {
        return with(b -> {
            b.dataDir = dir;
            b.databaseUrl = url;
        });
    }

    public Config withGrpcTls(Path cert, Path key) {
        return with(b -> {
            b.grpcTlsCert = cert;
            b.grpcTlsKey = key;
        });
    }

    public Config withLimits(int bodyBytes, int perSecond) {
        return with(b -> {
            b.maxBodyBytes = bodyBytes;
            b.rateLimit = perSecond;
        });
    }

    public Config withMaxImagePixels(long pixels) {
        return with(b -> b.maxImagePixels = pixels);
    }

    public Config withFetchAllowHosts(Set<String> hosts) {
        return with(b -> b.fetchAllowHosts = Set.copyOf(hosts));
    }

    public Config withPortalSignup(boolean enabled) {
        return with(b -> b.portalSignup = enabled);
    }

    public Config withSecretKey(byte[] key) {
        return with(b -> b.secretKey = key == null ? null : key.clone());
    }

    /** Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (see {@code net.ClientAddresses}). */
    public Config withTrustedProxies(List<Cidr> ranges) {
        return with(b -> b.trustedProxies = List.copyOf(ranges));
    }

    /** Web origins whose pages may call the API from a browser; {@code *} for any. */
    public Config withCorsOrigins(List<String> origins) {
        return with(b -> b.corsOrigins = List.copyOf(origins));
    }

    public Config withShutdownGrace(Duration grace) {
        return with(b -> b.shutdownGrace = grace);
    }

    public Config withRedisUrl(String url) {
        return with(b -> b.redisUrl = url == null || url.isBlank() ? null : url.strip());
    }

    public Config withJobs(Duration lease, int queueLimit) {
        return with(b -> {
            b.jobLease = lease;
            b.jobQueueLimit = queueLimit;
        });
    }

    public Config withAuditRetention(Duration kept) {
        return with(b -> b.auditRetention = kept);
    }

    public Config withLeakReportKeys(Path file) {
        return with(b -> b.leakReportKeys = file);
    }

    /** A copy with some settings changed: the one place that lists every component. */
    private Config with(Consumer<Settings> change) {
        Settings b = new Settings(this);
        change.accept(b);
        return new Config(b.host, b.httpPort, b.grpcPort, b.dataDir, b.databaseUrl, b.grpcTlsCert, b.grpcTlsKey,
                b.maxBodyBytes, b.rateLimit, b.sessionLifetime, b.maxImagePixels, b.fetchAllowHosts, b.portalSignup,
                b.secretKey, b.trustedProxies, b.corsOrigins, b.shutdownGrace,
                b.leakReportKeys, b.auditRetention, b.redisUrl, b.jobLease, b.jobQueueLimit);
    }

    /** The components, open to change while a copy is made. */
    private static final class Settings {
        String host;
        int httpPort;
        int grpcPort;
        Path dataDir;
        String databaseUrl;
        Path grpcTlsCert;
        Path grpcTlsKey;
        int maxBodyBytes;
        int rateLimit;
        Duration sessionLifetime;
        long maxImagePixels;
        Set<String> fetchAllowHosts;
        boolean portalSignup;
        byte[] secretKey;
        List<Cidr> trustedProxies;
        List<String> corsOrigins;
        Duration shutdownGrace;
        Path leakReportKeys;
        Duration auditRetention;
        String redisUrl;
        Duration jobLease;
        int jobQueueLimit;

        Settings(Config c) {
            host = c.host;
            httpPort = c.httpPort;
            grpcPort = c.grpcPort;
            dataDir = c.dataDir;
            databaseUrl = c.databaseUrl;
            grpcTlsCert = c.grpcTlsCert;
            grpcTlsKey = c.grpcTlsKey;
            maxBodyBytes = c.maxBodyBytes;
            rateLimit = c.rateLimit;
            sessionLifetime = c.sessionLifetime;
            maxImagePixels = c.maxImagePixels;
            fetchAllowHosts = c.fetchAllowHosts;
            portalSignup = c.portalSignup;
            secretKey = c.secretKey;
            trustedProxies = c.trustedProxies;
            corsOrigins = c.corsOrigins;
            shutdownGrace = c.shutdownGrace;
            leakReportKeys = c.leakReportKeys;
            auditRetention = c.auditRetention;
            redisUrl = c.redisUrl;
            jobLease = c.jobLease;
            jobQueueLimit = c.jobQueueLimit;
        }
    }

    /** The JDBC URL to open: the configured one, or SQLite in the data directory. */
    public String jdbcUrl() {
        return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + dataDir.resolve("clavis.db");
    }

    public boolean grpcTls() {
        return grpcTlsCert != null;
    }

    /** This config, or a refusal listing every setting that is wrong, one per line. */
    public Config validate() {
        List<String> problems = new ArrayList<>();
        if (host == null || host.isBlank() || Cidr.address(host).isEmpty()) {
            problems.add("host: an IP address to listen on, such as 0.0.0.0 or 127.0.0.1, got " + host);
        }
        requirePort(problems, "port", httpPort);
        requirePort(problems, "grpc-port", grpcPort);
        if (databaseUrl == null && dataDir == null) problems.add("data: a directory is required");
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:sqlite:") && !databaseUrl.startsWith("jdbc:postgresql:")) {
            problems.add("database-url: expected jdbc:sqlite:... or jdbc:postgresql:..., got " + masked(databaseUrl));
        }
        if ((grpcTlsCert == null) != (grpcTlsKey == null)) {
            problems.add("grpc-tls-cert and grpc-tls-key: set both or neither");
        }
        if (grpcTlsCert != null && grpcTlsKey != null && (!Files.isReadable(grpcTlsCert) || !Files.isReadable(grpcTlsKey))) {
            problems.add("grpc-tls-cert / grpc-tls-key: files not readable");
        }
        if (maxBodyBytes < 1024) problems.add("max-body-bytes: at least 1024");
        if (rateLimit < 0) problems.add("rate-limit: 0 (off) or more");
        if (maxImagePixels < 1) problems.add("max-image-pixels: at least 1");
        for (String origin : corsOrigins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                problems.add("cors-origins: an origin is scheme://host[:port] or *, got " + origin);
            }
        }
        if (secretKey != null && secretKey.length != 32) problems.add("secret-key: 32 bytes, base64-encoded");
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            problems.add("shutdown-grace: zero or more, such as 20s");
        }
        if (redisUrl != null && !redisUrl.matches("redis://[^/\\s]+(/\\d+)?")) {
            problems.add("redis-url: redis://[user:password@]host[:port][/db], got " + masked(redisUrl));
        }
        if (jobLease == null || jobLease.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("job-lease: at least 1s, such as 30s");
        }
        if (jobQueueLimit < 1) problems.add("job-queue-limit: at least 1");
        if (auditRetention == null || auditRetention.compareTo(Duration.ofDays(1)) < 0) {
            problems.add("audit-retention: at least 1 day, such as 365d");
        }
        if (sessionLifetime.isNegative() || sessionLifetime.isZero()) {
            problems.add("session lifetime must be positive");
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("\n", problems));
        return this;
    }

    private static void requirePort(List<String> problems, String name, int port) {
        if (port < 0 || port > 65535) problems.add(name + ": 0 to 65535, got " + port);
    }

    /** A JDBC URL with any password replaced, fit for logs. */
    public static String masked(String url) {
        if (url == null) return null;
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    @Override
    public String toString() {
        return "Config[host=" + host + ", port=" + httpPort + ", grpcPort=" + grpcPort + ", database=" + masked(jdbcUrl())
                + ", grpcTls=" + grpcTls() + ", maxBodyBytes=" + maxBodyBytes + ", rateLimit=" + rateLimit
                + ", sessionLifetime=" + sessionLifetime + ", maxImagePixels=" + maxImagePixels
                + ", fetchAllowHosts=" + fetchAllowHosts + ", portalSignup=" + portalSignup
                + ", recoverableSecrets=" + (secretKey != null) + ", trustedProxies=" + trustedProxies + ", corsOrigins=" + corsOrigins
                + ", shutdownGrace=" + shutdownGrace + ", leakReportKeys=" + leakReportKeys
                + ", auditRetention=" + auditRetention + ", redis=" + (redisUrl == null ? "none" : masked(redisUrl))
                + ", jobLease=" + jobLease + ", jobQueueLimit=" + jobQueueLimit + "]";
    }
}
