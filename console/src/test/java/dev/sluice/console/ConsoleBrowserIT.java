package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The console in a real browser (Debian's headless Chromium through Selenium) against the real platform that
 * local-infra starts: the registry, gatekeeper, dedup, datapump with its Spark jobs, governance and privacy-requests
 * services and the console from their jars (as {@code ./sluice run} starts them), fed with the repository's demo
 * schemas and events. The console calls the services as the signed-in local user. A screenshot of every step is
 * kept in {@code target/failsafe-reports/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // independent; the access scenario last, when tier zero is ready
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3, Server.GATEKEEPER, Server.DEDUP,
        Server.DATAPUMP, Server.GOVERNANCE, Server.PRIVACY, Server.CONSOLE})
class ConsoleBrowserIT {

    static Platform platform;
    static List<String> demoEvents;
    static Browser browser;

    @BeforeAll
    static void start(LocalInfra infra) throws IOException {
        platform = new Platform(infra);
        platform.registerDemoSchemas();
        // sent first: they land, are dumped and indexed while the governance scenarios run
        demoEvents = platform.sendDemoEvents();
        browser = new Browser(infra.consoleUrl(), Path.of("target", "downloads", UUID.randomUUID().toString()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    static String name(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    }

    /** The row of a column in the reservoir page's policy table of an event type. */
    static WebElement policyRow(String eventType, String path) {
        return browser.find(By.cssSelector("#policy-" + eventType + " tr[data-column='" + path + "']"));
    }

    @Test
    @Order(1)
    void anAnalystAsksForHashedUserIdsInMarketingTheDpoApprovesAndTheAnalystSeesThePolicyChange() {
        String marketing = name("marketing");

        // the platform admin makes the reservoir, with the analyst as a member
        browser.signIn("admin");
        browser.open("/admin");
        browser.find(By.id("name")).sendKeys(marketing);
        browser.find(By.id("owningTeam")).sendKeys("growth");
        browser.find(By.id("members")).sendKeys("analyst");
        browser.find(By.cssSelector("form[action='/admin/reservoirs'] button")).click();
        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).isEqualTo("Reservoir " + marketing + " created.");
        browser.screenshot("admin-created-reservoir");

        // the analyst sees the reservoir, its tables and, per column, the action and why
        browser.signIn("analyst");
        browser.open("/analyst");
        browser.find(By.linkText(marketing)).click();
        browser.waitFor(By.id("policy-account_updated"));
        assertThat(browser.text(By.id("database"))).isEqualTo("sluice_" + marketing);
        assertThat(browser.text(By.id("tables"))).contains("account_updated", "s3://sluice-lake/tier1/" + marketing
                + "/events/account_updated/");
        WebElement userId = policyRow("account_updated", "user_id");
        assertThat(userId.findElement(By.cssSelector(".action")).getText()).isEqualTo("DROP");
        assertThat(userId.findElement(By.cssSelector(".basis")).getText()).startsWith("DEFAULT");
        assertThat(userId.getText()).contains("entity user/id", "personal data");
        browser.screenshot("analyst-policy-before");

        // and asks for user_id hashed
        new Select(browser.find(By.id("target"))).selectByValue("field:account_updated:user_id");
        new Select(browser.find(By.id("action"))).selectByValue("HASH");
        browser.find(By.id("purpose")).sendKeys("join sign-ups with campaigns");
        browser.find(By.id("request-grant")).click();
        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).contains("waiting for the DPO");
        WebElement request = browser.find(By.cssSelector("table.grants tr[data-grant]"));
        String grant = request.getAttribute("data-grant");
        assertThat(request.findElement(By.cssSelector(".status")).getText()).isEqualTo("PENDING");
        assertThat(policyRow("account_updated", "user_id").findElement(By.cssSelector(".action")).getText())
                .as("nothing changes before the DPO decides").isEqualTo("DROP");
        browser.screenshot("analyst-requested-grant");

        // the DPO sees it in the queue with its context, and approves
        browser.signIn("dpo");
        browser.open("/dpo");
        WebElement card = browser.waitFor(By.cssSelector("article.grant[data-grant='" + grant + "']"));
        assertThat(card.getText()).contains("HASH account_updated.user_id in " + marketing, "analyst",
                "join sign-ups with campaigns", "entity user/id", "personal data");
        browser.fullScreenshot("dpo-queue");
        card.findElement(By.cssSelector("button.approve")).click();
        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).isEqualTo("Grant " + grant + " approved.");
        assertThat(browser.all(By.cssSelector("article.grant[data-grant='" + grant + "']"))).isEmpty();
        browser.screenshot("dpo-approved");
        browser.open("/dpo/grants");
        assertThat(browser.find(By.cssSelector("#active-grants tr[data-grant='" + grant + "']")).getText())
                .contains(marketing, "account_updated.user_id", "HASH", "analyst", "dpo");
        browser.open("/dpo/audit?target=grant/" + grant);
        assertThat(browser.text(By.id("verification"))).contains("intact");
        assertThat(browser.text(By.id("audit"))).contains("grant.request", "analyst", "grant.approve", "dpo");
        browser.screenshot("dpo-audit");

        // the analyst sees the column hashed because of the grant
        browser.signIn("analyst");
        browser.open("/analyst/reservoirs/" + marketing);
        WebElement after = browser.waitFor(By.cssSelector("#policy-account_updated tr[data-column='user_id']"));
        assertThat(after.findElement(By.cssSelector(".action")).getText()).isEqualTo("HASH");
        assertThat(after.findElement(By.cssSelector(".basis")).getText()).startsWith("GRANT " + grant);
        assertThat(browser.find(By.cssSelector("table.grants tr[data-grant='" + grant + "'] .status")).getText())
                .isEqualTo("APPROVED");
        browser.screenshot("analyst-policy-after");
    }

