package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every call as {@code clavis_calls_seconds{door, method, code}}, a histogram. Every label
 * is from a bounded set: the door, the RPC method's name (or {@link #UNROUTED} for a path that
 * names none) and the Clarifai status code; never a path, a user or a credential.
 */
public final class CallMeters {
    /** The method label of requests that reached no method: unknown paths, wrong verbs, unreadable HTTP. */
    public static final String UNROUTED = "unrouted";

    private final MeterRegistry registry;
    /** Micrometer finds a meter by building and hashing its id; this finds it by three plain keys. */
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(Door door, String method, StatusCode code) {
        // Written out: a record's own equals and hashCode go through method handles, which cost
        // a warm call more than recording its time.
        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && door == k.door && code == k.code && method.equals(k.method);
        }

        @Override
        public int hashCode() {
            return (door.ordinal() * 31 + method.hashCode()) * 31 + code.getNumber();
        }
    }

    public CallMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters kept in memory only, for tests and tools that read no metrics. */
    public static CallMeters unexported() {
        return new CallMeters(new SimpleMeterRegistry());
    }

    void observe(Door door, String method, StatusCode code, long nanos) {
        Key key = new Key(door, method, code);
        Timer timer = timers.get(key);
        if (timer == null) timer = timers.computeIfAbsent(key, this::register);
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer register(Key key) {
        return Timer.builder("clavis.calls")
                .description("Calls answered, by door, RPC method and Clarifai status code")
                .tag("door", key.door().label())
                .tag("method", key.method())
                .tag("code", Integer.toString(key.code().getNumber()))
                .publishPercentileHistogram()
                .register(registry);
    }
}
