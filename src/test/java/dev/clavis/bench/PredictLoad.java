package dev.clavis.bench;

import com.google.gson.JsonParser;
import dev.clavis.Clavis;
import dev.clavis.config.Config;
import dev.clavis.testing.Datasets;
import dev.clavis.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import javax.imageio.ImageIO;

/**
 * A load generator, not a test: color-recognition predictions on 256×256 PNGs over HTTP with a
 * PAT (the public clavis/main model), then training time of an embedding classifier for 100,
 * 200 and 400 inputs. Run with {@code bench/predict [requests] [threads]}.
 */
public final class PredictLoad {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path data = ScratchDir.create("clavis-bench");
        try (Clavis clavis = Clavis.create(Config.defaults().withPorts(0, 0).withDatabase(data, null)
                .withLimits(64 * 1024 * 1024, 0)).start()) {
            String base = "http://127.0.0.1:" + clavis.httpPort();
            clavis.users().create("bench", "bench@example.com", "bench password");
            String pat = clavis.keys().create(null, "bench", List.of(new dev.clavis.keys.KeyService.KeyDraft(
                    dev.clavis.auth.CredentialKind.PAT, "bench", List.of(), List.of(), "", "", null))).get(0).secret().reveal();

            BufferedImage scene = Datasets.scenes(1, 3).get(0).item();
            BufferedImage big = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
            big.createGraphics().drawImage(scene, 0, 0, 256, 256, null);
            String body = "{\"inputs\":[{\"data\":{\"image\":{\"base64\":\"" + TestImages.base64(png(big)) + "\"}}}]}";
            HttpRequest predict = HttpRequest.newBuilder(URI.create(base + "/v2/users/clavis/apps/main/models/color-recognition/outputs"))
                    .header("Authorization", "Key " + pat).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            Load.Call call = () -> {
                HttpResponse<String> r = HTTP.send(predict, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) throw new IllegalStateException(r.body());
            };
            System.out.printf("color-recognition, one 256x256 PNG per request (%d bytes of JSON), %d threads, %d cores%n",
                    body.length(), threads, Runtime.getRuntime().availableProcessors());
            Load.measure("warm-up", call, Math.min(requests, 500), threads);
            Load.measure("color-recognition", call, requests, threads);

            for (int n : new int[] {100, 200, 400}) trainingTime(base, pat, n);
        }
    }

    /** Adds n labelled 64-96 px scenes to a fresh app, trains, and prints the time to 21100. */
    private static void trainingTime(String base, String pat, int n) throws Exception {
        String app = "train-" + n;
        post(base + "/v2/users/bench/apps", pat, "{\"apps\":[{\"id\":\"" + app + "\"}]}");
        String prefix = base + "/v2/users/bench/apps/" + app;
        List<Datasets.Labelled<BufferedImage>> scenes = Datasets.scenes(n / 3 + 1, n).subList(0, n);
        for (int from = 0; from < n; from += 100) {
            StringJoiner inputs = new StringJoiner(",");
            for (Datasets.Labelled<BufferedImage> s : scenes.subList(from, Math.min(n, from + 100))) {
                inputs.add("{\"data\":{\"image\":{\"base64\":\"" + TestImages.base64(png(s.item())) + "\"},\"concepts\":[{\"id\":\"" + s.label() + "\"}]}}");
            }
            post(prefix + "/inputs", pat, "{\"inputs\":[" + inputs + "]}");
        }
        post(prefix + "/models", pat, "{\"model\":{\"id\":\"m\",\"output_info\":{\"data\":{\"concepts\":[{\"id\":\"sunset\"},"
                + "{\"id\":\"forest\"},{\"id\":\"ocean\"}]},\"output_config\":{\"concepts_mutually_exclusive\":true}}}}");
        long started = System.nanoTime();
        String version = JsonParser.parseString(post(prefix + "/models/m/versions", pat, "")).getAsJsonObject()
                .getAsJsonObject("model").getAsJsonObject("model_version").get("id").getAsString();
        int code;
        do {
            Thread.sleep(10);
            String v = HTTP.send(HttpRequest.newBuilder(URI.create(prefix + "/models/m/versions/" + version))
                    .header("Authorization", "Key " + pat).build(), HttpResponse.BodyHandlers.ofString()).body();
            code = JsonParser.parseString(v).getAsJsonObject().getAsJsonObject("model_version").getAsJsonObject("status").get("code").getAsInt();
        } while (code == 21103 || code == 21101);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("training, %3d image inputs: %.2f s to status %d (%.2f s per 100 inputs)%n", n, seconds, code, seconds / n * 100);
    }

    private static String post(String url, String pat, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key " + pat)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " -> " + r.body());
        return r.body();
    }

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
