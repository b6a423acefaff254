package dev.clavis.jobs;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;

/**
 * A node's hold on one job. Every write the work makes goes through {@link #write} or
 * {@link #finish}, in one transaction with a check that the row still names this node and this
 * attempt: a node whose lease ran out, and whose job another node took over, has its writes
 * rolled back instead of overwriting the new holder's.
 */
public final class Lease {
    private final Jdbi jdbi;
    private final Job job;
    private final String owner;
    private final Duration length;
    private final Clock clock;
    private volatile boolean lost;
    private volatile boolean failed;

    Lease(Jdbi jdbi, Job job, String owner, Duration length, Clock clock) {
        this.jdbi = jdbi;
        this.job = job;
        this.owner = owner;
        this.length = length;
        this.clock = clock;
    }

    /** The job's lease was taken over or ended: this node's work on it no longer counts. */
    public static final class Lost extends RuntimeException {
        Lost(Job job) {
            super("job " + job.id() + " (" + job.kind() + " " + job.target() + ", attempt " + job.attempt()
                    + ") is no longer this node's", null, false, false);
        }
    }

    public Job job() {
        return job;
    }

    /** Whether a renewal found the job taken over; long work may stop early. */
    public boolean lost() {
        return lost;
    }

    /** Writes progress (a status, say) while renewing the lease; throws {@link Lost} and writes nothing if it is gone. */
    public void write(HandleConsumer<RuntimeException> writes) {
        jdbi.useTransaction(h -> {
            hold(h.attach(JobStore.class).renew(job.id(), owner, job.attempt(), leaseEnd()));
            writes.useHandle(h);
        });
    }

    /**
     * Ends the job with its outcome and the work's result, in one transaction; throws
     * {@link Lost} and writes nothing when the job is no longer this node's.
     */
    public void finish(boolean succeeded, String outcome, HandleConsumer<RuntimeException> writes) {
        jdbi.useTransaction(h -> {
            hold(h.attach(JobStore.class).finish(job.id(), owner, job.attempt(), succeeded ? "done" : "failed", outcome,
                    clock.millis()));
            writes.useHandle(h);
        });
        failed = !succeeded;
    }

    /** Whether the job was finished as failed. */
    boolean failed() {
        return failed;
    }

    /** Extends the lease; false (and lost from now on) when another node has the job. */
    boolean renew() {
        if (jdbi.withExtension(JobStore.class, store -> store.renew(job.id(), owner, job.attempt(), leaseEnd())) == 0) {
            lost = true;
        }
        return !lost;
    }

    private long leaseEnd() {
        return clock.millis() + length.toMillis();
    }

    private void hold(int rowsMatched) {
        if (rowsMatched == 0) {
            lost = true;
            throw new Lost(job);
        }
    }
}
