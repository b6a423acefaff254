package dev.clavis.bench;

import com.google.gson.JsonParser;
import dev.clavis.Clavis;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.keys.KeyService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What sharing rate limits through Redis costs: two servers from the real jar on one SQLite data
 * directory, one limiting in its own memory, one through Redis (127.0.0.1:6379), both with a
 * limit too high to refuse anything, driven by wrk in interleaved rounds with authenticated
 * MyScopes. Prints both rates and their ratio.
 * Usage: bench/ratelimits [seconds per run, default 4] [rounds, default 3]
 */
public final class RateLimitBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = ScratchDir.create("clavis-ratelimits");
        Path data = work.resolve("data");
        try (Clavis setup = Clavis.create(Config.defaults().withDatabase(data, null))) {
            setup.users().create("bench", "bench@example.com", "bench password");
        }
        List<Process> servers = new ArrayList<>();
        try {
            String local = start(servers, work, data, "local", List.of());
            String redis = start(servers, work, data, "redis", List.of("--redis-url", "redis://127.0.0.1:6379"));
            String pat;
            try (Clavis cli = Clavis.create(Config.defaults().withDatabase(data, null))) {
                pat = cli.keys().create(null, "bench", List.of(new KeyService.KeyDraft(CredentialKind.PAT, "bench",
                        List.of(), List.of(), "", "", null))).get(0).secret().reveal();
            }
            HotPathBench.post(local + "/v2/users/bench/apps", pat, "{\"apps\":[{\"id\":\"bench\"}]}");
            String key = JsonParser.parseString(HotPathBench.post(local + "/v2/users/bench/keys", pat,
                    "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"bench\",\"user_id\":\"bench\"}]}]}"))
                    .getAsJsonObject().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
            List<HotPathBench.Target> targets = List.of(
                    new HotPathBench.Target("local", local + "/v2/myscopes", 64, List.of("-H", "Authorization: Key " + key)),
                    new HotPathBench.Target("redis", redis + "/v2/myscopes", 64, List.of("-H", "Authorization: Key " + key)));
            System.out.printf(Locale.ROOT, "%d cores; wrk -t1 -c64, %d s a run, %d rounds after a warm-up round%n",
                    Runtime.getRuntime().availableProcessors(), seconds, rounds);
            for (HotPathBench.Target t : targets) HotPathBench.wrk(t, seconds);
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (HotPathBench.Target t : targets) rates.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(HotPathBench.wrk(t, seconds)[0]);
            }
            for (HotPathBench.Target t : targets) {
                System.out.printf(Locale.ROOT, "myscopes, limits %-5s: median %9.0f req/s (runs %s)%n", t.name(),
                        HotPathBench.median(rates.get(t.name())), rates.get(t.name()).stream()
                                .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
            }
            System.out.printf(Locale.ROOT, "redis / local = %.3f%n", HotPathBench.median(rates.get("redis")) / HotPathBench.median(rates.get("local")));
        } finally {
            for (Process p : servers) {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static String start(List<Process> servers, Path work, Path data, String name, List<String> extra) throws Exception {
        int port = HotPathBench.freePort();
        List<String> command = new ArrayList<>(List.of("java", "-jar", "target/clavis.jar", "serve", "--data", data.toString(),
                "--port", String.valueOf(port), "--grpc-port", String.valueOf(HotPathBench.freePort()), "--rate-limit", "100000000"));
        command.addAll(extra);
        servers.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start());
        String base = "http://127.0.0.1:" + port;
        HotPathBench.awaitUp(base + "/livez");
        return base;
    }
}
