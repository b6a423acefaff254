package dev.clavis.inputs;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code inputs} and {@code input_concepts}. Listing never reads the media bytes. */
@RegisterRowMapper(InputStore.InputMapper.class)
public interface InputStore {
    /** Everything but the bytes, except a text input's text (small, and shown in responses). */
    String COLUMNS = """
            user_id, app_id, id, kind, url, media_type, width, height, metadata, status_code, status_details,
            created_at, modified_at, CASE WHEN kind = 'TEXT' THEN content ELSE NULL END AS text_content""";

    @SqlUpdate("""
            INSERT INTO inputs (user_id, app_id, id, kind, url, content, media_type, width, height, metadata,
                                status_code, status_details, created_at, modified_at)
            VALUES (:userId, :appId, :id, :kind, :url, :content, :mediaType, :width, :height, :metadata,
                    :statusCode, :statusDetails, :createdAt, :createdAt)
            """)
    void insert(String userId, String appId, String id, String kind, String url, byte[] content, String mediaType,
                Integer width, Integer height, String metadata, int statusCode, String statusDetails, long createdAt);

    @SqlQuery("SELECT " + COLUMNS + " FROM inputs WHERE user_id = :userId AND app_id = :appId AND id = :id")
    Optional<Input> find(String userId, String appId, String id);

    @SqlQuery("SELECT " + COLUMNS + """
             FROM inputs WHERE user_id = :userId AND app_id = :appId
            ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset
            """)
    List<Input> list(String userId, String appId, int limit, long offset);

    @SqlQuery("SELECT " + COLUMNS + " FROM inputs WHERE user_id = :userId AND app_id = :appId AND id IN (<ids>) ORDER BY created_at DESC, id")
    List<Input> listByIds(String userId, String appId, @BindList("ids") List<String> ids);

    @SqlQuery("SELECT content FROM inputs WHERE user_id = :userId AND app_id = :appId AND id = :id")
    Optional<byte[]> content(String userId, String appId, String id);

    @SqlUpdate("""
            UPDATE inputs SET metadata = :metadata, modified_at = :modifiedAt
            WHERE user_id = :userId AND app_id = :appId AND id = :id
            """)
    int updateMetadata(String userId, String appId, String id, String metadata, long modifiedAt);

    @SqlUpdate("""
            UPDATE inputs SET content = :content, media_type = :mediaType, width = :width, height = :height,
                              status_code = 30000, status_details = '', modified_at = :modifiedAt
            WHERE user_id = :userId AND app_id = :appId AND id = :id AND status_code = 30001
            """)
    int completeDownload(String userId, String appId, String id, byte[] content, String mediaType, Integer width,
                         Integer height, long modifiedAt);

    @SqlUpdate("""
            UPDATE inputs SET status_code = 30002, status_details = :details, modified_at = :modifiedAt
            WHERE user_id = :userId AND app_id = :appId AND id = :id AND status_code = 30001
            """)
    int failDownload(String userId, String appId, String id, String details, long modifiedAt);

    /** An input still waiting for its download. */
    @SqlQuery("""
            SELECT user_id, app_id, id, kind, url FROM inputs
            WHERE user_id = :userId AND app_id = :appId AND id = :id AND status_code = 30001
            """)
    @RegisterConstructorMapper(InputDownloads.Pending.class)
    Optional<InputDownloads.Pending> pending(String userId, String appId, String id);

    @SqlUpdate("DELETE FROM inputs WHERE user_id = :userId AND app_id = :appId AND id IN (<ids>)")
    int delete(String userId, String appId, @BindList("ids") List<String> ids);

    @SqlQuery("SELECT status_code FROM inputs WHERE user_id = :userId AND app_id = :appId")
    List<Integer> statuses(String userId, String appId);

    @SqlUpdate("""
            INSERT INTO input_concepts (user_id, app_id, input_id, concept_id, value)
            VALUES (:userId, :appId, :inputId, :conceptId, :value)
            """)
    void insertConcept(String userId, String appId, String inputId, String conceptId, double value);

    @SqlUpdate("""
            DELETE FROM input_concepts
            WHERE user_id = :userId AND app_id = :appId AND input_id = :inputId AND concept_id = :conceptId
            """)
    int deleteConcept(String userId, String appId, String inputId, String conceptId);

    @SqlUpdate("DELETE FROM input_concepts WHERE user_id = :userId AND app_id = :appId AND input_id = :inputId")
    int deleteConcepts(String userId, String appId, String inputId);

    /** The concepts on some inputs, as (input id, concept) rows. */
    @SqlQuery("""
            SELECT ic.input_id, ic.concept_id, c.name, ic.value
            FROM input_concepts ic
            JOIN concepts c ON c.user_id = ic.user_id AND c.app_id = ic.app_id AND c.id = ic.concept_id
            WHERE ic.user_id = :userId AND ic.app_id = :appId AND ic.input_id IN (<inputIds>)
            ORDER BY ic.input_id, ic.concept_id
            """)
    @RegisterRowMapper(TaggedConceptMapper.class)
    List<TaggedConcept> concepts(String userId, String appId, @BindList("inputIds") List<String> inputIds);

    /** Ready inputs marked with any of these concepts: (input id, kind, concept id, value) rows. */
    @SqlQuery("""
            SELECT i.id AS input_id, i.kind, ic.concept_id, ic.value
            FROM inputs i
            JOIN input_concepts ic ON ic.user_id = i.user_id AND ic.app_id = i.app_id AND ic.input_id = i.id
            WHERE i.user_id = :userId AND i.app_id = :appId AND i.status_code = 30000 AND ic.concept_id IN (<conceptIds>)
            ORDER BY i.id
            """)
    @RegisterConstructorMapper(Mark.class)
    List<Mark> marks(String userId, String appId, @BindList("conceptIds") List<String> conceptIds);

    /** One concept mark on one ready input. */
    record Mark(String inputId, String kind, String conceptId, double value) {}

    /** A concept row with the input it belongs to. */
    record TaggedConcept(String inputId, Input.InputConcept concept) {}

    class TaggedConceptMapper implements RowMapper<TaggedConcept> {
        @Override
        public TaggedConcept map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new TaggedConcept(rs.getString("input_id"),
                    new Input.InputConcept(rs.getString("concept_id"), rs.getString("name"), rs.getDouble("value")));
        }
    }

    class InputMapper implements RowMapper<Input> {
        @Override
        public Input map(ResultSet rs, StatementContext ctx) throws SQLException {
            byte[] text = rs.getBytes("text_content");
            return new Input(rs.getString("user_id"), rs.getString("app_id"), rs.getString("id"), rs.getString("kind"),
                    rs.getString("url"), text == null ? null : new String(text, StandardCharsets.UTF_8),
                    rs.getString("media_type"), integer(rs, "width"), integer(rs, "height"), rs.getString("metadata"),
                    rs.getInt("status_code"), rs.getString("status_details"),
                    Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("modified_at")), List.of());
        }

        private static Integer integer(ResultSet rs, String column) throws SQLException {
            int value = rs.getInt(column);
            return rs.wasNull() ? null : value;
        }
    }
}
