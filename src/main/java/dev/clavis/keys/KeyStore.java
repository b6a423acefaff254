package dev.clavis.keys;

import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import dev.clavis.net.Cidr;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the {@code credentials} table. Lists are stored space-separated. */
@RegisterRowMapper(KeyStore.CredentialMapper.class)
public interface KeyStore {
    String COLUMNS = """
            public_id, display_prefix, kind, user_id, app_id, description, scopes, endpoints,
            created_at, expires_at, last_used_at, allowed_cidrs, rate_limit""";

    @SqlUpdate("""
            INSERT INTO credentials (public_id, secret_hash, display_prefix, kind, user_id, app_id, description,
                                     scopes, endpoints, created_at, expires_at)
            VALUES (:publicId, :secretHash, :displayPrefix, :kind, :userId, :appId, :description,
                    :scopes, :endpoints, :createdAt, :expiresAt)
            """)
    void insert(String publicId, String secretHash, String displayPrefix, String kind, String userId, String appId,
                String description, String scopes, String endpoints, long createdAt, Long expiresAt);

    @SqlUpdate("UPDATE credentials SET sealed_secret = :sealed WHERE public_id = :publicId")
    int seal(String publicId, String sealed);

    @SqlQuery("SELECT sealed_secret FROM credentials WHERE public_id = :publicId AND sealed_secret IS NOT NULL")
    Optional<String> sealed(String publicId);

    @SqlUpdate("""
            INSERT INTO secret_reveals (public_id, user_id, address, revealed_at)
            VALUES (:publicId, :userId, :address, :at)
            """)
    void auditReveal(String publicId, String userId, String address, long at);

    @SqlQuery("SELECT COUNT(*) FROM secret_reveals WHERE public_id = :publicId")
    int revealCount(String publicId);

    /**
     * The credential with this secret, unless its user is disabled. A rolled key's previous secret
     * finds it too, as a credential that expires when the previous secret does (or before, with
     * the key itself).
     */
    @SqlQuery("""
            SELECT public_id, display_prefix, kind, user_id, app_id, description, scopes, endpoints, created_at,
                   CASE WHEN secret_hash = :secretHash THEN expires_at
                        WHEN expires_at IS NULL OR previous_expires_at < expires_at THEN previous_expires_at
                        ELSE expires_at END AS expires_at,
                   last_used_at, allowed_cidrs, rate_limit
              FROM credentials c
             WHERE (secret_hash = :secretHash OR previous_secret_hash = :secretHash)
               AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.user_id AND u.disabled_at IS NOT NULL)
            """)
    Optional<Credential> findByHash(String secretHash);

    @SqlUpdate("UPDATE credentials SET rate_limit = :perSecond WHERE public_id = :publicId")
    int limitRate(String publicId, Integer perSecond);

    @SqlUpdate("UPDATE credentials SET allowed_cidrs = :cidrs WHERE public_id = :publicId")
    int allowNetworks(String publicId, String cidrs);

    @SqlQuery("SELECT secret_hash FROM credentials WHERE public_id = :publicId")
    String secretHash(String publicId);

    /** A new secret for the same key; the old one's hash kept until {@code previousExpiresAt} (null: not at all). */
    @SqlUpdate("""
            UPDATE credentials SET secret_hash = :secretHash, display_prefix = :displayPrefix, sealed_secret = NULL,
                                   previous_secret_hash = :previousHash, previous_expires_at = :previousExpiresAt
             WHERE public_id = :publicId
            """)
    int roll(String publicId, String secretHash, String displayPrefix, String previousHash, Long previousExpiresAt);

    @SqlQuery("SELECT " + COLUMNS + " FROM credentials WHERE public_id = :publicId")
    Optional<Credential> find(String publicId);

    /** A user's app keys and PATs (never sessions), newest first, optionally of one kind. */
    @SqlQuery("SELECT " + COLUMNS + """
             FROM credentials
            WHERE user_id = :userId AND kind <> 'SESSION' AND (:kind = '' OR kind = :kind)
              AND (:notExpiredAt = 0 OR expires_at IS NULL OR expires_at > :notExpiredAt)
            ORDER BY created_at DESC, public_id
            LIMIT :limit OFFSET :offset
            """)
    List<Credential> list(String userId, String kind, long notExpiredAt, int limit, long offset);

    @SqlQuery("SELECT " + COLUMNS + """
             FROM credentials
            WHERE user_id = :userId AND app_id = :appId AND kind = 'APP_KEY'
            ORDER BY created_at DESC, public_id
            LIMIT :limit OFFSET :offset
            """)
    List<Credential> listForApp(String userId, String appId, int limit, long offset);

    @SqlUpdate("""
            UPDATE credentials SET description = :description, scopes = :scopes, endpoints = :endpoints,
                                   expires_at = :expiresAt
            WHERE public_id = :publicId
            """)
    int update(String publicId, String description, String scopes, String endpoints, Long expiresAt);

    @SqlUpdate("UPDATE credentials SET last_used_at = :at WHERE public_id = :publicId AND "
            + "(last_used_at IS NULL OR last_used_at < :at)")
    int touch(String publicId, long at);

    @SqlUpdate("DELETE FROM credentials WHERE public_id = :publicId")
    int delete(String publicId);

    @SqlUpdate("DELETE FROM credentials WHERE user_id = :userId AND app_id = :appId")
    int deleteForApp(String userId, String appId);

    /** Every credential of a user, sessions too: what a change to the user revokes. */
    @SqlQuery("SELECT " + COLUMNS + " FROM credentials WHERE user_id = :userId ORDER BY created_at, public_id")
    List<Credential> listAllOf(String userId);

    /** App keys and PATs (never sessions) of any or one user and app, for the administrator, oldest first. */
    @SqlQuery("SELECT " + COLUMNS + """
             FROM credentials
            WHERE kind <> 'SESSION' AND (:userId = '' OR user_id = :userId) AND (:appId = '' OR app_id = :appId)
            ORDER BY user_id, created_at, public_id
            """)
    List<Credential> listEvery(String userId, String appId);

    @SqlUpdate("DELETE FROM credentials WHERE kind = 'SESSION' AND expires_at <= :now")
    int deleteExpiredSessions(long now);

    static String join(List<String> values) {
        return String.join(" ", values);
    }

    static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(" "));
    }

    class CredentialMapper implements RowMapper<Credential> {
        @Override
        public Credential map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Credential(
                    rs.getString("public_id"),
                    CredentialKind.valueOf(rs.getString("kind")),
                    rs.getString("user_id"),
                    rs.getString("app_id"),
                    rs.getString("description"),
                    List.copyOf(split(rs.getString("scopes"))),
                    List.copyOf(split(rs.getString("endpoints"))),
                    rs.getString("display_prefix"),
                    Instant.ofEpochMilli(rs.getLong("created_at")),
                    instant(rs, "expires_at"),
                    instant(rs, "last_used_at"),
                    split(rs.getString("allowed_cidrs")).stream().map(Cidr::parse).toList(),
                    integer(rs, "rate_limit"));
        }

        private static Integer integer(ResultSet rs, String column) throws SQLException {
            int value = rs.getInt(column);
            return rs.wasNull() ? null : value;
        }

        private static Instant instant(ResultSet rs, String column) throws SQLException {
            long millis = rs.getLong(column);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        }
    }
}
