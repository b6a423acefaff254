package dev.clavis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's temporary directory, removed with everything in it when the benchmark's JVM
 * exits: left behind, the databases and server logs of a few benchmark runs came to gigabytes.
 */
final class ScratchDir {
    private ScratchDir() {}

    static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "remove " + dir.getFileName()));
        return dir;
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            // Deepest first, so that each directory is empty when its turn comes.
            all.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
