package dev.clavis.jobs;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's workers for the job table: for each kind of job, a few threads that claim the
 * oldest claimable job, run it under a lease renewed every third of its length, and finish it.
 * They look for work when this node adds some (at once) and otherwise every poll interval (work
 * added on other nodes, and jobs whose node died). A job tried {@value #MAX_ATTEMPTS} times
 * without finishing (its nodes kept dying under it) is given up with a reason instead of run.
 */
public final class JobWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);
    static final int MAX_ATTEMPTS = 5;
    /** Finished jobs are kept this long for operators to read, then pruned. */
    static final Duration KEPT = Duration.ofDays(7);

    /** Does one kind of job. */
    public interface Handler {
        /** Does the job, writing through the lease; a thrown exception fails the job with a generic outcome. */
        void run(Lease lease) throws Exception;

        /** Records, in the job's closing transaction, that the job was given up or failed unexpectedly. */
        void abandon(Handle transaction, Job job, String why);
    }

    private record Kind(String name, int threads, Handler handler, Semaphore wake, LongAdder failed) {}

    private final Jdbi jdbi;
    private final boolean skipLocked;
    private final String node;
    private final Duration lease;
    private final Duration poll;
    private final Clock clock;
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final Set<Lease> held = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService renewals;
    private volatile boolean stopping;
    /** Whether the last claim failed (the database did not answer): logged once per outage. */
    private volatile boolean claimsFailing;

    /**
     * @param postgres whether claims may skip rows other nodes have locked (PostgreSQL)
     * @param node     this node's name in the table, unique among the nodes (host, process and a random part)
     */
    public JobWorkers(Jdbi jdbi, boolean postgres, String node, Duration lease, Duration poll, Clock clock) {
        this.jdbi = jdbi;
        this.skipLocked = postgres;
        this.node = node;
        this.lease = lease;
        this.poll = poll;
        this.clock = clock;
        this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clavis-job-leases");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs jobs of {@code kind} on {@code threads} threads of this node once started. */
    public JobWorkers register(String kind, int threads, Handler handler) {
        kinds.put(kind, new Kind(kind, threads, handler, new Semaphore(0), new LongAdder()));
        return this;
    }

    public synchronized void start() {
        for (Kind kind : kinds.values()) {
            for (int i = 0; i < kind.threads(); i++) {
                Thread t = new Thread(() -> work(kind), "clavis-" + kind.name() + "-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }
        long every = Math.max(1, lease.toMillis() / 3);
        renewals.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
        renewals.scheduleWithFixedDelay(this::prune, 1, 60, TimeUnit.MINUTES);
    }

    /** Jobs of this kind were added: a sleeping worker looks now instead of at its next poll. */
    public void wake(String kind) {
        Kind k = kinds.get(kind);
        if (k != null && k.wake().availablePermits() < k.threads()) k.wake().release();
    }

    public void bindTo(MeterRegistry registry) {
        for (Kind kind : kinds.values()) {
            FunctionCounter.builder("clavis.background.failed", kind.failed(), LongAdder::sum)
                    .description("Background jobs this node ended in failure").tag("queue", kind.name()).register(registry);
            // Cluster-wide: the table is the queue. Two indexed counts a scrape.
            for (String state : List.of("queued", "running")) {
                Gauge.builder("clavis.jobs", () -> jdbi.withExtension(JobStore.class, s -> s.count(kind.name(), state)))
                        .description("Background jobs on all nodes by state").tag("kind", kind.name()).tag("state", state)
                        .register(registry);
            }
        }
        Gauge.builder("clavis.jobs.held", held, Set::size).description("Jobs this node is working on").register(registry);
    }

    private void work(Kind kind) {
        while (!stopping) {
            Optional<Lease> claimed = claim(kind);
            if (claimed.isEmpty()) {
                try {
                    kind.wake().tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            run(kind, claimed.get());
        }
    }

    /** The oldest claimable job of the kind, now this node's; empty when there is none or the database is away. */
    private Optional<Lease> claim(Kind kind) {
        try {
            long now = clock.millis();
            Optional<Job> job = jdbi.withExtension(JobStore.class, store -> store.anyClaimable(kind.name(), now)
                    ? store.claim(kind.name(), node, now, now + lease.toMillis(), skipLocked ? "FOR UPDATE SKIP LOCKED" : "")
                    : Optional.empty());
            if (claimsFailing) log.info("claiming {} jobs again", kind.name());
            claimsFailing = false;
            return job.map(j -> new Lease(jdbi, j, node, lease, clock));
        } catch (RuntimeException e) {
            if (!claimsFailing) log.warn("could not claim {} jobs; retrying every {}", kind.name(), poll, e);
            claimsFailing = true;
            return Optional.empty();
        }
    }

    private void run(Kind kind, Lease claimed) {
        Job job = claimed.job();
        held.add(claimed);
        try {
            if (job.attempt() > MAX_ATTEMPTS) {
                String why = "Given up after " + MAX_ATTEMPTS + " attempts: the nodes working on it stopped each time.";
                log.warn("{} job {} ({}): {}", kind.name(), job.id(), job.target(), why);
                claimed.finish(false, why, h -> kind.handler().abandon(h, job, why));
                kind.failed().increment();
                return;
            }
            kind.handler().run(claimed);
            if (claimed.failed()) kind.failed().increment();
        } catch (Lease.Lost lost) {
            log.warn("{}; its result is left to the node that took it over", lost.getMessage());
        } catch (Exception e) {
            kind.failed().increment();
            log.error("{} job {} ({}) failed unexpectedly", kind.name(), job.id(), job.target(), e);
            String why = "Failed: internal error.";
            try {
                claimed.finish(false, why, h -> kind.handler().abandon(h, job, why));
            } catch (RuntimeException again) {
                log.warn("could not record the failure of {} job {}; its lease will run out and it will be tried again",
                        kind.name(), job.id(), again);
            }
        } finally {
            held.remove(claimed);
        }
    }

    private void renewAll() {
        for (Lease l : held) {
            try {
                if (!l.renew()) log.warn("lost the lease on {} job {}: another node took it over", l.job().kind(), l.job().id());
            } catch (RuntimeException e) {
                log.warn("could not renew the lease on {} job {}", l.job().kind(), l.job().id(), e);
            }
        }
    }

    private void prune() {
        try {
            int pruned = jdbi.withExtension(JobStore.class, s -> s.pruneFinished(clock.millis() - KEPT.toMillis()));
            if (pruned > 0) log.info("pruned {} finished jobs older than {}", pruned, KEPT);
        } catch (RuntimeException e) {
            log.warn("could not prune finished jobs", e);
        }
    }

    /**
     * Stops claiming, gives running jobs up to {@code wait} to finish, and hands the rest back to
     * the queue, so another node claims them at once rather than when their leases run out. A
     * worker still busy with one meanwhile finds its lease gone when it ends.
     */
    public void close(Duration wait) {
        stopping = true;
        // Idle workers wake and leave; busy ones are not interrupted, which would fail their job.
        for (Kind kind : kinds.values()) kind.wake().release(kind.threads());
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        renewals.shutdownNow();
        List<Long> unfinished = held.stream().map(l -> l.job().id()).toList();
        if (!unfinished.isEmpty()) {
            try {
                int released = jdbi.withExtension(JobStore.class, s -> s.release(node, unfinished));
                log.info("handed {} unfinished jobs back to the queue", released);
            } catch (RuntimeException e) {
                log.warn("could not hand jobs {} back; other nodes take them over when their leases run out", unfinished, e);
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
