package dev.clavis.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.clarifai.grpc.api.status.StatusCode;
import dev.clavis.db.Database;
import dev.clavis.protocol.ApiException;
import dev.clavis.testing.MutableClock;
import dev.clavis.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job table's rules, on SQLite and on PostgreSQL: claims, leases and their fencing, the
 * bounded queue, giving up, and handing jobs back on shutdown. Time is the test's clock, so a
 * lease runs out when the test says so.
 */
abstract class JobTableTest {
    static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path tempDir;
    private Database database;
    Jdbi jdbi;
    final MutableClock clock = new MutableClock();

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void open() {
        database = Database.open(TestDatabases.url(kind(), tempDir));
        jdbi = database.jdbi();
        jdbi.useHandle(h -> h.execute("CREATE TABLE marks (job BIGINT, node TEXT)"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    void add(String... targets) {
        JobQueue queue = new JobQueue(100, clock);
        jdbi.useTransaction(h -> queue.add(h, Job.DOWNLOAD, "alice", "app", List.of(targets)));
    }

    Optional<Lease> claim(String node) {
        long now = clock.millis();
        return jdbi.withExtension(JobStore.class, s -> s.claim(Job.DOWNLOAD, node, now, now + LEASE.toMillis(),
                        database.isSqlite() ? "" : "FOR UPDATE SKIP LOCKED"))
                .map(job -> new Lease(jdbi, job, node, LEASE, clock));
    }

    private JobStore.Row row(String target) {
        return jdbi.withExtension(JobStore.class, s -> s.find(Job.DOWNLOAD, "alice", "app", target)).get(0);
    }

    private static void mark(Handle h, Lease lease, String node) {
        h.execute("INSERT INTO marks (job, node) VALUES (?, ?)", lease.job().id(), node);
    }

    private List<String> marks() {
        return jdbi.withHandle(h -> h.createQuery("SELECT node FROM marks ORDER BY node").mapTo(String.class).list());
    }

    @Test
    void jobs_are_claimed_oldest_first_once_each_and_keep_their_outcome() {
        add("first", "second");
        Lease a = claim("node-a").orElseThrow();
        Lease b = claim("node-b").orElseThrow();
        assertEquals(List.of("first", "second"), List.of(a.job().target(), b.job().target()));
        assertEquals(Optional.empty(), claim("node-c"), "nothing left to claim");

        a.finish(true, "Stored 3 bytes.", h -> mark(h, a, "node-a"));
        b.finish(false, "Not an image.", h -> mark(h, b, "node-b"));
        assertEquals("done", row("first").state());
        assertEquals("Stored 3 bytes.", row("first").outcome());
        assertEquals("failed", row("second").state());
        assertEquals("Not an image.", row("second").outcome());
        assertEquals(List.of("node-a", "node-b"), marks(), "each result written with its job's end");
        assertEquals(Optional.empty(), claim("node-c"), "finished jobs are not claimed again");
    }

    @Test
    void a_job_whose_lease_ran_out_is_taken_over_and_the_old_holder_can_no_longer_write() {
        add("slow");
        Lease first = claim("node-a").orElseThrow();
        clock.advance(LEASE.minusSeconds(1));
        assertEquals(Optional.empty(), claim("node-b"), "a live lease is respected");

        clock.advance(Duration.ofSeconds(2)); // node-a stopped renewing: its lease ran out
        Lease second = claim("node-b").orElseThrow();
        assertEquals(first.job().id(), second.job().id());
        assertEquals(2, second.job().attempt());
        assertEquals("node-b", row("slow").owner());

        // node-a wakes up and tries to write its progress and its result: both refused, nothing kept.
        assertThrows(Lease.Lost.class, () -> first.write(h -> mark(h, first, "node-a progress")));
        assertThrows(Lease.Lost.class, () -> first.finish(true, "late", h -> mark(h, first, "node-a")));
        assertFalse(first.renew());
        assertTrue(first.lost());
        assertEquals(List.of(), marks());
        assertEquals("running", row("slow").state());

        second.finish(true, "done by b", h -> mark(h, second, "node-b"));
        assertEquals(List.of("node-b"), marks());
        assertEquals("done by b", row("slow").outcome());
    }

    @Test
    void a_renewed_lease_outlives_its_first_term() {
        add("long");
        Lease holder = claim("node-a").orElseThrow();
        clock.advance(LEASE.dividedBy(2));
        assertTrue(holder.renew());
        clock.advance(LEASE.dividedBy(2).plusSeconds(5)); // past the first term, within the renewed one
        assertEquals(Optional.empty(), claim("node-b"));
        holder.write(h -> mark(h, holder, "progress")); // a write renews too
        clock.advance(LEASE.minusSeconds(1));
        assertEquals(Optional.empty(), claim("node-b"));
        holder.finish(true, "", h -> {});
        assertEquals("done", row("long").state());
    }

    @Test
    void a_full_queue_refuses_new_work_and_the_transaction_that_asked_keeps_nothing() {
        JobQueue queue = new JobQueue(2, clock);
        jdbi.useTransaction(h -> queue.add(h, Job.DOWNLOAD, "alice", "app", List.of("one", "two")));
        ApiException refused = assertThrows(ApiException.class, () -> jdbi.useTransaction(h -> {
            h.execute("INSERT INTO marks (job, node) VALUES (0, 'the input of the refused request')");
            queue.add(h, Job.DOWNLOAD, "alice", "app", List.of("three"));
        }));
        assertEquals(StatusCode.TRY_AGAIN, refused.code());
        assertEquals(503, refused.httpStatus());
        assertEquals(JobQueue.RETRY_AFTER, refused.retryAfter());
        assertTrue(refused.details().contains("queue is full"), refused.details());
        assertEquals(List.of(), marks(), "what the refused request wrote rolled back with it");
        assertEquals(List.of(), jdbi.withExtension(JobStore.class, s -> s.find(Job.DOWNLOAD, "alice", "app", "three")));

        // Finished jobs no longer count against the limit.
        Lease done = claim("node-a").orElseThrow();
        done.finish(true, "", h -> {});
        jdbi.useTransaction(h -> queue.add(h, Job.DOWNLOAD, "alice", "app", List.of("three")));
    }

    @Test
    void a_job_whose_nodes_keep_dying_is_given_up_with_the_reason() throws Exception {
        add("poison");
        for (int i = 0; i < JobWorkers.MAX_ATTEMPTS; i++) {
            assertTrue(claim("doomed-" + i).isPresent());
            clock.advance(LEASE.plusSeconds(1));
        }
        CompletableFuture<String> abandoned = new CompletableFuture<>();
        JobWorkers workers = new JobWorkers(jdbi, !database.isSqlite(), "survivor", LEASE, Duration.ofMillis(50), clock)
                .register(Job.DOWNLOAD, 1, new JobWorkers.Handler() {
                    @Override
                    public void run(Lease lease) {
                        abandoned.completeExceptionally(new AssertionError("a job past its attempts must not run"));
                    }

                    @Override
                    public void abandon(Handle transaction, Job job, String why) {
                        abandoned.complete(why);
                    }
                });
        workers.start();
        try {
            String why = abandoned.get(10, TimeUnit.SECONDS);
            assertTrue(why.startsWith("Given up after " + JobWorkers.MAX_ATTEMPTS + " attempts"), why);
            awaitState("poison", "failed");
            assertEquals(why, row("poison").outcome());
        } finally {
            workers.close();
        }
    }

    @Test
    void a_node_that_stops_hands_its_running_jobs_back_and_its_late_result_is_refused() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Throwable> lateFinish = new CompletableFuture<>();
        JobWorkers workers = new JobWorkers(jdbi, !database.isSqlite(), "stopping", LEASE, Duration.ofMillis(50), clock)
                .register(Job.DOWNLOAD, 1, new JobWorkers.Handler() {
                    @Override
                    public void run(Lease lease) throws InterruptedException {
                        running.countDown();
                        release.await();
                        try {
                            lease.finish(true, "late", h -> mark(h, lease, "stopping"));
                            lateFinish.complete(null);
                        } catch (Lease.Lost lost) {
                            lateFinish.complete(lost);
                            throw lost;
                        }
                    }

                    @Override
                    public void abandon(Handle transaction, Job job, String why) {}
                });
        workers.start();
        add("busy");
        workers.wake(Job.DOWNLOAD);
        assertTrue(running.await(10, TimeUnit.SECONDS));
        workers.close(Duration.ZERO);
        assertEquals("queued", row("busy").state(), "handed back at once, not after the lease");
        assertEquals(null, row("busy").owner());

        Lease successor = claim("other-node").orElseThrow();
        release.countDown();
        assertTrue(lateFinish.get(10, TimeUnit.SECONDS) instanceof Lease.Lost, "the stopped node's result is refused");
        assertEquals(List.of(), marks());
        successor.finish(true, "", h -> mark(h, successor, "other-node"));
        assertEquals(List.of("other-node"), marks());
    }

    private void awaitState(String target, String state) throws InterruptedException {
        for (int i = 0; i < 200 && !row(target).state().equals(state); i++) Thread.sleep(25);
        assertEquals(state, row(target).state());
    }
}

class SqliteJobTableTest extends JobTableTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class PostgresJobTableTest extends JobTableTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }

    /**
     * Two nodes claiming at the same moment: the first holds its claimed row locked in an open
     * transaction, and the second, instead of waiting for it (or taking the same job), skips it
     * and takes the next. Forced by holding the first transaction open.
     */
    @Test
    void a_claim_skips_the_row_another_node_is_claiming_instead_of_waiting_for_it() {
        add("first", "second");
        long now = clock.millis();
        try (Handle first = jdbi.open()) {
            first.begin();
            Job mine = first.attach(JobStore.class).claim(Job.DOWNLOAD, "node-a", now, now + LEASE.toMillis(),
                    "FOR UPDATE SKIP LOCKED").orElseThrow();
            assertEquals("first", mine.target());
            // node-a's transaction is still open, its row locked.
            Job other = claim("node-b").orElseThrow().job();
            assertEquals("second", other.target(), "skipped the locked row, did not block on it");
            assertNotEquals(mine.id(), other.id());
            first.commit();
        }
    }
}
