package dev.clavis.bench;

import com.google.gson.JsonParser;
import dev.clavis.Clavis;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.keys.KeyService;
import dev.clavis.testing.Datasets;
import dev.clavis.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A benchmark, not a test: the request path's cost next to the web server under it. Starts the
 * real jar ({@code java -jar target/clavis.jar serve}, SQLite, {@code --rate-limit 0}) and an
 * nginx answering a static 200, then drives each with wrk (one thread) in interleaved rounds and
 * prints medians and their ratios, all measured in the same run on the same machine:
 * <ul>
 *   <li>{@code GET /v2/myscopes} with an app key ÷ {@code GET /livez} (no credential, no database), 64 connections;</li>
 *   <li>the same ÷ nginx's static 200, 64 connections;</li>
 *   <li>color-recognition on a 256×256 JPEG over HTTP ÷ {@code /livez}, 8 connections.</li>
 * </ul>
 * Run with {@code bench/hotpath [seconds per run, default 5] [rounds, default 5]}; set
 * {@code HOTPATH_ONLY=predict} (names separated by commas) to drive only those targets, e.g. under
 * a profiler given in {@code HOTPATH_SERVER_OPTS}.
 */
public final class HotPathBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** One thing wrk drives. */
    record Target(String name, String url, int connections, List<String> args) {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // Five: on a shared two-core box a run now and then comes out 10-15 % low (for livez too,
        // with the server's log going to /dev/null as much as to a file), and a median of three
        // is moved by two such runs.
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = ScratchDir.create("clavis-hotpath");
        Path data = work.resolve("data");
        int port = freePort();
        int grpcPort = freePort();

        // The user and a PAT, made through the services as the command line makes them.
        try (Clavis setup = Clavis.create(Config.defaults().withDatabase(data, null))) {
            setup.users().create("bench", "bench@example.com", "bench password");
        }
        // HOTPATH_SERVER_OPTS: JVM options for the server alone, e.g. a profiler's -agentpath.
        List<String> serve = new ArrayList<>(List.of("java"));
        String serverOptions = System.getenv("HOTPATH_SERVER_OPTS");
        if (serverOptions != null && !serverOptions.isBlank()) serve.addAll(List.of(serverOptions.trim().split("\\s+")));
        serve.addAll(List.of("-jar", "target/clavis.jar", "serve", "--data", data.toString(),
                "--port", String.valueOf(port), "--grpc-port", String.valueOf(grpcPort), "--rate-limit", "0"));
        Process server = new ProcessBuilder(serve).redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
        Process nginx = null;
        try {
            String base = "http://127.0.0.1:" + port;
            awaitUp(base + "/livez");
            String pat;
            try (Clavis cli = Clavis.create(Config.defaults().withDatabase(data, null))) {
                pat = cli.keys().create(null, "bench", List.of(new KeyService.KeyDraft(CredentialKind.PAT, "bench",
                        List.of(), List.of(), "", "", null))).get(0).secret().reveal();
            }
            post(base + "/v2/users/bench/apps", pat, "{\"apps\":[{\"id\":\"bench\"}]}");
            String key = JsonParser.parseString(post(base + "/v2/users/bench/keys", pat,
                    "{\"keys\":[{\"description\":\"bench\",\"scopes\":[\"All\"],\"apps\":[{\"id\":\"bench\",\"user_id\":\"bench\"}]}]}"))
                    .getAsJsonObject().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();

            byte[] jpeg = jpeg256();
            Path predictScript = work.resolve("predict.lua");
            Path body = work.resolve("predict.json");
            Files.writeString(body, "{\"inputs\":[{\"data\":{\"image\":{\"base64\":\"" + TestImages.base64(jpeg) + "\"}}}]}");
            Files.writeString(predictScript, """
                    wrk.method = "POST"
                    local f = io.open("%s", "rb")
                    wrk.body = f:read("*a")
                    f:close()
                    wrk.headers["Content-Type"] = "application/json"
                    """.formatted(body));

            List<Target> targets = new ArrayList<>();
            targets.add(new Target("livez", base + "/livez", 64, List.of()));
            // The baseline the issue was first measured against: it asks the database.
            targets.add(new Target("healthz", base + "/healthz", 64, List.of()));
            targets.add(new Target("myscopes", base + "/v2/myscopes", 64, List.of("-H", "Authorization: Key " + key)));
            int nginxPort = freePort();
            nginx = startNginx(work, nginxPort);
            if (nginx != null) targets.add(new Target("nginx", "http://127.0.0.1:" + nginxPort + "/", 64, List.of()));
            // The built-in model is public in clavis/main: a PAT reaches it by the full route.
            targets.add(new Target("predict", base + "/v2/users/clavis/apps/main/models/color-recognition/outputs", 8,
                    List.of("-s", predictScript.toString(), "-H", "Authorization: Key " + pat)));

            String only = System.getenv("HOTPATH_ONLY");
            if (only != null && !only.isBlank()) {
                List<String> names = List.of(only.split(","));
                targets.removeIf(t -> !names.contains(t.name()));
            }
            // Long enough for the JIT to finish with each path: predictions ran 30-40 % slow for
            // their first ten seconds or so, which a warm-up as short as a run left in the medians.
            int warmUp = Math.max(3 * seconds, 10);
            System.out.printf(Locale.ROOT, "%d cores; wrk -t1, %d s a run, %d rounds after %d s of warm-up per target; JPEG %d bytes (%d of JSON)%n",
                    Runtime.getRuntime().availableProcessors(), seconds, rounds, warmUp, jpeg.length, Files.size(body));
            for (Target t : targets) wrk(t, warmUp);
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            Map<String, List<Double>> p99s = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (Target t : targets) {
                    double[] result = wrk(t, seconds);
                    rates.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(result[0]);
                    p99s.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(result[1]);
                }
            }
            System.out.println();
            for (Target t : targets) {
                System.out.printf(Locale.ROOT, "%-9s %3d conn: median %9.0f req/s (runs %s), p99 latency median %.2f ms%n",
                        t.name(), t.connections(), median(rates.get(t.name())), rates.get(t.name()).stream()
                                .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList(), median(p99s.get(t.name())));
            }
            System.out.println();
            ratio(rates, "myscopes", "livez", "%.3f  (target >= 0.8)");
            ratio(rates, "myscopes", "healthz", "%.3f  (the issue's first baseline; 0.17 then)");
            ratio(rates, "myscopes", "nginx", "%.3f  (target >= 0.25)");
            ratio(rates, "predict", "livez", "%.4f (target >= 0.04)");
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Prints the ratio of two targets' medians, when both were driven (see HOTPATH_ONLY). */
    private static void ratio(Map<String, List<Double>> rates, String target, String baseline, String format) {
        if (!rates.containsKey(target) || !rates.containsKey(baseline)) return;
        System.out.printf(Locale.ROOT, "%-18s = " + format + "%n", target + " / " + baseline,
                median(rates.get(target)) / median(rates.get(baseline)));
    }

    /** Runs wrk once; returns requests per second and the p99 latency in milliseconds. */
    static double[] wrk(Target t, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c" + t.connections(), "-d" + seconds + "s", "--latency"));
        command.addAll(t.args());
        command.add(t.url());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("wrk failed: " + out);
        Matcher errors = NON_2XX.matcher(out);
        if (errors.find()) throw new IllegalStateException(t.name() + ": " + errors.group(1) + " answers were not 2xx:\n" + out);
        Matcher rate = RATE.matcher(out);
        Matcher p99 = P99.matcher(out);
        if (!rate.find() || !p99.find()) throw new IllegalStateException("unreadable wrk output:\n" + out);
        double unit = switch (p99.group(2)) {
            case "us" -> 0.001;
            case "ms" -> 1;
            default -> 1000;
        };
        return new double[] {Double.parseDouble(rate.group(1)), Double.parseDouble(p99.group(1)) * unit};
    }

    /** nginx as one would run it for static answers: a worker per core, no access log. */
    private static Process startNginx(Path work, int port) throws IOException, InterruptedException {
        File binary = new File("/usr/sbin/nginx");
        if (!binary.canExecute()) {
            System.out.println("nginx not installed (Debian package nginx-light): its ratio is left out");
            return null;
        }
        Path conf = work.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes auto;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s;
                    proxy_temp_path %1$s;
                    fastcgi_temp_path %1$s;
                    uwsgi_temp_path %1$s;
                    scgi_temp_path %1$s;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / { return 200 "ok\\n"; }
                    }
                }
                """.formatted(work, port));
        Process nginx = new ProcessBuilder(binary.getPath(), "-c", conf.toString(), "-p", work.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("nginx.out").toFile()).start();
        awaitUp("http://127.0.0.1:" + port + "/");
        return nginx;
    }

    /** A 256×256 photo-like scene as JPEG, about the size of a small camera thumbnail. */
    private static byte[] jpeg256() throws IOException {
        BufferedImage scene = Datasets.scenes(1, 3).get(0).item();
        BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        image.createGraphics().drawImage(scene, 0, 0, 256, 256, null);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                // Grain, as a camera leaves it: it is what makes a JPEG of this size ~13 KB.
                int noise = (int) ((Math.sin(x * 12.9898 + y * 78.233) * 43758.5453) % 1 * 8);
                int rgb = image.getRGB(x, y);
                int r = clamp(((rgb >> 16) & 0xFF) + noise), g = clamp(((rgb >> 8) & 0xFF) + noise), b = clamp((rgb & 0xFF) + noise);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void awaitUp(String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(url + " did not come up");
    }

    static String post(String url, String credential, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key " + credential)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " -> " + r.body());
        return r.body();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
