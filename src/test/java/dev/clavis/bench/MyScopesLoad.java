package dev.clavis.bench;

import com.clarifai.credentials.ClarifaiCallCredentials;
import com.clarifai.grpc.api.MyScopesRequest;
import com.clarifai.grpc.api.V2Grpc;
import dev.clavis.Clavis;
import dev.clavis.apps.AppService;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.keys.KeyService;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * A load generator, not a test: starts Clavis on loopback over a fresh SQLite database, then
 * sends MyScopes with an app key over REST and over gRPC from a few threads, and prints start-up
 * time, latency percentiles and throughput. Bounded by request count and by time.
 *
 * <p>Run with {@code bench/myscopes [requests] [threads]}.
 */
public final class MyScopesLoad {
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path data = ScratchDir.create("clavis-bench");
        Config config = Config.defaults().withPorts(0, 0).withDatabase(data, null).withLimits(1024 * 1024, 0);

        long t0 = System.nanoTime();
        Clavis clavis = Clavis.create(config).start();
        long startupMillis = (System.nanoTime() - t0) / 1_000_000;
        try {
            clavis.users().create("bench", "bench@example.com", "bench password");
            clavis.apps().create("bench", List.of(new AppService.AppDraft("bench-app", "", "", 0, null)));
            String key = clavis.keys().create(null, "bench", List.of(new KeyService.KeyDraft(CredentialKind.APP_KEY, "bench",
                    List.of("All"), List.of(), "bench", "bench-app", null))).get(0).secret().reveal();

            System.out.printf("start-up (Clavis.create + start, SQLite, migrations): %d ms%n", startupMillis);
            System.out.printf("%d MyScopes requests per front, %d threads, app key, loopback, %d cores%n",
                    requests, threads, Runtime.getRuntime().availableProcessors());

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest rest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clavis.httpPort() + "/v2/myscopes"))
                    .header("Authorization", "Key " + key).build();
            Load.Call restCall = () -> {
                HttpResponse<String> r = http.send(rest, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body());
            };
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", clavis.grpcPort()).usePlaintext().build();
            V2Grpc.V2BlockingStub stub = V2Grpc.newBlockingStub(channel).withCallCredentials(new ClarifaiCallCredentials(key));
            Load.Call grpcCall = () -> {
                int code = stub.myScopes(MyScopesRequest.getDefaultInstance()).getStatus().getCodeValue();
                if (code != 10000) throw new IllegalStateException("status " + code);
            };

            Load.measure("warm-up REST", restCall, Math.min(requests, 5_000), threads);
            Load.measure("warm-up gRPC", grpcCall, Math.min(requests, 5_000), threads);
            Load.measure("REST MyScopes", restCall, requests, threads);
            Load.measure("gRPC MyScopes", grpcCall, requests, threads);
            channel.shutdownNow();
        } finally {
            clavis.close();
        }
    }
}
