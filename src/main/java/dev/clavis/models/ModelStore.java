package dev.clavis.models;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code models} and {@code model_versions}. */
@RegisterRowMapper(ModelStore.ModelMapper.class)
@RegisterRowMapper(ModelStore.VersionMapper.class)
public interface ModelStore {

    @SqlUpdate("""
            INSERT INTO models (user_id, app_id, id, name, model_type_id, description, concepts, mutually_exclusive,
                                created_at, modified_at)
            VALUES (:userId, :appId, :id, :name, :typeId, :description, :concepts, :mutuallyExclusive, :now, :now)
            """)
    void insert(String userId, String appId, String id, String name, String typeId, String description, String concepts,
                int mutuallyExclusive, long now);

    @SqlQuery("SELECT * FROM models WHERE user_id = :userId AND app_id = :appId AND id = :id")
    Optional<Model> find(String userId, String appId, String id);

    @SqlQuery("""
            SELECT * FROM models WHERE user_id = :userId AND app_id = :appId
              AND (:typeId = '' OR model_type_id = :typeId)
              AND (LOWER(name) LIKE :namePrefix ESCAPE '!' OR LOWER(id) LIKE :namePrefix ESCAPE '!')
            ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset
            """)
    List<Model> list(String userId, String appId, String typeId, String namePrefix, int limit, long offset);

    /** A user's models across all their apps. */
    @SqlQuery("""
            SELECT * FROM models WHERE user_id = :userId AND (:typeId = '' OR model_type_id = :typeId)
            ORDER BY created_at DESC, app_id, id LIMIT :limit OFFSET :offset
            """)
    List<Model> listForUser(String userId, String typeId, int limit, long offset);

    @SqlUpdate("""
            UPDATE models SET name = :name, description = :description, concepts = :concepts,
                              mutually_exclusive = :mutuallyExclusive, modified_at = :now
            WHERE user_id = :userId AND app_id = :appId AND id = :id
            """)
    int update(String userId, String appId, String id, String name, String description, String concepts,
               int mutuallyExclusive, long now);

    @SqlUpdate("DELETE FROM models WHERE user_id = :userId AND app_id = :appId AND id IN (<ids>)")
    int delete(String userId, String appId, @BindList("ids") List<String> ids);

    @SqlUpdate("""
            INSERT INTO model_versions (user_id, app_id, model_id, id, status_code, status_details, concepts, params,
                                        total_input_count, created_at)
            VALUES (:userId, :appId, :modelId, :id, :statusCode, '', :concepts, NULL, 0, :now)
            """)
    void insertVersion(String userId, String appId, String modelId, String id, int statusCode, String concepts, long now);

    @SqlUpdate("""
            UPDATE model_versions SET status_code = :statusCode, status_details = :details, params = :params,
                                      total_input_count = :inputCount, completed_at = :completedAt
            WHERE user_id = :userId AND app_id = :appId AND model_id = :modelId AND id = :id
            """)
    int updateVersion(String userId, String appId, String modelId, String id, int statusCode, String details, String params,
                      int inputCount, Long completedAt);

    @SqlQuery("""
            SELECT * FROM model_versions WHERE user_id = :userId AND app_id = :appId AND model_id = :modelId AND id = :id
            """)
    Optional<ModelVersion> findVersion(String userId, String appId, String modelId, String id);

    @SqlQuery("""
            SELECT * FROM model_versions WHERE user_id = :userId AND app_id = :appId AND model_id = :modelId
            ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset
            """)
    List<ModelVersion> listVersions(String userId, String appId, String modelId, int limit, long offset);

    /** The newest version whose training succeeded. */
    @SqlQuery("""
            SELECT * FROM model_versions
            WHERE user_id = :userId AND app_id = :appId AND model_id = :modelId AND status_code = 21100
            ORDER BY created_at DESC, id LIMIT 1
            """)
    Optional<ModelVersion> latestTrained(String userId, String appId, String modelId);

    @SqlUpdate("""
            DELETE FROM model_versions WHERE user_id = :userId AND app_id = :appId AND model_id = :modelId AND id = :id
            """)
    int deleteVersion(String userId, String appId, String modelId, String id);

    /** Versions left queued or training when a node stopped. */
    @SqlQuery("SELECT * FROM model_versions WHERE status_code IN (21101, 21103)")
    List<ModelVersion> unfinished();

    static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(" "));
    }

    class ModelMapper implements RowMapper<Model> {
        @Override
        public Model map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Model(rs.getString("user_id"), rs.getString("app_id"), rs.getString("id"), rs.getString("name"),
                    rs.getString("model_type_id"), rs.getString("description"), List.copyOf(split(rs.getString("concepts"))),
                    rs.getInt("mutually_exclusive") == 1, Instant.ofEpochMilli(rs.getLong("created_at")),
                    Instant.ofEpochMilli(rs.getLong("modified_at")));
        }
    }

    class VersionMapper implements RowMapper<ModelVersion> {
        @Override
        public ModelVersion map(ResultSet rs, StatementContext ctx) throws SQLException {
            long completed = rs.getLong("completed_at");
            Instant completedAt = rs.wasNull() ? null : Instant.ofEpochMilli(completed);
            return new ModelVersion(rs.getString("user_id"), rs.getString("app_id"), rs.getString("model_id"), rs.getString("id"),
                    rs.getInt("status_code"), rs.getString("status_details"), List.copyOf(split(rs.getString("concepts"))),
                    rs.getString("params"), rs.getInt("total_input_count"), Instant.ofEpochMilli(rs.getLong("created_at")),
                    completedAt);
        }
    }
}
