package dev.clavis.bench;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A closed-loop load generator: a fixed number of calls from a few threads, bounded in time too. */
final class Load {
    private static final long MAX_SECONDS = 120;

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private Load() {}

    /** Runs the calls and prints throughput and latency percentiles. */
    static void measure(String name, Call call, int requests, int threads) throws Exception {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        Future<?>[] workers = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests && System.nanoTime() < deadline) {
                    long s = System.nanoTime();
                    call.run();
                    latencies[i] = System.nanoTime() - s;
                }
                return null;
            });
        }
        for (Future<?> w : workers) w.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        int done = Math.min(next.get(), requests);
        long[] sorted = Arrays.copyOf(latencies, done);
        Arrays.sort(sorted);
        System.out.printf("%-22s %6d req in %6.2f s = %7.1f req/s; latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                name, done, seconds, done / seconds, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[done - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }
}
