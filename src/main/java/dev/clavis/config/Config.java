package dev.clavis.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

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
        byte[] secretKey) {

    public static Config defaults() {
        return new Config("0.0.0.0", 8080, 18080, Path.of("data"), null, null, null,
                8 * 1024 * 1024, 100, Duration.ofHours(12), 40_000_000L, Set.of(), true, null);
    }

    public Config withPorts(int http, int grpc) {
        return new Config(host, http, grpc, dataDir, databaseUrl, grpcTlsCert, grpcTlsKey, maxBodyBytes, rateLimit, sessionLifetime, maxImagePixels, fetchAllowHosts, portalSignup, secretKey);
    }

    public Config withDatabase(Path dir, String url) {
        return new Config(host, httpPort, grpcPort, dir, url, grpcTlsCert, grpcTlsKey, maxBodyBytes, rateLimit, sessionLifetime, maxImagePixels, fetchAllowHosts, portalSignup, secretKey);
    }

    public Config withGrpcTls(Path cert, Path key) {
        return new Config(host, httpPort, grpcPort, dataDir, databaseUrl, cert, key, maxBodyBytes, rateLimit, sessionLifetime, maxImagePixels, fetchAllowHosts, portalSignup, secretKey);
    }

    public Config withLimits(int bodyBytes, int perSecond) {
        return new Config(host, httpPort, grpcPort, dataDir, databaseUrl, grpcTlsCert, grpcTlsKey, bodyBytes, perSecond, sessionLifetime, maxImagePixels, fetchAllowHosts, portalSignup, secretKey);
    }

    public Config withMaxImagePixels(long pixels) {
        return new Config(host, httpPort, grpcPort, dataDir, databaseUrl, grpcTlsCert, grpcTlsKey, maxBodyBytes, rateLimit, sessionLifetime, pixels, fetchAllowHosts, portalSignup, secretKey);
    }

    public Config withFetchAllowHosts(Set<String> hosts) {
        return new Config(host, httpPort, grpcPort, dataDir, databaseUrl, grpcTlsCert, grpcTlsKey, maxBodyBytes, rateLimit,
                sessionLifetime, maxImagePixels, Set.copyOf(hosts), portalSignup, secretKey);
    }

    public Config withPortalSignup(boolean enabled) {
        return new Config(host, httpPort, grpcPort, dataDir, databaseUrl, grpcTlsCert, grpcTlsKey, maxBodyBytes, rateLimit,
                sessionLifetime, maxImagePixels, fetchAllowHosts, enabled, secretKey);
    }

    public Config withSecretKey(byte[] key) {
        return new Config(host, httpPort, grpcPort, dataDir, databaseUrl, grpcTlsCert, grpcTlsKey, maxBodyBytes, rateLimit,
                sessionLifetime, maxImagePixels, fetchAllowHosts, portalSignup, key == null ? null : key.clone());
    }

    /** The JDBC URL to open: the configured one, or SQLite in the data directory. */
    public String jdbcUrl() {
        return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + dataDir.resolve("clavis.db");
    }

    public boolean grpcTls() {
        return grpcTlsCert != null;
    }

    public Config validate() {
        requirePort("port", httpPort);
        requirePort("grpc-port", grpcPort);
        if (databaseUrl == null && dataDir == null) throw new IllegalArgumentException("data: a directory is required");
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:sqlite:") && !databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database-url: expected jdbc:sqlite:... or jdbc:postgresql:..., got " + masked(databaseUrl));
        }
        if ((grpcTlsCert == null) != (grpcTlsKey == null)) {
            throw new IllegalArgumentException("grpc-tls-cert and grpc-tls-key: set both or neither");
        }
        if (grpcTlsCert != null && (!Files.isReadable(grpcTlsCert) || !Files.isReadable(grpcTlsKey))) {
            throw new IllegalArgumentException("grpc-tls-cert / grpc-tls-key: files not readable");
        }
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("max-body-bytes: at least 1024");
        if (rateLimit < 0) throw new IllegalArgumentException("rate-limit: 0 (off) or more");
        if (maxImagePixels < 1) throw new IllegalArgumentException("max-image-pixels: at least 1");
        if (secretKey != null && secretKey.length != 32) throw new IllegalArgumentException("secret-key: 32 bytes, base64-encoded");
        if (sessionLifetime.isNegative() || sessionLifetime.isZero()) {
            throw new IllegalArgumentException("session lifetime must be positive");
        }
        return this;
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException(name + ": 0 to 65535, got " + port);
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
                + ", recoverableSecrets=" + (secretKey != null) + "]";
    }
}
