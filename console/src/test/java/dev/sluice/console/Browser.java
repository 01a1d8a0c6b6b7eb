package dev.sluice.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's {@code chromium} and {@code chromium-driver} packages (no Selenium Manager, no
 * download), a window the size of a laptop screen, downloads into a directory of the test's, and a screenshot of
 * each step kept under the build's test reports.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "failsafe-reports", "screenshots");

    final ChromeDriver driver;
    final Path downloads;
    private final String base;
    private int shots;

    Browser(String base, Path downloads) throws IOException {
        this.base = base;
        this.downloads = Files.createDirectories(downloads).toAbsolutePath();
        Files.createDirectories(SCREENSHOTS);
        try (var old = Files.list(SCREENSHOTS)) {
            for (Path file : old.filter(f -> f.toString().endsWith(".png")).toList()) {
                Files.delete(file); // the last run's, so that the directory shows this run's steps only
            }
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("sluice.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("sluice.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", this.downloads.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        driver = new ChromeDriver(service, options);
    }

    void open(String path) {
        driver.get(base + path);
    }

    /** Signs out whoever is signed in (a new session) and signs in as a local user. */
    void signIn(String user) {
        driver.manage().deleteAllCookies();
        open("/login");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys("sluice-local");
        driver.findElement(By.id("sign-in")).click();
        waitFor(By.id("signed-in-as"));
    }

    WebElement waitFor(By what) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElement(what));
    }

    WebElement find(By what) {
        return driver.findElement(what);
    }

    List<WebElement> all(By what) {
        return driver.findElements(what);
    }

    String text(By what) {
        return driver.findElement(what).getText();
    }

    /** A screenshot of the viewport, numbered in the order of the steps. */
    Path screenshot(String step) {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, step));
        try {
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** The page's full height in the screenshot (for the README's images), then back to the laptop window. */
    Path fullScreenshot(String step) {
        var size = driver.manage().window().getSize();
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(size.getWidth(),
                Math.min(2400, Math.max(size.getHeight(), height.intValue() + 120))));
        try {
            return screenshot(step);
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
