package dev.clavis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.keys.KeyService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
}
