package dev.clavis.keys;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;

/** SQL for {@code credential_usage}: counts added in batches, read back per hour. */
public interface UsageStore {
    /** One row of counted requests. */
    record Row(String publicId, long hour, String method, String outcome, long count) {}

    /** Adds the counts to what is stored (both databases take ON CONFLICT ... DO UPDATE). */
    @SqlBatch("""
            INSERT INTO credential_usage (public_id, hour, method, outcome, count)
            VALUES (:publicId, :hour, :method, :outcome, :count)
            ON CONFLICT (public_id, hour, method, outcome) DO UPDATE SET count = credential_usage.count + excluded.count
            """)
    void add(@Bind("publicId") List<String> publicIds, @Bind("hour") List<Long> hours, @Bind("method") List<String> methods,
             @Bind("outcome") List<String> outcomes, @Bind("count") List<Long> counts);

    @SqlQuery("""
            SELECT public_id, hour, method, outcome, count FROM credential_usage
             WHERE public_id = :publicId AND hour >= :from AND hour < :to
             ORDER BY hour, method, outcome
            """)
    @RegisterConstructorMapper(Row.class)
    List<Row> between(String publicId, long from, long to);

    @SqlUpdate("UPDATE credentials SET last_used_address = :address WHERE public_id = :publicId")
    int lastAddress(String publicId, String address);

    @SqlQuery("SELECT last_used_address FROM credentials WHERE public_id = :publicId")
    String lastAddress(String publicId);

    @SqlUpdate("DELETE FROM credential_usage WHERE hour < :before")
    int pruneBefore(long before);
}
