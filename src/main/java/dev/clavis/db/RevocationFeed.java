package dev.clavis.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries revocations between nodes that share a PostgreSQL database, over LISTEN/NOTIFY. Each
 * node listens on its own connection (outside the pool) and publishes through the pool. A node
 * that loses its listening connection reconnects; while it is away it cannot hear revocations,
 * which is why the authentication cache also expires entries on its own.
 */
public final class RevocationFeed implements AutoCloseable {
    static final String CHANNEL = "clavis_revocations";
    private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);

    private final String jdbcUrl;
    private final DataSource pool;
    private final Thread listener;
    private volatile Consumer<String> receiver = message -> { };
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private volatile boolean running = true;

    public RevocationFeed(Database database) {
        this.jdbcUrl = database.jdbcUrl();
        this.pool = database.dataSource();
        this.listener = new Thread(this::listen, "clavis-revocation-feed");
        this.listener.setDaemon(true);
    }

    /**
     * Starts handing other nodes' messages to {@code receiver}; returns once the first LISTEN is
     * in place, so that nothing published after start-up is missed.
     */
    public void start(Consumer<String> receiver) {
        this.receiver = receiver;
        listener.start();
        try {
            if (!firstListen.await(10, TimeUnit.SECONDS)) log.warn("revocation feed not listening yet; starting anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void publish(String message) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, CHANNEL);
            s.setString(2, message);
            s.execute();
        } catch (SQLException e) {
            // The local cache is already evicted; peers fall back on their cache expiry.
            log.warn("could not tell other nodes of a revocation", e);
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = DriverManager.getConnection(jdbcUrl)) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                firstListen.countDown();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(500);
                    if (received == null) continue;
                    for (PGNotification n : received) receiver.accept(n.getParameter());
                }
            } catch (SQLException e) {
                if (!running) return;
                log.warn("revocation feed lost its connection; reconnecting", e);
                sleep(1000);
            }
        }
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
        running = false;
        listener.interrupt();
        try {
            listener.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
