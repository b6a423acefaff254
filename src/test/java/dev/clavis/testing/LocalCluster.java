package dev.clavis.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code deploy/local-cluster}, run as an operator runs it, its settings in its environment: the
 * cluster test and the cluster benchmark drive the same script the README shows.
 */
public final class LocalCluster {
    /** The highest number of nodes {@link #freeNodeBase} looks for room for. */
    private static final int MAX_NODES = 3;

    private final Map<String, String> environment;

    public LocalCluster(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Runs one command of the script ({@code start 3}, {@code kill-node 2}, ...); fails with its output unless it succeeds. */
    public void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("deploy/local-cluster"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("local-cluster " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A value for CLUSTER_NODE_PORT: a base B with B+1..B+3 (REST) and B+101..B+103 (gRPC) all free. */
    public static int freeNodeBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + (int) (Math.random() * 20000);
            boolean free = true;
            for (int i = 1; i <= MAX_NODES && free; i++) free = isFree(base + i) && isFree(base + 100 + i);
            if (free) return base;
        }
        throw new IOException("no free block of ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
