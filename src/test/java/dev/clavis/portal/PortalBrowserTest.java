package dev.clavis.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in headless Chromium (Debian's chromium and chromium-driver), as the product
 * description walks it and as the portal issue asked it to change: sign up, an app's overview and
 * settings, keys listed by their prefix and copied from the list, the scope chooser, a refused
 * form that keeps what was typed, editing, deleting, a personal access token, a deep link that
 * survives sign-in, and a sign-in form posted from another origin that signs no one in. Every
 * page is photographed at 1280 and 390 px into {@code target/screenshots}, checked for
 * horizontal overflow on the narrow screen, and checked with axe-core (npm) for serious or
 * critical accessibility violations.
 */
class PortalBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path AXE_DIR = Path.of("target", "npm-axe");
    private static final String AXE_VERSION = "4.14.1";

    private TestServer server;
    private WebDriver browser;
    private WebDriverWait wait;
    private final List<String> accessibilityProblems = new ArrayList<>();
    private final List<String> overflows = new ArrayList<>();
    private String axe;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed (Debian packages chromium, chromium-driver): skipping");
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        // As the embedded setup starts by default: with a master key, so keys can be copied later.
        server = new TestServer(TestDatabases.Kind.SQLITE, c -> c.withSecretKey(masterKey));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        Files.createDirectories(SCREENSHOTS);
        axe = axeCore();
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    @Test
    void a_user_manages_an_app_its_keys_and_a_token_in_the_browser() throws IOException {
        open("/apps/gallery/settings");
        wait.until(ExpectedConditions.urlContains("/signin?next="));
        look("signin");
        assertTrue(text("p.lead").contains("Clavis manages"), "the sign-in page says what Clavis is");
        browser.findElement(By.linkText("Sign up")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user_id")));
        fill("user_id", "alice");
        fill("email", "alice@example.com");
        fill("password", TestServer.PASSWORD);
        look("signup");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/apps"));
        assertEquals("page", browser.findElement(By.linkText("Apps")).getDomAttribute("aria-current"), "the navigation marks Apps");
        assertTrue(browser.getPageSource().contains("No apps yet"));
        look("apps-empty");

        // A new app opens on its overview, with its key shown once and a quick start.
        fill("app_id", "gallery");
        fill("description", "Holiday pictures");
        browser.findElement(By.cssSelector("form[action='/apps'] button")).click();
        wait.until(ExpectedConditions.urlToBe(server.baseUrl + "/apps/gallery"));
        String appKey = revealedSecret();
        assertEquals(10000, server.rest("GET", "/v2/app", appKey, null).code(), "the app's own key works");
        assertEquals("1", browser.findElement(By.xpath("//dt[.='API keys']/following-sibling::dd")).getText());
        assertTrue(text("pre.snippet").contains(server.baseUrl + "/v2/app"), "the quick start names this server");
        look("app-overview");
        open("/apps");
        look("apps-list");

        // Settings: keys are listed by their prefix, and the seed's Copy works from the list.
        open("/apps/gallery");
        browser.findElement(By.linkText("Settings")).click();
        wait.until(ExpectedConditions.urlContains("/apps/gallery/settings"));
        WebElement firstRow = browser.findElement(By.cssSelector("table.keys tbody tr"));
        String prefix = firstRow.findElement(By.cssSelector("td code")).getText();
        assertTrue(appKey.startsWith(prefix.replace("…", "")), prefix + " identifies " + appKey.substring(0, 8));
        WebElement copy = firstRow.findElement(By.cssSelector("button[aria-label^='Copy key']"));
        assertTrue(copy.getDomAttribute("aria-label").contains(prefix), "the button says which key");
        look("app-settings");
        navigateBy(copy);
        assertEquals(appKey, revealedSecret(), "Copy shows the same key again");

        // The create form: refused without scopes, it keeps the description and says so by the scopes.
        open("/apps/gallery/keys/new");
        fill("description", "Predict only");
        fill("networks", "10.0.0.0/33");
        submitKeyForm();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("scopes-error")));
        assertTrue(text("#networks-error").contains("10.0.0.0/33"), "the bad network is named by its field");
        assertEquals("10.0.0.0/33", browser.findElement(By.id("networks")).getDomProperty("value"));
        fill("networks", "");
        assertEquals("Predict only", browser.findElement(By.id("description")).getDomProperty("value"));
        assertTrue(text("#scopes-error").contains("Choose at least one scope"));
        // Ticking Predict ticks what it needs, which cannot be unticked while Predict is.
        scope("Predict").click();
        assertFalse(browser.findElement(By.id("scopes-error")).isDisplayed(), "the refusal goes once a scope is chosen");
        for (String dependency : List.of("Apps:Get", "Concepts:Get", "Models:Get", "Workflows:Get")) {
            assertTrue(scope(dependency).isSelected(), dependency + " is ticked with Predict");
            assertTrue(scope(dependency).findElement(By.xpath("..")).getText().contains("needed by Predict"));
        }
        scope("Models:Get").click();
        assertTrue(scope("Models:Get").isSelected(), "a scope Predict needs stays ticked");
        assertFalse(scope("Inputs:Add").isSelected());
        // All covers the rest; unticked, the choice comes back.
        scope("All").click();
        assertTrue(scope("Inputs:Add").isSelected() && !scope("Inputs:Add").isEnabled(), "All covers Inputs:Add");
        scope("All").click();
        assertFalse(scope("Inputs:Add").isSelected());
        assertTrue(scope("Predict").isSelected());
        // The filter narrows the groups.
        fill("scope-filter", "inputs");
        assertFalse(scope("Predict").isDisplayed(), "filtered out");
        assertTrue(scope("Inputs:Add").isDisplayed());
        fill("scope-filter", "");
        look("create-key-form");
        submitKeyForm();
        wait.until(ExpectedConditions.urlContains("/apps/gallery/settings"));
        String predictKey = revealedSecret();
        WebElement created = browser.findElement(By.cssSelector("tr.new"));
        assertTrue(created.getText().contains("Predict only"), "the row just created is marked");
        look("app-settings-new-key");
        assertEquals(10000, server.rest("GET", "/v2/app", predictKey, null).code());
        assertEquals(11007, server.rest("POST", "/v2/inputs", predictKey, "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"x\"}}}]}").code());

        // Editing: fewer scopes, and a description cleared to nothing.
        row("Predict only").findElement(By.cssSelector("a[aria-label^='Edit key']")).click();
        wait.until(ExpectedConditions.urlContains("/edit"));
        scope("Predict").click();
        for (WebElement box : browser.findElements(By.cssSelector("input[name=scopes]:checked"))) box.click();
        scope("Inputs:Get").click();
        fill("description", "");
        look("edit-key-form");
        submitKeyForm();
        wait.until(ExpectedConditions.urlContains("/apps/gallery/settings"));
        assertEquals(11007, server.rest("GET", "/v2/app", predictKey, null).code(), "the edit applies to the next request");
        WebElement edited = row("(no description)");
        assertTrue(edited.getText().contains("Inputs:Get"));

        edited.findElement(By.cssSelector("button[aria-label^='Delete key']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "deleted"));
        assertEquals(11009, server.rest("GET", "/v2/app", predictKey, null).code(), "a deleted key is refused");

        // A key that expires in three days: the list warns of it. Then it is rolled, the old secret dropped at once.
        open("/apps/gallery/keys/new");
        fill("description", "Short-lived");
        scope("Predict").click();
        browser.findElement(By.cssSelector("input[name=expires][value=date]")).click();
        ((JavascriptExecutor) browser).executeScript("document.getElementById('expires_on').value = arguments[0]",
                LocalDate.now(ZoneOffset.UTC).plusDays(3).toString());
        submitKeyForm();
        wait.until(ExpectedConditions.urlContains("/apps/gallery/settings"));
        String shortLived = revealedSecret();
        assertTrue(text("p.warning").contains("One key expires within 7 days"), text("p.warning"));
        assertTrue(row("Short-lived").findElement(By.cssSelector("td.expiring")).getText().contains("soon"));
        look("app-settings-expiring");
        ((JavascriptExecutor) browser).executeScript("document.querySelector('table.keys').scrollIntoView()");
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                SCREENSHOTS.resolve("app-settings-expiring-1280-table.png"), StandardCopyOption.REPLACE_EXISTING);
        navigateBy(row("Short-lived").findElement(By.cssSelector("a[aria-label^='Roll key']")));
        new Select(browser.findElement(By.id("overlap"))).selectByValue("0");
        look("roll-key");
        navigateBy(browser.findElement(By.cssSelector("form .form-actions button[type=submit]")));
        String rolledSecret = revealedSecret();
        assertTrue(text("p.notice").contains("rolled; the previous secret has stopped working"), text("p.notice"));
        assertEquals(11009, server.rest("GET", "/v2/app", shortLived, null).code(), "the old secret is refused");
        assertEquals(10000, server.rest("GET", "/v2/app", rolledSecret, null).code(), "the new one works");

        // A personal access token, copied again from its list, then deleted.
        open("/account/security");
        assertEquals("page", browser.findElement(By.linkText("Security")).getDomAttribute("aria-current"));
        look("security-empty");
        open("/account/pats/new");
        fill("description", "CI token");
        browser.findElement(By.cssSelector("input[name=expires][value='30']")).click();
        look("create-token-form");
        submitKeyForm();
        wait.until(ExpectedConditions.urlContains("/account/security"));
        String pat = revealedSecret();
        assertEquals(10000, server.rest("GET", "/v2/users/alice/keys", pat, null).code());
        assertTrue(row("CI token").getText().contains(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString()), "expires in 30 days");
        look("security");
        navigateBy(browser.findElement(By.cssSelector("button[aria-label^='Copy token']")));
        assertEquals(pat, revealedSecret());
        browser.findElement(By.cssSelector("button[aria-label^='Delete token']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "deleted"));
        assertEquals(11009, server.rest("GET", "/v2/users/alice/keys", pat, null).code());

        // A key's usage as a chart: done and refused requests per day.
        assertEquals(404, server.rest("GET", "/v2/models/no-such-model", appKey, null).http());
        server.clavis.flushUsage();
        open("/apps/gallery/settings");
        navigateBy(row("Created with the app").findElement(By.cssSelector("a[aria-label^='Usage of key']")));
        assertTrue(text("main h1 + p").matches("\\d+ requests in the last 14 days, 1 of them refused\\..*"), text("main p"));
        assertTrue(browser.findElement(By.cssSelector("figure.chart svg")).getDomAttribute("aria-label").contains("1 refused"));
        look("key-usage");

        // The account's activity: every event above, filterable by app.
        open("/account/activity");
        assertEquals("page", browser.findElement(By.linkText("Activity")).getDomAttribute("aria-current"));
        String activity = text("table.activity");
        for (String event : List.of("USER_CREATE", "APP_CREATE", "API_KEY_CREATE", "API_KEY_UPDATE", "API_KEY_ROLL", "API_KEY_REVEAL",
                "API_KEY_DELETE", "PAT_CREATE", "PAT_DELETE")) {
            assertTrue(activity.contains(event), event + " in the activity");
        }
        new Select(browser.findElement(By.id("app"))).selectByValue("gallery");
        navigateBy(browser.findElement(By.cssSelector("form.filters button")));
        assertTrue(browser.getCurrentUrl().contains("app=gallery"));
        assertFalse(text("table.activity").contains("PAT_CREATE"), "only the app's events");
        assertTrue(text("table.activity").contains("API_KEY_ROLL"));
        look("activity");

        open("/no/such/page");
        look("not-found");
        assertTrue(browser.findElements(By.cssSelector("nav[aria-label=Main]")).size() == 1, "the navigation stays on error pages");
        open("/signout");
        look("signout");

        // Sign out, then a deep link comes back after signing in.
        browser.findElement(By.cssSelector("nav form[action='/signout'] button")).click();
        wait.until(ExpectedConditions.urlContains("/signin"));
        open("/apps/gallery/settings");
        wait.until(ExpectedConditions.urlContains("/signin?next="));
        fill("email", "alice@example.com");
        fill("password", TestServer.PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(server.baseUrl + "/apps/gallery/settings"));

        assertEquals(List.of(), overflows, "no page scrolls sideways at 390 px");
        assertEquals(List.of(), accessibilityProblems, "axe-core: no serious or critical violations");
    }

    @Test
    void a_sign_in_form_posted_from_another_port_of_this_host_signs_no_one_in() throws IOException {
        server.createUser("mallory");
        // The attacker's page, on another port of the same host (a same-site origin: cookies flow).
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("<!DOCTYPE html><html><body><form id=f method=post action='" + server.baseUrl + "/signin'>"
                + "<input name=email value='mallory@example.com'><input name=password value='" + TestServer.PASSWORD + "'>"
                + "</form><script>document.getElementById('f').submit()</script></body></html>").getBytes(StandardCharsets.UTF_8);
        attacker.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        try {
            open("/signin"); // the victim has been here: the browser holds a form cookie
            browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
            wait.until(ExpectedConditions.urlContains("/signin"));
            assertTrue(browser.getPageSource().contains("not from this site"), browser.getPageSource());
            open("/apps");
            assertTrue(browser.getCurrentUrl().contains("/signin"), "not signed in as the attacker");
        } finally {
            attacker.stop(0);
        }
    }

    private void open(String path) {
        browser.get(server.baseUrl + path);
    }

    private void fill(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        if (!value.isEmpty()) field.sendKeys(value);
        // Filters react to input events; clear() alone sends none.
        ((JavascriptExecutor) browser).executeScript("arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", field);
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private WebElement scope(String name) {
        return browser.findElement(By.cssSelector("input[name=scopes][value='" + name + "']"));
    }

    private void submitKeyForm() {
        navigateBy(browser.findElement(By.cssSelector("form[data-deps] .form-actions button[type=submit]")));
    }

    /** Clicks something that loads a page, and waits until the old page is gone (its elements would mislead). */
    private void navigateBy(WebElement element) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("document.documentElement.dataset.left = 'yes'");
        element.click();
        wait.until(driver -> {
            try {
                return js.executeScript("return document.readyState === 'complete' && !document.documentElement.dataset.left");
            } catch (org.openqa.selenium.WebDriverException navigating) {
                return false;
            }
        });
    }

    private WebElement row(String containing) {
        return browser.findElements(By.cssSelector("table.keys tbody tr")).stream()
                .filter(r -> r.getText().contains(containing)).findFirst().orElseThrow();
    }

    private String revealedSecret() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret"))).getText();
    }

    /**
     * The page as it stands, at 1280 and at 390 px: a screenshot of each, whether the narrow one
     * scrolls sideways, and what axe-core finds.
     */
    private void look(String name) throws IOException {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        for (int width : new int[] {1280, 390}) {
            browser.manage().window().setSize(new Dimension(width, width == 390 ? 844 : 900));
            Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + "-" + width + ".png"), StandardCopyOption.REPLACE_EXISTING);
            if (width == 390) {
                // The narrow table view (cards) lies below the fold: photographed too.
                if (!browser.findElements(By.cssSelector("table")).isEmpty()) {
                    js.executeScript("document.querySelector('table').scrollIntoView()");
                    Path table = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
                    Files.copy(table, SCREENSHOTS.resolve(name + "-" + width + "-table.png"), StandardCopyOption.REPLACE_EXISTING);
                    js.executeScript("window.scrollTo(0, 0)");
                }
                Number scroll = (Number) js.executeScript("return document.documentElement.scrollWidth");
                Number view = (Number) js.executeScript("return document.documentElement.clientWidth");
                if (scroll.intValue() > view.intValue()) overflows.add(name + ": " + scroll + " > " + view);
            }
        }
        browser.manage().window().setSize(new Dimension(1280, 900));
        js.executeScript(axe);
        String found = (String) js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document).then(r => done(JSON.stringify({passes: r.passes.length, violations: r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))})))");
        JsonObject result = JsonParser.parseString(found).getAsJsonObject();
        assertTrue(result.get("passes").getAsInt() > 10, "axe-core ran its rules on " + name + ": " + found);
        result.getAsJsonArray("violations").forEach(v -> accessibilityProblems.add(name + ": " + v.getAsString()));
    }

    /** axe-core from the npm registry, installed once into target/. */
    private static String axeCore() throws IOException, InterruptedException {
        Path script = AXE_DIR.resolve("node_modules/axe-core/axe.min.js");
        if (!Files.exists(script)) {
            boolean npm;
            try {
                npm = new ProcessBuilder("npm", "--version").start().waitFor(60, TimeUnit.SECONDS);
            } catch (IOException e) {
                npm = false;
            }
            Assumptions.assumeTrue(npm, "npm is not installed: skipping the portal's browser test (it needs axe-core)");
            Files.createDirectories(AXE_DIR);
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save", "axe-core@" + AXE_VERSION)
                    .directory(AXE_DIR.toFile()).redirectErrorStream(true).start();
            String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(install.waitFor(5, TimeUnit.MINUTES) && install.exitValue() == 0, "npm install axe-core failed:\n" + log);
        }
        return Files.readString(script);
    }
}
