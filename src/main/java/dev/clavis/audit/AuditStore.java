package dev.clavis.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the {@code audit_log} table. */
@RegisterRowMapper(AuditStore.EntryMapper.class)
public interface AuditStore {
    @SqlUpdate("""
            INSERT INTO audit_log (at, owner_id, operation, success, actor_user_id, actor_credential, door, target_app_id,
                                   target_credential, target_user_id, details, req_id, source_ip)
            VALUES (:at, :ownerId, :operation, :success, :actorUserId, :actorCredential, :door, :targetAppId,
                    :targetCredential, :targetUserId, :details, :reqId, :sourceIp)
            """)
    void insert(long at, String ownerId, String operation, int success, String actorUserId, String actorCredential, String door,
                String targetAppId, String targetCredential, String targetUserId, String details, String reqId, String sourceIp);

    /**
     * One user's entries within a time window, filtered by whichever lists and values are given
     * (an empty list or string, or a negative success, means any), newest or oldest first.
     */
    @SqlQuery("""
            SELECT * FROM audit_log
             WHERE owner_id = :ownerId AND at >= :from AND at < :to
               AND (:anyOperation OR operation IN (<operations>))
               AND (:anyAddress OR source_ip IN (<addresses>))
               AND (:success < 0 OR success = :success)
               AND (:credential = '' OR target_credential = :credential OR actor_credential = :credential)
               AND (:appId = '' OR target_app_id = :appId)
             ORDER BY at <order>, id <order>
             LIMIT :limit OFFSET :offset
            """)
    List<AuditEntry> search(String ownerId, long from, long to, boolean anyOperation,
                            @BindList(value = "operations", onEmpty = BindList.EmptyHandling.NULL_STRING) List<String> operations,
                            boolean anyAddress,
                            @BindList(value = "addresses", onEmpty = BindList.EmptyHandling.NULL_STRING) List<String> addresses,
                            int success, String credential, String appId, @Define("order") String order, int limit, long offset);

    @SqlUpdate("DELETE FROM audit_log WHERE at < :before")
    int pruneBefore(long before);

    class EntryMapper implements RowMapper<AuditEntry> {
        @Override
        public AuditEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new AuditEntry(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("owner_id"),
                    rs.getString("operation"), rs.getInt("success") != 0, rs.getString("actor_user_id"),
                    rs.getString("actor_credential"), rs.getString("door"), rs.getString("target_app_id"),
                    rs.getString("target_credential"), rs.getString("target_user_id"), rs.getString("details"),
                    rs.getString("req_id"), rs.getString("source_ip"));
        }
    }
}
