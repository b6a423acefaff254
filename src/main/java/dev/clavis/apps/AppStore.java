package dev.clavis.apps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the {@code apps} table. */
@RegisterRowMapper(AppStore.AppMapper.class)
public interface AppStore {

    @SqlUpdate("""
            INSERT INTO apps (user_id, id, name, description, visibility, metadata, created_at, modified_at)
            VALUES (:userId, :id, :name, :description, :visibility, :metadata, :createdAt, :createdAt)
            """)
    void insert(String userId, String id, String name, String description, int visibility, String metadata,
                long createdAt);

    @SqlQuery("SELECT * FROM apps WHERE user_id = :userId AND id = :id")
    Optional<App> find(String userId, String id);

    /** Every app, or one user's, for the administrator: by owner, oldest first. */
    @SqlQuery("SELECT * FROM apps WHERE :userId = '' OR user_id = :userId ORDER BY user_id, created_at, id")
    List<App> listEvery(String userId);

    /** How much an app holds, for its overview page. */
    record Contents(int inputs, int models, int keys) {}

    @SqlQuery("""
            SELECT (SELECT COUNT(*) FROM inputs WHERE user_id = :userId AND app_id = :appId) AS inputs,
                   (SELECT COUNT(*) FROM models WHERE user_id = :userId AND app_id = :appId) AS models,
                   (SELECT COUNT(*) FROM credentials WHERE user_id = :userId AND app_id = :appId) AS keys
            """)
    @RegisterConstructorMapper(Contents.class)
    Contents contents(String userId, String appId);

    /** A user's apps, newest first; {@code publicOnly} for someone else looking. */
    @SqlQuery("""
            SELECT * FROM apps
            WHERE user_id = :userId AND (:publicOnly = FALSE OR visibility = 50)
            ORDER BY created_at DESC, id
            LIMIT :limit OFFSET :offset
            """)
    List<App> list(String userId, boolean publicOnly, int limit, long offset);

    @SqlUpdate("""
            UPDATE apps SET name = :name, description = :description, visibility = :visibility,
                            metadata = :metadata, modified_at = :modifiedAt
            WHERE user_id = :userId AND id = :id
            """)
    int update(String userId, String id, String name, String description, int visibility, String metadata,
               long modifiedAt);

    @SqlUpdate("DELETE FROM apps WHERE user_id = :userId AND id = :id")
    int delete(String userId, String id);

    class AppMapper implements RowMapper<App> {
        @Override
        public App map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new App(rs.getString("user_id"), rs.getString("id"), rs.getString("name"),
                    rs.getString("description"), rs.getInt("visibility"), rs.getString("metadata"),
                    Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("modified_at")));
        }
    }
}
