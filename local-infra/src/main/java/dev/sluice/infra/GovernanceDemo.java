package dev.sluice.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The governance step of the demo, through the governance service's API as its users would call it: the platform
 * admin creates the reservoir {@code marketing}, its policy is printed (user ids dropped by default), an analyst asks
 * for {@code product_created.user_id} hashed, a DPO approves, and the policy is printed again with the grant named.
 */
final class GovernanceDemo {

    static final String RESERVOIR = "marketing";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = LocalInfra.LOCAL_ADMIN.substring(LocalInfra.LOCAL_ADMIN.indexOf(':') + 1);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;

    GovernanceDemo(LocalInfra infra) {
        this.url = infra.governanceUrl();
    }

    void run(List<String> eventTypes) throws IOException, InterruptedException {
        System.out.println();
        System.out.println("Governance (reservoirs, rules, and grants that a DPO approves):");
        JsonNode created = exists("/reservoirs/" + RESERVOIR) ? call("GET", "/reservoirs/" + RESERVOIR, null, "admin")
                // ten years: the demo's events have fixed dates, and must stay within the reservoir's retention
                : call("POST", "/reservoirs", Map.of("name", RESERVOIR, "owning_team", "growth",
                        "members", List.of("analyst", "analyst2"), "retention_days", 3650), "admin");
        System.out.printf("  admin created reservoir %s (team %s, members %s, %s days)%n", RESERVOIR,
                created.path("owning_team").asString(), created.path("members"), created.path("retention_days").asInt());
        printPolicy(eventTypes, "its effective policy: personal data is dropped unless a rule or grant says otherwise");

        JsonNode grant = call("POST", "/reservoirs/" + RESERVOIR + "/grants", Map.of("selector", Map.of("kind", "field",
                "event_type", "product_created", "path", "user_id"), "action", "HASH", "purpose",
                "count products per seller", "expires_at", Instant.now().plus(Duration.ofDays(30)).toString()), "analyst");
        System.out.printf("  analyst asks for product_created.user_id hashed (\"count products per seller\", 30 days): "
                + "grant %s %s%n", grant.path("id").asString(), grant.path("status").asString());
        JsonNode approved = call("POST", "/grants/" + grant.path("id").asString() + "/approve", Map.of(), "dpo");
        System.out.printf("  dpo approves it: %s until %s%n", approved.path("status").asString(),
                approved.path("expires_at").asString());
        printPolicy(List.of("product_created"), "the policy of product_created in marketing now");
        System.out.printf("  reservoirs:  curl -u admin:%s %s/reservoirs%n", PASSWORD, url);
        System.out.printf("  policy:      curl -u analyst:%s %s/reservoirs/%s/policy%n", PASSWORD, url, RESERVOIR);
        System.out.printf("  audit:       curl -u dpo:%s %s/audit   (and /audit/verify)%n", PASSWORD, url);
        System.out.printf("  API docs:    %s/swagger-ui.html (any local user)%n", url);
    }

    /** The columns that are not simply shown, and how many are. */
    private void printPolicy(List<String> eventTypes, String title) throws IOException, InterruptedException {
        System.out.println("  " + title + " (the columns not shown as they are):");
        for (String type : eventTypes) {
            JsonNode view = call("GET", "/reservoirs/" + RESERVOIR + "/policy?type=" + type, null, "analyst");
            int shown = 0;
            for (JsonNode column : view.path("event_types").get(0).path("columns")) {
                String path = column.path("path").asString();
                String action = column.path("action").asString();
                if (action.equals("SHOW")) {
                    shown++;
                    continue;
                }
                JsonNode basis = column.path("basis");
                String id = basis.path("id").isNull() || basis.path("id").isMissingNode() ? "" : " " + basis.path("id").asString();
                System.out.printf("    %-16s %-22s %-4s  %s%s: %s%n", type, path, action,
                        basis.path("kind").asString().toLowerCase(), id, basis.path("text").asString());
            }
            System.out.printf("    %-16s and %d columns shown%n", type, shown);
        }
    }

    private boolean exists(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", Demo.basic("admin:" + PASSWORD)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private JsonNode call(String method, String path, Object body, String user) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", Demo.basic(user + ":" + PASSWORD))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
