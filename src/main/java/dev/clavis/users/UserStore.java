package dev.clavis.users;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for the {@code users} table. */
@RegisterRowMapper(UserStore.UserMapper.class)
public interface UserStore {

    @SqlUpdate("""
            INSERT INTO users (id, email, password_hash, created_at)
            VALUES (:id, :email, :passwordHash, :createdAt)
            """)
    void insert(String id, String email, String passwordHash, long createdAt);

    @SqlQuery("SELECT id, email, created_at, disabled_at FROM users WHERE id = :id")
    Optional<User> find(String id);

    @SqlQuery("SELECT id, email, created_at, disabled_at FROM users WHERE email = :email")
    Optional<User> findByEmail(String email);

    /** Only of users who can sign in: not system users, not disabled ones. */
    @SqlQuery("SELECT password_hash FROM users WHERE email = :email AND password_hash IS NOT NULL AND disabled_at IS NULL")
    Optional<String> findPasswordHash(String email);

    /** People, not system users (who have no password), by id. */
    @SqlQuery("SELECT id, email, created_at, disabled_at FROM users WHERE password_hash IS NOT NULL ORDER BY id")
    List<User> list();

    @SqlUpdate("UPDATE users SET disabled_at = :disabledAt WHERE id = :id AND password_hash IS NOT NULL")
    int setDisabledAt(String id, Long disabledAt);

    @SqlUpdate("UPDATE users SET password_hash = :passwordHash WHERE id = :id AND password_hash IS NOT NULL")
    int setPasswordHash(String id, String passwordHash);

    @SqlUpdate("DELETE FROM users WHERE id = :id AND password_hash IS NOT NULL")
    int delete(String id);

    class UserMapper implements RowMapper<User> {
        @Override
        public User map(ResultSet rs, StatementContext ctx) throws SQLException {
            long disabledAt = rs.getLong("disabled_at");
            Instant disabled = rs.wasNull() ? null : Instant.ofEpochMilli(disabledAt);
            return new User(rs.getString("id"), rs.getString("email"), Instant.ofEpochMilli(rs.getLong("created_at")), disabled);
        }
    }
}
