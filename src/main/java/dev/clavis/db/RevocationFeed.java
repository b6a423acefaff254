package dev.clavis.db;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries revocations to the caches of every node sharing the database, through the revocation
 * log: a change {@link #append appends} to it in its own transaction, and each node applies the
 * rows past the last sequence it applied.
 *
 * <p>On PostgreSQL a NOTIFY at commit wakes every listening node at once. Notifications can be
 * lost (a dropped or silently dead connection, a restart), so the log is also read every
 * {@code pollInterval} whatever is heard, and the listening connection makes a round trip each
 * interval in which it heard nothing, so a dead one is replaced. After an outage a node replays the
 * log from where it stopped; one that could not read it for longer than rows are kept cannot tell
 * what it missed, and forgets everything cached instead. SQLite serves one node, but the same poll
 * lets a command-line change reach a running server.
 */
public final class RevocationFeed implements AutoCloseable {
    static final String CHANNEL = "clavis_revocations";
    /** The LISTEN connection's application_name, to find it among the server's sessions. */
    static final String LISTENER_NAME = "clavis-revocation-feed";
    /** The advisory lock that keeps appends in commit order ("clavis" in ASCII). */
    public static final long APPEND_LOCK = 0x636c61766973L;
    private static final int BATCH = 1000;
    /** How long the round trip on a quiet LISTEN connection may take before it counts as dead. */
    private static final int LISTENER_SOCKET_TIMEOUT_SECONDS = 1;
    private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);

    private final Jdbi jdbi;
    private final String listenUrl;
    private final boolean postgres;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration retention;
    private final Thread thread;

    private volatile Consumer<RevocationLog.Entry> receiver = entry -> { };
    private volatile Runnable forgetEverything = () -> { };
    private volatile boolean running;
    /** The last sequence applied; every committed row up to it has been applied. */
    private volatile long applied;
    /** When the log was last read in full (epoch millis). */
    private volatile long lastRead;
    private volatile boolean listening;
    private Connection listener;
    private long lastPrune;
    private boolean outageLogged;
    private boolean listenFailureLogged;

    /**
     * @param pollInterval how often the log is read whatever is heard: the bound on revocation
     *                     delay when notifications are lost
     * @param retention    how long log rows are kept; a node away longer forgets its caches
     */
    public RevocationFeed(Database database, Clock clock, Duration pollInterval, Duration retention) {
        this(database, clock, pollInterval, retention, database.jdbcUrl());
    }

    /** @param listenUrl where the LISTEN connection goes; tests route it through a proxy they can break */
    RevocationFeed(Database database, Clock clock, Duration pollInterval, Duration retention, String listenUrl) {
        this.jdbi = database.jdbi();
        this.listenUrl = listenUrl;
        this.postgres = !database.isSqlite();
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.retention = retention;
        this.thread = new Thread(this::run, "clavis-revocation-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Appends a revocation inside the transaction that makes the change, so that it is logged
     * exactly when the change commits. On PostgreSQL appenders queue on an advisory lock until
     * they commit: sequence numbers are then handed out in commit order, and a reader that has
     * seen row N can never later find a committed row below N.
     */
    public void append(Handle h, String kind, String subject) {
        RevocationLog rows = h.attach(RevocationLog.class);
        if (postgres) rows.lockAppendsUntilCommit(APPEND_LOCK);
        rows.insert(kind, subject, clock.millis());
        if (postgres) rows.notifyOnCommit(CHANNEL);
    }

    /**
     * Starts applying other nodes' revocations: each new log row goes to {@code receiver}, and
     * {@code forgetEverything} runs when the node cannot tell what it missed. Caches start empty,
     * so the log is applied from its current end. Returns once listening (PostgreSQL).
     */
    public void start(Consumer<RevocationLog.Entry> receiver, Runnable forgetEverything) {
        this.receiver = receiver;
        this.forgetEverything = forgetEverything;
        if (postgres) listenOrLog();
        applied = jdbi.withHandle(h -> h.attach(RevocationLog.class).findLatestSeq());
        lastRead = clock.millis();
        running = true;
        thread.start();
    }

    /**
     * Applies every row past the last one applied, oldest first. Runs on the feed's thread each
     * interval or notification; tests call it to apply at a moment of their choosing.
     */
    public synchronized int catchUp() {
        long now = clock.millis();
        if (now - lastRead > retention.toMillis() / 2) {
            // Rows this node never read may have been pruned since (they are kept for `retention`
            // by the clock of whoever prunes; half of it leaves room for clocks that disagree).
            log.warn("revocation log unread for {} s; forgetting every cached credential and app", (now - lastRead) / 1000);
            forgetEverything.run();
        }
        int count = 0;
        List<RevocationLog.Entry> rows;
        do {
            long after = applied;
            rows = jdbi.withHandle(h -> h.attach(RevocationLog.class).listAfter(after, BATCH));
            for (RevocationLog.Entry row : rows) {
                receiver.accept(row);
                applied = row.seq();
                count++;
            }
        } while (rows.size() == BATCH);
        lastRead = now;
        return count;
    }

    /**
     * How far behind this node may be: the last sequence applied, the seconds since the log was
     * last read in full, and whether the LISTEN connection is up (PostgreSQL).
     */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("clavis.revocation.feed.applied.sequence", this, feed -> feed.applied)
                .description("Last revocation log sequence applied on this node").register(registry);
        Gauge.builder("clavis.revocation.feed.read.age", this, feed -> (clock.millis() - feed.lastRead) / 1000.0)
                .baseUnit("seconds").description("Time since this node last read the revocation log in full")
                .register(registry);
        if (postgres) {
            Gauge.builder("clavis.revocation.feed.listening", this, feed -> feed.listening ? 1 : 0)
                    .description("1 while the LISTEN connection is up").register(registry);
        }
    }

    /** Whether a LISTEN connection is up (always false on SQLite, which has none). */
    public boolean listening() {
        return listening;
    }

    private void run() {
        while (running) {
            boolean heard = waitForNews();
            if (!running) break;
            try {
                catchUp();
                if (outageLogged) log.info("revocation log readable again");
                outageLogged = false;
                pruneNowAndThen();
            } catch (RuntimeException e) {
                // The database is away; changes cannot commit meanwhile, and the log is replayed
                // from `applied` when it returns.
                if (!outageLogged) log.warn("revocation log unreadable; will replay it when the database answers", e);
                outageLogged = true;
            }
            // A quiet connection and a dead one look alike until a round trip; made after the
            // catch-up, so that finding out (up to the socket timeout) delays no revocation.
            if (!heard) checkListener();
        }
        closeListener();
    }

    /**
     * Waits up to one interval: for a notification on PostgreSQL, plainly on SQLite. Says whether
     * anything was heard.
     */
    private boolean waitForNews() {
        if (!postgres || (listener == null && !listenOrLog())) {
            sleep(pollInterval.toMillis());
            return false;
        }
        try {
            PGNotification[] heard = listener.unwrap(PGConnection.class).getNotifications((int) pollInterval.toMillis());
            return heard != null && heard.length > 0;
        } catch (SQLException e) {
            lostListener(e);
            return false;
        }
    }

    private void checkListener() {
        if (listener == null) return;
        try (Statement s = listener.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            lostListener(e);
        }
    }

    private void lostListener(SQLException e) {
        if (!running) return;
        // Expected when the database restarts or a proxy drops idle connections: one line, no trace.
        log.warn("revocation feed lost its LISTEN connection ({}); reconnecting, and reading the log meanwhile", e.getMessage());
        closeListener();
    }

    private boolean listenOrLog() {
        try {
            Properties properties = new Properties();
            // A connection that dies silently would otherwise hang the round trip for as long as
            // TCP takes to notice.
            properties.setProperty("socketTimeout", String.valueOf(LISTENER_SOCKET_TIMEOUT_SECONDS));
            properties.setProperty("tcpKeepAlive", "true");
            properties.setProperty("ApplicationName", LISTENER_NAME);
            Connection c = DriverManager.getConnection(listenUrl, properties);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            listener = c;
            listening = true;
            listenFailureLogged = false;
            return true;
        } catch (SQLException e) {
            // Tried again every interval; said once per outage.
            if (!listenFailureLogged) {
                log.warn("revocation feed cannot LISTEN ({}); reading the log every {} ms meanwhile", e.getMessage(),
                        pollInterval.toMillis());
            }
            listenFailureLogged = true;
            return false;
        }
    }

    /** Every node prunes, a few times per retention period; deleting what another node deleted is harmless. */
    private void pruneNowAndThen() {
        long now = clock.millis();
        if (now - lastPrune < retention.toMillis() / 12) return;
        lastPrune = now;
        int pruned = prune();
        if (pruned > 0) log.debug("pruned {} revocation log rows", pruned);
    }

    /** Deletes the rows older than the retention period; returns how many. */
    int prune() {
        long before = clock.millis() - retention.toMillis();
        return jdbi.withHandle(h -> h.attach(RevocationLog.class).deleteOlderThan(before));
    }

    private void closeListener() {
        listening = false;
        if (listener == null) return;
        try {
            listener.close();
        } catch (SQLException ignored) {
            // Closing a broken connection: nothing left to release.
        }
        listener = null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!running) return;
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
