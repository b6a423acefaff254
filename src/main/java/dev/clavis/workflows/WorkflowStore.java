package dev.clavis.workflows;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code workflows}. */
@RegisterRowMapper(WorkflowStore.WorkflowMapper.class)
public interface WorkflowStore {
    Gson GSON = new Gson();

    @SqlUpdate("""
            INSERT INTO workflows (user_id, app_id, id, description, nodes, created_at, modified_at)
            VALUES (:userId, :appId, :id, :description, :nodes, :now, :now)
            """)
    void insert(String userId, String appId, String id, String description, String nodes, long now);

    @SqlQuery("SELECT * FROM workflows WHERE user_id = :userId AND app_id = :appId AND id = :id")
    Optional<Workflow> find(String userId, String appId, String id);

    @SqlQuery("""
            SELECT * FROM workflows WHERE user_id = :userId AND app_id = :appId
            ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset
            """)
    List<Workflow> list(String userId, String appId, int limit, long offset);

    @SqlUpdate("""
            UPDATE workflows SET description = :description, nodes = :nodes, modified_at = :now
            WHERE user_id = :userId AND app_id = :appId AND id = :id
            """)
    int update(String userId, String appId, String id, String description, String nodes, long now);

    @SqlUpdate("DELETE FROM workflows WHERE user_id = :userId AND app_id = :appId AND id IN (<ids>)")
    int delete(String userId, String appId, @BindList("ids") List<String> ids);

    @SqlQuery("SELECT id FROM workflows WHERE user_id = :userId AND app_id = :appId")
    List<String> ids(String userId, String appId);

    static String toJson(List<Workflow.Node> nodes) {
        return GSON.toJson(nodes);
    }

    class WorkflowMapper implements RowMapper<Workflow> {
        private static final java.lang.reflect.Type NODES = new TypeToken<List<Workflow.Node>>() { }.getType();

        @Override
        public Workflow map(ResultSet rs, StatementContext ctx) throws SQLException {
            List<Workflow.Node> nodes = GSON.fromJson(rs.getString("nodes"), NODES);
            return new Workflow(rs.getString("user_id"), rs.getString("app_id"), rs.getString("id"), rs.getString("description"),
                    List.copyOf(nodes), Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("modified_at")));
        }
    }
}
