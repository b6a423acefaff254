package dev.clavis.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.testing.FreezableProxy;
import dev.clavis.testing.MutableClock;
import dev.clavis.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revocation log as every node reads it, on SQLite and PostgreSQL. */
abstract class RevocationFeedTest {
    /** Long enough that nothing in a test happens by polling unless the test says so. */
    static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path tempDir;

    final List<Database> databases = new CopyOnWriteArrayList<>();
    final List<RevocationFeed> feeds = new CopyOnWriteArrayList<>();
    final List<String> applied = new CopyOnWriteArrayList<>();
    final AtomicInteger forgotten = new AtomicInteger();

    abstract TestDatabases.Kind kind();

    @AfterEach
    void close() {
        feeds.forEach(RevocationFeed::close);
        databases.forEach(Database::close);
    }

    @Test
    void a_node_applies_committed_rows_in_order_and_never_a_rolled_back_one() {
        Database db = open(TestDatabases.url(kind(), tempDir));
        RevocationFeed writer = feed(db, Clock.systemUTC(), NEVER);
        RevocationFeed reader = started(feed(db, Clock.systemUTC(), NEVER));
        db.jdbi().useTransaction(h -> writer.append(h, "key", "first"));
        try {
            db.jdbi().useTransaction(h -> {
                writer.append(h, "key", "rolled-back");
                throw new IllegalStateException("the change failed");
            });
        } catch (IllegalStateException expected) {
            // The change and its log row go together.
        }
        db.jdbi().useTransaction(h -> {
            writer.append(h, "key", "second");
            writer.append(h, "app", "alice/app");
        });
        reader.catchUp();
        assertEquals(List.of("key first", "key second", "app alice/app"), applied);
        assertEquals(0, reader.catchUp(), "nothing twice");
    }

    @Test
    void a_node_starts_at_the_end_of_the_log_since_its_caches_start_empty() {
        Database db = open(TestDatabases.url(kind(), tempDir));
        RevocationFeed writer = feed(db, Clock.systemUTC(), NEVER);
        db.jdbi().useTransaction(h -> writer.append(h, "key", "before-start"));
        RevocationFeed reader = started(feed(db, Clock.systemUTC(), NEVER));
        db.jdbi().useTransaction(h -> writer.append(h, "key", "after-start"));
        reader.catchUp();
        assertEquals(List.of("key after-start"), applied);
    }

    @Test
    void a_node_that_could_not_read_the_log_for_longer_than_rows_are_kept_forgets_everything() {
        Database db = open(TestDatabases.url(kind(), tempDir));
        MutableClock clock = new MutableClock();
        RevocationFeed reader = started(feed(db, clock, NEVER));
        reader.catchUp();
        assertEquals(0, forgotten.get());
        clock.advance(Duration.ofMinutes(31));
        reader.catchUp();
        assertEquals(1, forgotten.get(), "rows it never read may have been pruned");
        reader.catchUp();
        assertEquals(1, forgotten.get(), "and once caught up it trusts the log again");
    }

    @Test
    void rows_older_than_the_retention_period_are_pruned_and_newer_ones_kept() {
        Database db = open(TestDatabases.url(kind(), tempDir));
        MutableClock clock = new MutableClock();
        RevocationFeed feed = feed(db, clock, NEVER);
        db.jdbi().useTransaction(h -> feed.append(h, "key", "old"));
        clock.advance(Duration.ofMinutes(61));
        db.jdbi().useTransaction(h -> feed.append(h, "key", "new"));
        assertEquals(1, feed.prune());
        List<RevocationLog.Entry> left = db.jdbi().withHandle(h -> h.attach(RevocationLog.class).listAfter(0, 10));
        assertEquals(List.of("new"), left.stream().map(RevocationLog.Entry::subject).toList());

        // Emptied completely, the log still never hands out a sequence number again: a node that
        // applied up to it would skip the new row.
        clock.advance(Duration.ofMinutes(61));
        assertEquals(1, feed.prune());
        db.jdbi().useTransaction(h -> feed.append(h, "key", "after-empty"));
        long seq = db.jdbi().withHandle(h -> h.attach(RevocationLog.class).findLatestSeq());
        assertTrue(seq > left.get(0).seq(), seq + " after " + left.get(0).seq());
    }

