package dev.clavis.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.clavis.testing.Datasets;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestImages;
import dev.clavis.testing.TestServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Clarifai's legacy JavaScript client, {@code clarifai@2.9.1} from the npm registry, drives a
 * whole flow from a Node script: inputs with concepts, a model trained and used, search, a
 * workflow, and a PAT predicting with {@code clavis/main/color-recognition}. The package is
 * installed under {@code target/} on first use.
 */
class ClarifaiJavaScriptClientTest {
    private static final Path NPM_DIR = Path.of("target", "npm-clarifai");

    @Test
    void the_npm_client_drives_a_full_flow() throws Exception {
        requireNode();
        installClient();
        Files.copy(Path.of("src/test/resources/npm/flow.js"), NPM_DIR.resolve("flow.js"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        writeData();

        try (TestServer server = new TestServer(TestDatabases.Kind.SQLITE)) {
            server.createUser("alice");
            server.createApp("alice", "js", false);
            String key = server.appKey("alice", "js", List.of("All"), List.of());
            String pat = server.pat("alice");

            ProcessBuilder node = new ProcessBuilder("node", "flow.js").directory(NPM_DIR.toFile()).redirectErrorStream(true);
            node.environment().put("CLAVIS_URL", server.baseUrl);
            node.environment().put("CLAVIS_KEY", key);
            node.environment().put("CLAVIS_PAT", pat);
            Process process = node.start();
            assertTrue(process.waitFor(3, TimeUnit.MINUTES), "node finished");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String last = output.substring(output.lastIndexOf('\n') + 1);
            System.out.println("clarifai@2.9.1 flow: " + last);
            assertEquals(0, process.exitValue(), output);

            JsonObject summary = JsonParser.parseString(last).getAsJsonObject();
            assertEquals(45, summary.get("inputsCreated").getAsInt());
            assertEquals(21100, summary.get("trainedStatus").getAsInt());
            assertTrue(summary.get("accuracy").getAsDouble() >= 0.9, last);
            assertEquals(15, summary.get("searchHits").getAsInt());
            assertEquals(Datasets.SCENES.get(0), summary.get("workflowTop").getAsString());
            assertEquals("Red", summary.get("topColor").getAsString());
        }
    }

    private static void requireNode() {
        boolean present;
        try {
            present = new ProcessBuilder("node", "--version").start().waitFor(30, TimeUnit.SECONDS)
                    && new ProcessBuilder("npm", "--version").start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "node and npm are not installed: skipping the npm client test");
    }

    private static void installClient() throws IOException, InterruptedException {
        if (Files.exists(NPM_DIR.resolve("node_modules/clarifai/package.json"))) return;
        Files.createDirectories(NPM_DIR);
        Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save", "clarifai@2.9.1")
                .directory(NPM_DIR.toFile()).redirectErrorStream(true).start();
        String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(install.waitFor(5, TimeUnit.MINUTES) && install.exitValue() == 0, "npm install clarifai@2.9.1 failed:\n" + log);
    }

    private static void writeData() throws IOException {
        JsonObject data = new JsonObject();
        data.add("train", items(Datasets.scenes(15, 21)));
        data.add("probe", items(Datasets.scenes(5, 22)));
        data.addProperty("red", TestImages.base64(TestImages.solid(Color.RED, 64, 64, "png")));
        Files.writeString(NPM_DIR.resolve("data.json"), data.toString());
    }

    private static JsonArray items(List<Datasets.Labelled<BufferedImage>> scenes) throws IOException {
        JsonArray out = new JsonArray();
        for (Datasets.Labelled<BufferedImage> s : scenes) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(s.item(), "png", png);
            JsonObject item = new JsonObject();
            item.addProperty("base64", TestImages.base64(png.toByteArray()));
            item.addProperty("concept", s.label());
            out.add(item);
        }
        return out;
    }
}
