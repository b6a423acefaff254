package dev.clavis.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the {@code revocation_log} table; {@link RevocationFeed} writes and reads it. */
@RegisterConstructorMapper(RevocationLog.Entry.class)
public interface RevocationLog {
    /** One change that nodes must apply to their caches, in commit order. */
    record Entry(long seq, String kind, String subject, long createdAt) {}

    @SqlUpdate("INSERT INTO revocation_log (kind, subject, created_at) VALUES (:kind, :subject, :createdAt)")
    void insert(String kind, String subject, long createdAt);

    @SqlQuery("""
            SELECT seq, kind, subject, created_at FROM revocation_log
            WHERE seq > :after
            ORDER BY seq
            LIMIT :limit
            """)
    List<Entry> listAfter(long after, int limit);

    /** The newest sequence, 0 for an empty log. */
    @SqlQuery("SELECT COALESCE(MAX(seq), 0) FROM revocation_log")
    long findLatestSeq();

    @SqlUpdate("DELETE FROM revocation_log WHERE created_at < :before")
    int deleteOlderThan(long before);

    /**
     * PostgreSQL: holds appenders one at a time until their transaction ends, so that sequence
     * numbers are handed out in commit order and a reader never skips a row that commits late.
     */
    @SqlQuery("SELECT 1 FROM pg_advisory_xact_lock(:key)")
    int lockAppendsUntilCommit(long key);

    /** PostgreSQL: wakes every listening node when the transaction commits. */
    @SqlQuery("SELECT 1 FROM pg_notify(:channel, '')")
    int notifyOnCommit(String channel);
}
