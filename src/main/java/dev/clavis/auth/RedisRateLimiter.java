package dev.clavis.auth;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Rate limits every node shares: one atomic Redis script per call (GCRA, the generic cell rate
 * algorithm: one timestamp per credential, the theoretical arrival time, on Redis's own clock so
 * that nodes' clocks need not agree), the same rate and burst as the local limiter. When Redis
 * does not answer, each node keeps limiting on its own (fail-open to local limits), says so once
 * per outage and in {@link #shared()}, and tries Redis again a second later.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    /** How long a node limits on its own after Redis failed, before asking it again. */
    private static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int TIMEOUT_MILLIS = 250;
    private static final int POOL_SIZE = 128;
    private static final String GCRA = """
            local interval = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local tat = tonumber(redis.call('GET', KEYS[1]) or now)
            if tat < now then tat = now end
            local next = tat + interval
            local allowed_at = next - interval * burst
            if allowed_at > now then return allowed_at - now end
            redis.call('SET', KEYS[1], next, 'PX', math.ceil(next - now) + 1000)
            return 0
            """;

    private final RedisClient redis;
    private final int perSecond;
    private final RateLimiter fallback;
    private final String where;
    private volatile String scriptSha;
    private volatile boolean shared = true;
    private volatile long retryAt;

    /** @param url {@code redis://[user:password@]host[:port][/db]} */
    public RedisRateLimiter(String url, int perSecond) {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("redis-url: redis://host[:port][/db], got " + url);
        }
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MILLIS).socketTimeoutMillis(TIMEOUT_MILLIS);
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            if (parts.length == 2) {
                if (!parts[0].isEmpty()) config.user(parts[0]);
                config.password(parts[1]);
            } else {
                config.password(parts[0]);
            }
        }
        String db = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        if (!db.isEmpty()) config.database(Integer.parseInt(db));
        // As many connections as request threads may ask at once: the default pool of 8 made
        // callers queue for a connection (measured: a quarter of the local limiter's rate).
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        this.redis = RedisClient.builder().hostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())
                .clientConfig(config.build()).poolConfig(pool).build();
        this.perSecond = perSecond;
        this.fallback = RateLimiter.local(perSecond);
        this.where = uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    @Override
    public Duration acquire(String credential, Integer ownPerSecond) {
        int rate = ownPerSecond != null ? ownPerSecond : perSecond;
        if (rate <= 0) return Duration.ZERO;
        if (!shared && System.nanoTime() - retryAt < 0) return fallback.acquire(credential, ownPerSecond);
        try {
            long waitMillis = gcra("clavis:rate:" + credential, rate);
            if (!shared) {
                shared = true;
                log.info("Redis at {} answers again: rate limits are shared by every node", where);
            }
            return Duration.ofMillis(waitMillis);
        } catch (JedisException unreachable) {
            if (shared) {
                shared = false;
                log.warn("Redis at {} does not answer ({}): each node limits on its own until it does", where,
                        unreachable.getMessage());
            }
            retryAt = System.nanoTime() + RETRY_NANOS;
            return fallback.acquire(credential, ownPerSecond);
        }
    }

    private long gcra(String key, int rate) {
        List<String> keys = List.of(key);
        List<String> args = List.of(Double.toString(1000.0 / rate), Integer.toString(rate));
        String sha = scriptSha;
        if (sha == null) {
            sha = redis.scriptLoad(GCRA);
            scriptSha = sha;
        }
        try {
            return ((Number) redis.evalsha(sha, keys, args)).longValue();
        } catch (JedisNoScriptException restarted) {
            // Redis restarted and forgot its scripts: load it again.
            scriptSha = redis.scriptLoad(GCRA);
            return ((Number) redis.evalsha(scriptSha, keys, args)).longValue();
        }
    }

    /** Whether limits are shared through Redis now (false while it does not answer). */
    public boolean shared() {
        return shared;
    }

    /** {@code clavis_rate_limits_shared}: 1 while Redis answers, 0 while each node limits on its own. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("clavis.rate.limits.shared", this, limiter -> limiter.shared ? 1 : 0)
                .description("1 while rate limits are shared through Redis; 0 while each node limits on its own").register(registry);
    }

    @Override
    public void close() {
        redis.close();
    }
}
