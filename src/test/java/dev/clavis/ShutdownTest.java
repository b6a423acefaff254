package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.keys.KeyService;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process stopped with SIGTERM while clients write: every write it acknowledged is
 * in the database afterwards, and no call is answered 98004 on the way down.
 */
class ShutdownTest {
    @TempDir
    Path data;

    @Test
    void sigterm_under_load_loses_no_acknowledged_write_and_answers_no_internal_error() throws Exception {
        String pat;
        try (Services services = Services.open(Config.defaults().withDatabase(data, null))) {
            services.users().create("alice", "alice@example.com", "correct horse");
            pat = services.keys().create(null, "alice", List.of(new KeyService.KeyDraft(CredentialKind.PAT, "load", List.of(),
                    List.of(), "", "", null))).get(0).secret().reveal();
            services.apps().create("alice", List.of(new dev.clavis.apps.AppService.AppDraft("load", "load", "", 10, null)));
        }
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--data", data.toString(),
                "--port", "0", "--grpc-port", "0", "--host", "127.0.0.1", "--rate-limit", "0", "--shutdown-grace", "10s",
                "--log-format", "json")
                .redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        CountDownLatch serving = new CountDownLatch(1);
        AtomicInteger port = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                Pattern started = Pattern.compile("serving REST on port (\\d+)");
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                    Matcher m = started.matcher(line);
                    if (m.find()) {
                        port.set(Integer.parseInt(m.group(1)));
                        serving.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            assertTrue(serving.await(60, TimeUnit.SECONDS), "the server started: " + output);
            String url = "http://127.0.0.1:" + port.get() + "/v2/users/alice/apps/load/inputs";
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            List<String> internalErrors = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger sent = new AtomicInteger();
            CountDownLatch warm = new CountDownLatch(40);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    for (int i = 0; ; i++) {
                        String id = "c" + client + "-" + i;
                        String body = "{\"inputs\":[{\"id\":\"" + id + "\",\"data\":{\"text\":{\"raw\":\"text " + id + "\"}}}]}";
                        try {
                            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(url))
                                    .header("Authorization", "Key " + pat).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(20)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            sent.incrementAndGet();
                            JsonObject status = JsonParser.parseString(reply.body()).getAsJsonObject().getAsJsonObject("status");
                            int code = status.get("code").getAsInt();
                            if (code == 10000) acknowledged.add(id);
                            if (code == 98004) internalErrors.add(reply.body());
                            warm.countDown();
                        } catch (Exception refused) {
                            return; // the port has closed: this client is done
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            assertTrue(warm.await(60, TimeUnit.SECONDS), "load is flowing");
            // SIGTERM, as systemd or kill sends it; Process.destroy() would also close the pipe
            // this test reads the server's last log lines from.
            server.toHandle().destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stopped within its grace");
            reader.join(10_000); // what the process wrote last
            for (Thread t : clients) t.join(30_000);
            assertEquals(List.of(), internalErrors);

            try (Services services = Services.open(Config.defaults().withDatabase(data, null))) {
                Set<String> stored = ConcurrentHashMap.newKeySet();
                stored.addAll(services.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM inputs WHERE user_id = 'alice' AND app_id = 'load'").mapTo(String.class).list()));
                List<String> lost = acknowledged.stream().filter(id -> !stored.contains(id)).toList();
                assertEquals(List.of(), lost, "acknowledged but not stored, of " + acknowledged.size());
                assertTrue(acknowledged.size() >= 40, "writes were acknowledged: " + acknowledged.size());
            }
            // The JSON log format: every call line is one object carrying its req_id and fields.
            List<JsonObject> calls = output.stream().filter(l -> l.startsWith("{")).map(l -> JsonParser.parseString(l).getAsJsonObject())
                    .filter(o -> o.get("message").getAsString().equals("call")).toList();
            assertTrue(calls.size() >= acknowledged.size(), "call lines were flushed on shutdown: " + calls.size() + " of "
                    + acknowledged.size());
            assertTrue(output.stream().anyMatch(l -> l.contains("stopping: taking no new calls")), "the shutdown hook ran");
            JsonObject call = calls.get(0);
            for (String field : List.of("req_id", "door", "method", "credential", "code", "http", "ms", "client")) {
                assertTrue(call.has(field), field + " in " + call);
            }
            assertEquals("PostInputs", call.get("method").getAsString());
        } finally {
            server.destroyForcibly();
            reader.join(10_000);
        }
    }

    @Test
    void stopping_closes_the_port_but_finishes_a_request_already_in_flight() throws Exception {
        TestServer server = new TestServer(TestDatabases.Kind.SQLITE);
        server.createUser("alice");
        server.createApp("alice", "drain", false);
        String pat = server.pat("alice");
        int port = server.clavis.httpPort();
        String body = "{\"inputs\":[{\"id\":\"late\",\"data\":{\"text\":{\"raw\":\"" + "x".repeat(8000) + "\"}}}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String listApps = "GET /v2/users/alice/apps HTTP/1.1\r\nHost: x\r\nAuthorization: Key " + pat + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port); Socket keptAlive = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            keptAlive.setSoTimeout(20_000);
            keptAlive.getOutputStream().write(listApps.getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(response(keptAlive).startsWith("HTTP/1.1 200"), "a connection kept alive for more");
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/users/alice/apps/drain/inputs HTTP/1.1\r\nHost: x\r\nAuthorization: Key " + pat
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            Thread.sleep(100); // the server has the request; its body is still arriving

            Thread stopping = new Thread(server::close);
            stopping.start();
            assertTrue(eventually(() -> refused(port)), "the port closed while the request was still in flight");
            assertTrue(stopping.isAlive(), "stopping waits for the request in flight");
            // A new request on a connection already open is not taken on: the client is told to
            // send it again (to another node, or to this one restarted).
            keptAlive.getOutputStream().write(listApps.getBytes(StandardCharsets.ISO_8859_1));
            String turnedAway = response(keptAlive);
            assertTrue(turnedAway.startsWith("HTTP/1.1 503") && turnedAway.contains("\"code\":10030"), turnedAway);

            out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            out.flush();
            String reply = response(socket);
            assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
            assertTrue(reply.contains("\"code\":10000"), reply);
            stopping.join(30_000);
            assertFalse(stopping.isAlive(), "stopped once the request was answered");
        } finally {
            server.close();
        }
    }

    /** One response off a connection: its head, and a body of the length it declares. */
    private static String response(Socket socket) throws java.io.IOException {
        java.io.InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return head.toString();
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        int bytes = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
    }

    private static boolean refused(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; Thread.sleep(10)) {
            if (condition.getAsBoolean()) return true;
        }
        return false;
    }
}
