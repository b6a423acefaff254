package dev.clavis.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.clavis.testing.TestDatabases;
import dev.clavis.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in headless Chromium (Debian's chromium and chromium-driver), as the product
 * description walks it: sign up, an app and its key, a second key with only Predict, its use
 * against the API, editing and deleting it, a personal access token, sign-out. Screenshots go
 * to {@code target/screenshots}.
 */
class PortalBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private TestServer server;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed (Debian packages chromium, chromium-driver): skipping");
        server = new TestServer(TestDatabases.Kind.SQLITE);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1200,1000",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    private void open(String path) {
        browser.get(server.baseUrl + path);
    }

    private void fill(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private String revealedSecret() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret"))).getText();
    }

    private void submitConfirmed(WebElement button) {
        button.click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
    }

    @Test
    void a_user_manages_an_app_its_keys_and_a_token_in_the_browser() throws IOException {
        open("/signup");
        fill("user_id", "alice");
        fill("email", "alice@example.com");
        fill("password", TestServer.PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/apps"));
        assertTrue(browser.getPageSource().contains("No apps yet"));

        fill("app_id", "gallery");
        fill("description", "Holiday pictures");
        browser.findElement(By.cssSelector("form[action='/apps'] button")).click();
        wait.until(ExpectedConditions.urlContains("/apps/gallery/settings"));
        String appKey = revealedSecret();
        assertEquals(10000, server.rest("GET", "/v2/app", appKey, null).code(), "the app's own key works");

        open("/apps");
        screenshot("apps-list");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        open("/apps/gallery/settings");
        screenshot("api-keys-narrow");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 1000));

        open("/apps/gallery/keys/new");
        fill("description", "Predict only");
        browser.findElement(By.cssSelector("input[name=scopes][value='Predict']")).click();
        for (String dependency : List.of("Apps:Get", "Concepts:Get", "Models:Get", "Workflows:Get")) {
            assertTrue(browser.findElement(By.cssSelector("input[name=scopes][value='" + dependency + "']")).isSelected(),
                    dependency + " is ticked with Predict");
        }
        assertFalse(browser.findElement(By.cssSelector("input[name=scopes][value='Inputs:Add']")).isSelected());
        screenshot("create-key-form");
        browser.findElement(By.cssSelector("form[data-deps] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/apps/gallery/settings"));
        String predictKey = revealedSecret();
        screenshot("api-keys-section");

        assertEquals(10000, server.rest("GET", "/v2/app", predictKey, null).code());
        assertEquals(11007, server.rest("POST", "/v2/inputs", predictKey, "{\"inputs\":[{\"data\":{\"text\":{\"raw\":\"x\"}}}]}").code());

        WebElement row = browser.findElements(By.cssSelector("tbody tr")).stream()
                .filter(r -> r.getText().contains("Predict only")).findFirst().orElseThrow();
        row.findElement(By.linkText("Edit")).click();
        wait.until(ExpectedConditions.urlContains("/edit"));
        for (WebElement box : browser.findElements(By.cssSelector("input[name=scopes]:checked"))) box.click();
        browser.findElement(By.cssSelector("input[name=scopes][value='Inputs:Get']")).click();
        browser.findElement(By.cssSelector("form[data-deps] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/apps/gallery/settings"));
        assertEquals(11007, server.rest("GET", "/v2/app", predictKey, null).code(), "the edit applies to the next request");

        row = browser.findElements(By.cssSelector("tbody tr")).stream()
                .filter(r -> r.getText().contains("Predict only")).findFirst().orElseThrow();
        submitConfirmed(row.findElement(By.cssSelector("button.danger")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "deleted"));
        assertEquals(11009, server.rest("GET", "/v2/app", predictKey, null).code(), "a deleted key is refused");

        open("/account/pats/new");
        fill("description", "CI token");
        browser.findElement(By.cssSelector("form[data-deps] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/account/security"));
        String pat = revealedSecret();
        assertEquals(10000, server.rest("GET", "/v2/users/alice/keys", pat, null).code());
        submitConfirmed(browser.findElement(By.cssSelector("tbody tr button.danger")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "deleted"));
        assertEquals(11009, server.rest("GET", "/v2/users/alice/keys", pat, null).code());

        browser.findElement(By.cssSelector("form[action='/signout'] button")).click();
        wait.until(ExpectedConditions.urlContains("/signin"));
        open("/apps");
        assertTrue(browser.getCurrentUrl().contains("/signin?next=%2Fapps"), "signed out, and sent back to /apps after signing in");
    }
}
