package dev.clavis.keys;

import com.clarifai.grpc.api.status.StatusCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;

/**
 * Each credential's requests per hour, by method and outcome ({@code success}, {@code refused:<code>}
 * for the caller's faults, {@code error}), and the address it was last used from. Counted in memory
 * on the request path (a map lookup and an add) and written in batches, like last-used times: no
 * write per request. Kept {@link #RETENTION}.
 */
public final class CredentialUsage {
    public static final Duration RETENTION = Duration.ofDays(90);
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private record Bucket(String publicId, long start, String method, String outcome) {}

    private final Jdbi jdbi;
    private final Clock clock;
    /**
     * Counted into now; at each flush it is retired and a fresh one takes its place, and what was
     * retired at the flush before is written. A request that took the map just before the swap
     * has long finished adding to it by then, so nothing counted is lost, and a busy key's
     * threads add to a LongAdder rather than queue on a lock.
     */
    private volatile Map<Bucket, LongAdder> counts = new ConcurrentHashMap<>();
    private Map<Bucket, LongAdder> retired = Map.of();
    private final Map<String, String> lastAddress = new ConcurrentHashMap<>();

    public CredentialUsage(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** One call made with this credential. */
    public void called(String publicId, String method, StatusCode code, int httpStatus, String address) {
        String outcome = httpStatus < 400 ? "success" : httpStatus < 500 ? "refused:" + code.getNumber() : "error";
        long hour = clock.millis() / HOUR * HOUR;
        Bucket bucket = new Bucket(publicId, hour, method, outcome);
        // A lookup first: computeIfAbsent locks the bucket's bin even when the counter is there.
        Map<Bucket, LongAdder> current = counts;
        LongAdder count = current.get(bucket);
        if (count == null) count = current.computeIfAbsent(bucket, b -> new LongAdder());
        count.increment();
        // Read first: a key's address rarely changes, and a put on every call would have all of
        // its concurrent calls queue on the same map bin.
        if (address != null && !address.equals(lastAddress.get(publicId))) lastAddress.put(publicId, address);
    }

    /** Writes what was counted up to the flush before this one (see {@link #counts}). */
    public synchronized void flush() {
        Map<Bucket, LongAdder> due = retired;
        retired = counts;
        counts = new ConcurrentHashMap<>();
        write(due);
    }

    /** Writes everything counted: at shutdown, once requests have stopped. */
    public synchronized void flushAll() {
        flush();
        flush();
    }

    private void write(Map<Bucket, LongAdder> due) {
        List<String> ids = new ArrayList<>();
        List<Long> hours = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        List<Long> sums = new ArrayList<>();
        due.forEach((bucket, adder) -> {
            ids.add(bucket.publicId());
            hours.add(bucket.start());
            methods.add(bucket.method());
            outcomes.add(bucket.outcome());
            sums.add(adder.sum());
        });
        Map<String, String> addresses = Map.copyOf(lastAddress);
        addresses.forEach(lastAddress::remove);
        if (ids.isEmpty() && addresses.isEmpty()) return;
        jdbi.useTransaction(h -> {
            UsageStore store = h.attach(UsageStore.class);
            if (!ids.isEmpty()) store.add(ids, hours, methods, outcomes, sums);
            addresses.forEach(store::lastAddress);
        });
    }

    /** One period's counts (an hour or a day, UTC) by method and outcome. */
    public record Period(Instant start, String method, String outcome, long count) {}

    /** The stored counts between two times, per hour or per day (summed), oldest first. */
    public List<Period> between(String publicId, Instant from, Instant to, boolean daily) {
        long unit = daily ? Duration.ofDays(1).toMillis() : HOUR;
        Map<Bucket, Long> summed = new LinkedHashMap<>();
        for (UsageStore.Row row : jdbi.onDemand(UsageStore.class).between(publicId, from.toEpochMilli(), to.toEpochMilli())) {
            summed.merge(new Bucket(publicId, row.hour() / unit * unit, row.method(), row.outcome()), row.count(), Long::sum);
        }
        List<Period> out = new ArrayList<>();
        summed.forEach((b, n) -> out.add(new Period(Instant.ofEpochMilli(b.start()), b.method(), b.outcome(), n)));
        return out;
    }

    public String lastAddress(String publicId) {
        return jdbi.onDemand(UsageStore.class).lastAddress(publicId);
    }

    public int prune() {
        return jdbi.onDemand(UsageStore.class).pruneBefore(clock.millis() - RETENTION.toMillis());
    }
}
