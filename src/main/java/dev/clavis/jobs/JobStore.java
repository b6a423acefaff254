package dev.clavis.jobs;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the {@code jobs} table (see V14__jobs.sql for the states and the lease). */
@RegisterConstructorMapper(Job.class)
public interface JobStore {
    /** A job's state and outcome, as operators and tests read them. */
    record Row(long id, String kind, String userId, String appId, String target, String state, int attempts, String owner,
               String outcome) {}

    @SqlBatch("""
            INSERT INTO jobs (kind, user_id, app_id, target, state, created_at)
            VALUES (:kind, :userId, :appId, :target, 'queued', :now)
            """)
    void add(String kind, String userId, String appId, List<String> target, long now);

    /** Jobs not yet finished, on every node. */
    @SqlQuery("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")
    long unfinished();

    @SqlQuery("SELECT COUNT(*) FROM jobs WHERE kind = :kind AND state = :state")
    long count(String kind, String state);

    /** Whether a claim could find anything: a read, so an idle poll takes no write lock. */
    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM jobs WHERE kind = :kind
                           AND (state = 'queued' OR (state = 'running' AND lease_until < :now)))
            """)
    boolean anyClaimable(String kind, long now);

    /**
     * Takes the oldest job of a kind that is queued or whose lease ran out, for {@code owner}
     * until {@code leaseUntil}. {@code lock} is {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, so
     * that concurrent claimers pass over each other's rows instead of queueing behind them;
     * SQLite has one writer at a time and needs nothing.
     */
    @SqlQuery("""
            UPDATE jobs SET state = 'running', owner = :owner, lease_until = :leaseUntil, attempts = attempts + 1,
                            started_at = :now
            WHERE id = (SELECT id FROM jobs
                        WHERE kind = :kind AND (state = 'queued' OR (state = 'running' AND lease_until < :now))
                        ORDER BY id LIMIT 1 <lock>)
            RETURNING id, kind, user_id, app_id, target, attempts AS attempt
            """)
    Optional<Job> claim(String kind, String owner, long now, long leaseUntil, @Define("lock") String lock);

    /** Extends a lease; 0 when the job is no longer this owner's attempt (taken over, or finished). */
    @SqlUpdate("""
            UPDATE jobs SET lease_until = :leaseUntil
            WHERE id = :id AND owner = :owner AND attempts = :attempt AND state = 'running'
            """)
    int renew(long id, String owner, int attempt, long leaseUntil);

    /** Ends a job; 0 when the job is no longer this owner's attempt. */
    @SqlUpdate("""
            UPDATE jobs SET state = :state, outcome = :outcome, finished_at = :now, owner = NULL, lease_until = NULL
            WHERE id = :id AND owner = :owner AND attempts = :attempt AND state = 'running'
            """)
    int finish(long id, String owner, int attempt, String state, String outcome, long now);

    /** Hands jobs back to the queue (a node stopping cleanly), for any node to claim at once. */
    @SqlUpdate("""
            UPDATE jobs SET state = 'queued', owner = NULL, lease_until = NULL
            WHERE owner = :owner AND state = 'running' AND id IN (<ids>)
            """)
    int release(String owner, @BindList("ids") List<Long> ids);

    @SqlQuery("""
            SELECT id, kind, user_id, app_id, target, state, attempts, owner, outcome FROM jobs
            WHERE kind = :kind AND user_id = :userId AND app_id = :appId AND target = :target
            ORDER BY id
            """)
    @RegisterConstructorMapper(Row.class)
    List<Row> find(String kind, String userId, String appId, String target);

    @SqlUpdate("DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < :before")
    int pruneFinished(long before);
}
