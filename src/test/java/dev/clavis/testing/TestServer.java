package dev.clavis.testing;

import com.clarifai.credentials.ClarifaiCallCredentials;
import com.clarifai.grpc.api.V2Grpc;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clavis.Clavis;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.keys.KeyService;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A whole Clavis on free ports over a fresh database, with plain REST and gRPC clients and a
 * few set-up shortcuts (users, PATs, apps) that go through the same services as the API.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery";

    public final Clavis clavis;
    public final MutableClock clock = new MutableClock();
    public final String baseUrl;
    private final Path dataDir;
    private final ManagedChannel channel;
    private final HttpClient http = HttpClient.newHttpClient();

    /** The answer to a REST call: HTTP status and the JSON body. */
    public record Reply(int http, JsonObject body) {
        public int code() {
            return body.getAsJsonObject("status").get("code").getAsInt();
        }

        public String details() {
            JsonObject status = body.getAsJsonObject("status");
            return status.has("details") ? status.get("details").getAsString() : "";
        }
    }

    public TestServer(TestDatabases.Kind database) {
        this(database, c -> c);
    }

    public TestServer(TestDatabases.Kind database, UnaryOperator<Config> tweak) {
        this(dataDir -> TestDatabases.url(database, dataDir), tweak);
    }

    /** A server on a database of the caller's choosing: several servers may share one. */
    public TestServer(String jdbcUrl) {
        this(dataDir -> jdbcUrl, c -> c);
    }

    public TestServer(String jdbcUrl, UnaryOperator<Config> tweak) {
        this(dataDir -> jdbcUrl, tweak);
    }

    private TestServer(java.util.function.Function<Path, String> database, UnaryOperator<Config> tweak) {
        try {
            this.dataDir = Files.createTempDirectory("clavis-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Config config = tweak.apply(Config.defaults()
                .withPorts(0, 0)
                .withDatabase(dataDir, database.apply(dataDir))
                .withLimits(1024 * 1024, 0));
        this.clavis = Clavis.create(config, clock).start();
        this.baseUrl = "http://127.0.0.1:" + clavis.httpPort();
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", clavis.grpcPort()).usePlaintext().build();
    }

    public void createUser(String id) {
        clavis.users().create(id, id + "@example.com", PASSWORD);
    }

    /** A PAT with the given scopes (none = All), through the service the API uses. */
    public String pat(String userId, String... scopes) {
        return issue(userId, new KeyService.KeyDraft(CredentialKind.PAT, "test PAT", List.of(scopes), List.of(), "", "", null));
    }

    public String appKey(String userId, String appId, List<String> scopes, List<String> endpoints) {
        return issue(userId, new KeyService.KeyDraft(CredentialKind.APP_KEY, "test key", scopes, endpoints, userId, appId, null));
    }

    public void createApp(String userId, String appId, boolean isPublic) {
        clavis.apps().create(userId, List.of(new dev.clavis.apps.AppService.AppDraft(appId, appId, "",
                isPublic ? dev.clavis.apps.App.PUBLIC : dev.clavis.apps.App.PRIVATE, null)));
    }

    private String issue(String userId, KeyService.KeyDraft draft) {
        return clavis.keys().create(null, userId, List.of(draft)).get(0).secret().reveal();
    }

    public Reply rest(String verb, String path, String key, String jsonBody) {
        return send(verb, path, jsonBody, key == null ? new String[0] : new String[] {"Authorization", "Key " + key});
    }

    public Reply send(String verb, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(verb, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (headers.length > 0) request.headers(headers);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), JsonParser.parseString(response.body()).getAsJsonObject());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A gRPC stub sending {@code authorization: Key <key>}, or no credential for null. */
    public V2Grpc.V2BlockingStub grpc(String key) {
        V2Grpc.V2BlockingStub stub = V2Grpc.newBlockingStub(channel);
        return key == null ? stub : stub.withCallCredentials(new ClarifaiCallCredentials(key));
    }

    public io.grpc.Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        clavis.close();
    }
}