    @Test
    @Order(2)
    void anAnalystWhoOpensTheDposPagesIsRefusedByTheServer() {
        String finance = name("finance");
        platform.createReservoir(finance, "analyst2");

        browser.signIn("analyst");
        assertThat(browser.all(By.linkText("Grant queue"))).as("no link to it").isEmpty();
        for (String page : List.of("/dpo", "/dpo/grants", "/dpo/audit", "/privacy", "/admin")) {
            browser.open(page);
            assertThat(browser.text(By.id("refused"))).as(page).isEqualTo("Not allowed");
        }
        browser.open("/dpo");
        browser.screenshot("analyst-refused-dpo-page");

        // a reservoir the analyst does not belong to: the governance service refuses, in its own words
        browser.open("/analyst/reservoirs/" + finance);
        assertThat(browser.text(By.id("refused"))).isEqualTo("Not allowed");
        assertThat(browser.text(By.id("main"))).contains("analyst is not a member of reservoir " + finance);
        browser.screenshot("analyst-refused-other-reservoir");

        // a page that does not exist is the console's own error page, not a stack trace
        browser.open("/analyst/no-such-page");
        assertThat(browser.text(By.tagName("h1"))).startsWith("404");

        // a form posted without the page's CSRF token is refused, even for the right role
        browser.signIn("dpo");
        Object status = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/dpo/grants/any/approve', {method: 'POST', redirect: 'manual'}).then(r => done(r.status));");
        assertThat(((Number) status).intValue()).isEqualTo(403);
    }

    @Test
    @Order(3)
    void privacyOperationsFileAnAccessRequestFollowItAndDownloadTheZip() throws IOException {
        // what the platform holds of u-1: the valid demo events that name the user (dumped to tier zero first)
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(platform::everyDirtyHourDumped);
        List<String> expected = Platform.idsMentioning(demoEvents, "u-1").stream()
                .filter(platform.landedEventIds()::contains).toList();
        assertThat(expected).contains("demo-p-1", "demo-m-1", "demo-m-2", "demo-a-1").doesNotContain("demo-bad-2");

        browser.signIn("privacy");
        browser.open("/privacy");
        new Select(browser.find(By.id("type"))).selectByValue("ACCESS");
        browser.find(By.id("subject")).sendKeys("u-1");
        browser.find(By.id("reference")).sendKeys("ticket-7");
        browser.find(By.id("file-request")).click();
        browser.waitFor(By.id("steps"));
        String id = browser.driver.getCurrentUrl().replaceFirst(".*/privacy/requests/", "");
        WebElement countdown = browser.find(By.id("countdown"));
        assertThat(countdown.getAttribute("class")).contains("countdown-ok");
        assertThat(countdown.getText()).matches("(30|31|29|28) days left");
        browser.screenshot("privacy-filed");

        // the page shows each step as the batch runs; the test reloads it as a person would
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            browser.open("/privacy/requests/" + id);
            String status = browser.text(By.id("status"));
            assertThat(status).isNotEqualTo("FAILED");
            return status.equals("COMPLETED");
        });
        assertThat(browser.text(By.cssSelector("tr[data-step='scope']"))).contains("entities");
        assertThat(browser.text(By.cssSelector("tr[data-step='export']"))).doesNotContain("waiting");
        assertThat(browser.text(By.id("countdown"))).isEqualTo("closed");
        browser.fullScreenshot("privacy-request-progress");

        browser.find(By.id("download")).click();
        Path zip = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> downloadedZip(browser.downloads), path -> path != null);
        Map<String, String> entries = unzip(Files.readAllBytes(zip));
        JsonNode manifest = Platform.JSON.readTree(entries.get("manifest.json"));
        assertThat(manifest.toString()).contains("u-1");
        String events = String.join("\n", entries.entrySet().stream().filter(e -> e.getKey().endsWith(".jsonl"))
                .map(Map.Entry::getValue).toList());
        for (String event : expected) {
            assertThat(events).as("the export holds " + event).contains("\"" + event + "\"");
        }
        assertThat(entries.keySet()).anyMatch(name -> name.endsWith(".html"));

        browser.open("/privacy");
        assertThat(browser.text(By.cssSelector("#requests tr[data-request='" + id + "']"))).contains("ACCESS",
                "user/id u-1", "COMPLETED", "privacy");
        browser.screenshot("privacy-requests");
    }

    private static Path downloadedZip(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".zip")).findFirst().orElse(null);
        }
    }

    private static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