    Database open(String url) {
        Database db = Database.open(url);
        databases.add(db);
        return db;
    }

    RevocationFeed feed(Database db, Clock clock, Duration poll) {
        RevocationFeed feed = new RevocationFeed(db, clock, poll, Duration.ofHours(1));
        feeds.add(feed);
        return feed;
    }

    RevocationFeed started(RevocationFeed feed) {
        feed.start(row -> applied.add(row.kind() + " " + row.subject()), forgotten::incrementAndGet);
        return feed;
    }

    /** Waits, at most five seconds, for what the feed's own thread is to do. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never happened: " + what);
            Thread.sleep(10);
        }
    }
}

class SqliteRevocationFeedTest extends RevocationFeedTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

/** PostgreSQL adds what one node on SQLite cannot show: notifications, and losing them. */
class PostgresRevocationFeedTest extends RevocationFeedTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }

    @Test
    void a_notification_wakes_the_other_node_without_waiting_for_a_poll() throws InterruptedException {
        String url = TestDatabases.postgres();
        RevocationFeed writer = feed(open(url), Clock.systemUTC(), NEVER);
        Database other = open(url);
        started(feed(other, Clock.systemUTC(), NEVER));
        other.jdbi().useTransaction(h -> writer.append(h, "key", "heard"));
        eventually("the row applied", () -> applied.contains("key heard"));
    }

    @Test
    void a_killed_listen_connection_loses_nothing_and_is_replaced() throws InterruptedException {
        String url = TestDatabases.postgres();
        Database db = open(url);
        RevocationFeed writer = feed(db, Clock.systemUTC(), NEVER);
        Set<Integer> others = listenerPids(db);
        RevocationFeed reader = started(feed(open(url), Clock.systemUTC(), Duration.ofMillis(200)));
        Set<Integer> first = listenerPids(db);
        first.removeAll(others);
        assertEquals(1, first.size(), "the node's LISTEN connection");
        db.jdbi().useHandle(h -> h.createQuery("SELECT pg_terminate_backend(:pid)").bind("pid", first.iterator().next())
                .mapTo(Boolean.class).one());
        // Committed while the node cannot hear it: its NOTIFY goes nowhere.
        db.jdbi().useTransaction(h -> writer.append(h, "key", "unheard"));
        eventually("the row applied by polling", () -> applied.contains("key unheard"));
        eventually("listening again", () -> {
            Set<Integer> now = listenerPids(db);
            now.removeAll(others);
            now.removeAll(first);
            return reader.listening() && now.size() == 1;
        });
    }

    @Test
    void a_silently_dead_listen_connection_is_noticed_and_replaced() throws Exception {
        String url = TestDatabases.postgres();
        Database db = open(url);
        RevocationFeed writer = feed(db, Clock.systemUTC(), NEVER);
        Matcher server = Pattern.compile("//(localhost|127\\.0\\.0\\.1):(\\d+)/").matcher(url);
        Assumptions.assumeTrue(server.find(), "the proxy stands in front of a PostgreSQL on loopback only");
        try (FreezableProxy proxy = new FreezableProxy(Integer.parseInt(server.group(2)))) {
            String throughProxy = server.replaceFirst("//127.0.0.1:" + proxy.port() + "/");
            RevocationFeed reader = new RevocationFeed(open(url), Clock.systemUTC(), Duration.ofMillis(200), Duration.ofHours(1),
                    throughProxy);
            feeds.add(reader);
            started(reader);
            assertEquals(1, proxy.accepted());
            proxy.freezeExisting();
            db.jdbi().useTransaction(h -> writer.append(h, "key", "unheard"));
            eventually("the row applied by polling", () -> applied.contains("key unheard"));
            eventually("a new LISTEN connection", () -> proxy.accepted() == 2 && reader.listening());
            db.jdbi().useTransaction(h -> writer.append(h, "key", "heard-again"));
            eventually("the next row applied", () -> applied.contains("key heard-again"));
        }
    }

    private static Set<Integer> listenerPids(Database db) {
        return new HashSet<>(db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = :name")
                .bind("name", RevocationFeed.LISTENER_NAME).mapTo(Integer.class).list()));
    }
}
