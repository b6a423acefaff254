package dev.clavis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback whose connections can be frozen: bytes stop flowing both ways while the
 * sockets stay open, as when a peer or a network path dies without a word. Connections made
 * after a freeze flow normally.
 */
public final class FreezableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean cut;

    public FreezableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "freezable-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many connections have come through so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Until {@link #restore}, closes every connection, open or new: the peer is gone, and says so. */
    public void cut() {
        cut = true;
        connections.forEach(Connection::close);
    }

    public void restore() {
        cut = false;
    }

    /** Stops every open connection dead, without closing it. */
    public void freezeExisting() {
        connections.forEach(c -> c.frozen = true);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Connection c = new Connection(client, target);
                connections.add(c);
                accepted.incrementAndGet();
                pump(c, client, target);
                pump(c, target, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Connection c, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    while (c.frozen && !from.isClosed()) Thread.sleep(50);
                    if (c.frozen) return;
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // One side went away: the other follows.
            } finally {
                c.close();
            }
        }, "freezable-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.forEach(Connection::close);
    }

    private static final class Connection {
        final Socket a;
        final Socket b;
        volatile boolean frozen;

        Connection(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void close() {
            try {
                a.close();
                b.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }
}
