package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.sun.net.httpserver.HttpServer;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Browser clients (npm's clarifai in a page) send CORS preflights: allowed origins get their
 * answer, others none. Checked over HTTP as a browser sends it, and by a real page in headless
 * Chromium on another origin.
 */
class CorsTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpServer pages;
    private static String pageOrigin;
    private static TestServer server;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        // A page of another origin, the way a web app would be served.
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            byte[] html = "<!doctype html><title>app</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        pages.start();
        pageOrigin = "http://127.0.0.1:" + pages.getAddress().getPort();
        server = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withCorsOrigins(List.of(pageOrigin)));
        server.createUser("alice");
        server.createApp("alice", "app", false);
        key = server.appKey("alice", "app", List.of("All"), List.of());
    }

    @AfterAll
    static void stop() {
        server.close();
        pages.stop(0);
    }

    @Test
    void an_allowed_origin_gets_its_preflight_answered_and_the_call_marked() throws Exception {
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/v2/myscopes"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", pageOrigin)
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertEquals(Optional.of(pageOrigin), preflight.headers().firstValue("Access-Control-Allow-Origin"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        HttpResponse<String> call = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/v2/myscopes"))
                .header("Origin", pageOrigin).header("Authorization", "Key " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, call.statusCode());
        assertEquals(Optional.of(pageOrigin), call.headers().firstValue("Access-Control-Allow-Origin"));
    }

    @Test
    void another_origin_gets_no_cors_headers_and_its_preflight_a_json_refusal() throws Exception {
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/v2/myscopes"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(preflight.statusCode() >= 400 && preflight.body().contains("\"req_id\""), preflight.body());
    }

    @Test
    void a_page_in_chromium_calls_the_api_across_origins_only_when_allowed() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed (Debian packages chromium, chromium-driver): skipping");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        try {
            browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            String script = """
                    const done = arguments[arguments.length - 1];
                    fetch(arguments[0], {headers: {Authorization: 'Key ' + arguments[1]}})
                      .then(r => r.json()).then(j => done('ok ' + j.status.code)).catch(e => done('blocked ' + e));
                    """;
            browser.get(pageOrigin + "/");
            Object allowed = ((JavascriptExecutor) browser).executeAsyncScript(script, server.baseUrl + "/v2/myscopes", key);
            assertEquals("ok 10000", allowed);

            // The same page on another origin (localhost is not 127.0.0.1 to a browser) is refused.
            browser.get(pageOrigin.replace("127.0.0.1", "localhost") + "/");
            Object refused = ((JavascriptExecutor) browser).executeAsyncScript(script, server.baseUrl + "/v2/myscopes", key);
            assertTrue(String.valueOf(refused).startsWith("blocked"), String.valueOf(refused));
        } finally {
            browser.quit();
        }
    }
}
