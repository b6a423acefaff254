package dev.clavis.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * A benchmark, not a test: how long a key deleted through one node keeps working on the others.
 * Three nodes on one PostgreSQL database (a fresh schema on {@code CLAVIS_TEST_POSTGRES_URL}, by
 * default 127.0.0.1:5432/test). Each trial creates a key, has every other node cache it, deletes
 * it through the first node, and asks the others over HTTP until they refuse it: the time from
 * the DeleteKey answer to each node's first refusal. Then the same with every node's LISTEN
 * connection killed just before each delete, so that only the log's poll can tell them.
 * Run with {@code bench/revocation [trials, default 100]}.
 */
public final class RevocationBench {
    private static final long GIVE_UP_MILLIS = 10_000;

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        String url = TestDatabases.postgres();
        try (TestServer a = new TestServer(url); TestServer b = new TestServer(url); TestServer c = new TestServer(url)) {
            a.createUser("bench");
            a.createApp("bench", "app", false);
            String pat = a.pat("bench");
            List<TestServer> others = List.of(b, c);
            System.out.printf(Locale.ROOT, "3 nodes on one PostgreSQL, %d trials each%n", trials);
            report("notifications flowing", run(a, others, pat, trials, false));
            report("LISTEN connections killed", run(a, others, pat, Math.max(10, trials / 4), true));
        }
    }

    private static List<Double> run(TestServer a, List<TestServer> others, String pat, int trials, boolean killListeners)
            throws InterruptedException {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            String key = a.appKey("bench", "app", List.of("All"), List.of());
            for (TestServer node : others) {
                if (node.rest("GET", "/v2/myscopes", key, null).code() != 10000) throw new IllegalStateException("not cached");
            }
            if (killListeners) {
                a.clavis.database().jdbi().useHandle(h -> h.createQuery(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'clavis-revocation-feed'")
                        .mapTo(Boolean.class).list());
            }
            if (a.rest("DELETE", "/v2/users/bench/keys/" + key, pat, null).code() != 10000) throw new IllegalStateException("delete");
            long deleted = System.nanoTime();
            if (a.rest("GET", "/v2/myscopes", key, null).code() != 11009) throw new IllegalStateException("the serving node accepted it");
            for (TestServer node : others) {
                while (node.rest("GET", "/v2/myscopes", key, null).code() != 11009) {
                    if (System.nanoTime() - deleted > GIVE_UP_MILLIS * 1_000_000) throw new IllegalStateException("never refused");
                }
                millis.add((System.nanoTime() - deleted) / 1e6);
            }
            if (killListeners) Thread.sleep(300); // let the nodes listen again before the next trial
        }
        return millis;
    }

    private static void report(String what, List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        int n = sorted.size();
        long overOneSecond = sorted.stream().filter(ms -> ms > 1000).count();
        System.out.printf(Locale.ROOT, "%-26s %4d refusals: p50 %6.1f ms, p99 %6.1f ms, max %6.1f ms; accepted 1 s after: %d%n",
                what, n, sorted.get(n / 2), sorted.get(Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)), sorted.get(n - 1), overOneSecond);
    }
}
