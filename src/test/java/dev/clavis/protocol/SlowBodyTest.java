package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow bodies (a slowloris attack): 300 connections that announce a body and send a byte now and
 * then must not keep an authenticated request from being answered; and a sign-in is refused
 * long before it could be large.
 */
class SlowBodyTest {
    private static final int ATTACKERS = 300;

    @Test
    void slow_bodies_without_a_credential_do_not_starve_authenticated_requests() throws Exception {
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE)) {
            server.createUser("alice");
            server.createApp("alice", "app", false);
            String key = server.appKey("alice", "app", List.of("All"), List.of());
            List<Socket> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < ATTACKERS; i++) {
                    String path = i % 2 == 0 ? "/v2/login" : "/signup";
                    String type = i % 2 == 0 ? "application/json" : "application/x-www-form-urlencoded";
                    Socket s = new Socket("127.0.0.1", server.clavis.httpPort());
                    s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type
                            + "\r\nContent-Length: 90000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    attackers.add(s);
                }
                for (int round = 0; round < 4; round++) {
                    Thread.sleep(1000);
                    for (Socket s : attackers) trickle(s);
                    long started = System.nanoTime();
                    assertEquals(10000, server.rest("GET", "/v2/myscopes", key, null).code());
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    assertTrue(millis < 2000, "an authenticated request took " + millis + " ms under the attack");
                }
            } finally {
                for (Socket s : attackers) s.close();
            }
            assertEquals(10000, server.rest("GET", "/v2/myscopes", key, null).code(), "and after it");
        }
    }

    @Test
    void a_sign_in_body_is_small_by_nature() {
        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE)) {
            TestServer.Reply big = server.send("POST", "/v2/login",
                    "{\"email\":\"" + "a".repeat(5000) + "@example.com\",\"password\":\"x\"}");
            assertEquals(413, big.http());
            assertEquals(11006, big.code());
        }
    }

    private static void trickle(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write('x');
            out.flush();
        } catch (IOException closedByTheServer) {
            // Refused for being too slow: what should happen to it.
        }
    }
}
