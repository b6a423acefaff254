package dev.clavis.concepts;

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

/** SQL for the {@code concepts} table. */
@RegisterRowMapper(ConceptStore.ConceptMapper.class)
public interface ConceptStore {

    @SqlUpdate("""
            INSERT INTO concepts (user_id, app_id, id, name, created_at)
            VALUES (:userId, :appId, :id, :name, :createdAt)
            """)
    void insert(String userId, String appId, String id, String name, long createdAt);

    @SqlQuery("SELECT * FROM concepts WHERE user_id = :userId AND app_id = :appId AND id = :id")
    Optional<Concept> find(String userId, String appId, String id);

    /** The concepts with these ids (those that exist), in no particular order. */
    @SqlQuery("SELECT * FROM concepts WHERE user_id = :userId AND app_id = :appId AND id IN (<ids>)")
    List<Concept> findAll(String userId, String appId, @BindList("ids") List<String> ids);

    @SqlQuery("""
            SELECT * FROM concepts WHERE user_id = :userId AND app_id = :appId
            ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset
            """)
    List<Concept> list(String userId, String appId, int limit, long offset);

    /** Concepts whose name or id starts with {@code prefix}, ignoring case. */
    @SqlQuery("""
            SELECT * FROM concepts
            WHERE user_id = :userId AND app_id = :appId
              AND (LOWER(name) LIKE :prefix ESCAPE '!' OR LOWER(id) LIKE :prefix ESCAPE '!')
            ORDER BY name, id LIMIT :limit OFFSET :offset
            """)
    List<Concept> searchByPrefix(String userId, String appId, String prefix, int limit, long offset);

    @SqlUpdate("UPDATE concepts SET name = :name WHERE user_id = :userId AND app_id = :appId AND id = :id")
    int rename(String userId, String appId, String id, String name);

    /** Per concept: inputs annotated with it positively and negatively. */
    @SqlQuery("""
            SELECT c.id, c.name,
                   COALESCE(SUM(CASE WHEN ic.value > 0 THEN 1 ELSE 0 END), 0) AS positive,
                   COALESCE(SUM(CASE WHEN ic.value <= 0 THEN 1 ELSE 0 END), 0) AS negative
            FROM concepts c
            LEFT JOIN input_concepts ic
                   ON ic.user_id = c.user_id AND ic.app_id = c.app_id AND ic.concept_id = c.id
            WHERE c.user_id = :userId AND c.app_id = :appId
            GROUP BY c.id, c.name
            ORDER BY c.id LIMIT :limit OFFSET :offset
            """)
    @RegisterRowMapper(CountMapper.class)
    List<ConceptCount> counts(String userId, String appId, int limit, long offset);

    /** How many inputs show a concept (positive) and how many are marked as not showing it. */
    record ConceptCount(String id, String name, int positive, int negative) {}

    class ConceptMapper implements RowMapper<Concept> {
        @Override
        public Concept map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Concept(rs.getString("user_id"), rs.getString("app_id"), rs.getString("id"),
                    rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created_at")));
        }
    }

    class CountMapper implements RowMapper<ConceptCount> {
        @Override
        public ConceptCount map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ConceptCount(rs.getString("id"), rs.getString("name"), rs.getInt("positive"), rs.getInt("negative"));
        }
    }
}
