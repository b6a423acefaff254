package dev.clavis.bench;

import com.google.gson.JsonParser;
import dev.clavis.Services;
import dev.clavis.auth.CredentialKind;
import dev.clavis.config.Config;
import dev.clavis.keys.KeyService;
import dev.clavis.testing.LocalCluster;
import dev.clavis.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark, not a test: authenticated MyScopes through nginx in front of 1, 2 and 3 nodes
 * ({@code deploy/local-cluster}, one PostgreSQL schema), each with and without shared Redis
 * limits (a limit too high to refuse anything, so every call still asks the limiter). wrk with
 * one thread and 64 connections against the balancer; each configuration gets three warm-up runs
 * (every node's JIT must warm, on its share of the traffic) and then its measured runs; prints
 * medians and ratios to one node without Redis, measured in the same run.
 * Usage: bench/cluster [seconds per run, default 5] [runs, default 3]
 */
public final class ClusterBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String databaseUrl = TestDatabases.postgres();
        Path dir = ScratchDir.create("clavis-cluster-bench");
        int balancer = LocalCluster.freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "CLAVIS_DATABASE_URL", databaseUrl,
                "CLUSTER_DIR", dir.toString(),
                "CLUSTER_HTTP_PORT", String.valueOf(balancer),
                "CLUSTER_GRPC_PORT", String.valueOf(LocalCluster.freePort()),
                "CLUSTER_NODE_PORT", String.valueOf(LocalCluster.freeNodeBase()),
                "CLAVIS_RATE_LIMIT", "1000000"));
        String base = "http://127.0.0.1:" + balancer;
        String key = null;
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "%d cores; wrk -t1 -c64 through nginx, %d s a run, %d runs after 3 warm-up runs%n",
                Runtime.getRuntime().availableProcessors(), seconds, runs);
        for (boolean redis : List.of(false, true)) {
            for (int nodes = 1; nodes <= 3; nodes++) {
                env.put("CLAVIS_REDIS_URL", redis ? "redis://127.0.0.1:6379" : "");
                new LocalCluster(env).run("start", String.valueOf(nodes));
                try {
                    if (key == null) key = setUp(databaseUrl, dir, base);
                    HotPathBench.Target target = new HotPathBench.Target(nodes + " node" + (nodes > 1 ? "s" : "")
                            + (redis ? ", Redis" : ", local"), base + "/v2/myscopes", 64, List.of("-H", "Authorization: Key " + key));
                    for (int w = 0; w < 3; w++) HotPathBench.wrk(target, seconds);
                    List<Double> measured = new ArrayList<>();
                    for (int r = 0; r < runs; r++) measured.add(HotPathBench.wrk(target, seconds)[0]);
                    rates.put(target.name(), measured);
                    System.out.printf(Locale.ROOT, "%-16s median %8.0f req/s (runs %s)%n", target.name(),
                            HotPathBench.median(measured), measured.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
                } finally {
                    new LocalCluster(env).run("stop");
                }
            }
        }
        double baseline = HotPathBench.median(rates.values().iterator().next());
        System.out.println();
        for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
            System.out.printf(Locale.ROOT, "%-16s %.2f × one node without Redis%n", e.getKey(), HotPathBench.median(e.getValue()) / baseline);
        }
    }

    /** A user, a PAT (through the services), an app and an app key (through the balancer). */
    private static String setUp(String databaseUrl, Path dir, String base) throws Exception {
        String pat;
        try (Services services = Services.open(Config.defaults().withDatabase(dir, databaseUrl))) {
            services.users().create("bench", "bench@example.com", "bench password");
            pat = services.keys().create(null, "bench", List.of(new KeyService.KeyDraft(CredentialKind.PAT, "bench",
                    List.of(), List.of(), "", "", null))).get(0).secret().reveal();
        }
        HotPathBench.post(base + "/v2/users/bench/apps", pat, "{\"apps\":[{\"id\":\"bench\"}]}");
        return JsonParser.parseString(HotPathBench.post(base + "/v2/users/bench/keys", pat,
                        "{\"keys\":[{\"scopes\":[\"All\"],\"apps\":[{\"id\":\"bench\",\"user_id\":\"bench\"}]}]}"))
                .getAsJsonObject().getAsJsonArray("keys").get(0).getAsJsonObject().get("id").getAsString();
    }
}
