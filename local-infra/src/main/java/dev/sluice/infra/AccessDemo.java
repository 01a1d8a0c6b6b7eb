package dev.sluice.infra;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The right-of-access step of the demo: privacy operations file an access request for the demo user {@code u-1};
 * the privacy-requests service resolves its scope from the reverse index and the relations (u-1's products and
 * conversation), runs the access job on exactly those tier-zero partitions, and the zip is fetched through its
 * pre-signed link: what it holds is printed.
 */
final class AccessDemo {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String USER = "u-1";

    private final LocalInfra infra;
    private final HttpClient http = HttpClient.newHttpClient();

    AccessDemo(LocalInfra infra) {
        this.infra = infra;
    }

    void run() throws IOException, InterruptedException {
        System.out.printf("%nPrivacy operations file an access request (GDPR Art. 15) for user/id %s:%n", USER);
        Optional<String> filed = file(http, infra, "ACCESS", USER);
        if (filed.isEmpty()) {
            return;
        }
        String id = filed.get();
        System.out.println("Waiting for its batch: scope from the index, then the access job (Spark in a child JVM) ...");
        JsonNode request = awaitEnd(http, infra, id, Duration.ofMinutes(5));
        if (!completed(infra, id, request, "scope", "extract", "export")) {
            return;
        }
        JsonNode link = JSON.readTree(call("GET", "/requests/" + id + "/export", null).body());
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(link.path("url").asString())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        System.out.printf("The export: s3://%s/%s (%d bytes), fetched through a link valid until %s. It holds:%n",
                S3Server.EXPORTS_BUCKET, request.path("export_key").asString(), zip.body().length,
                link.path("expires_at").asString());
        Map<String, byte[]> entries = unzip(zip.body());
        entries.forEach((name, content) -> System.out.printf("  %-40s %6d bytes%s%n", name, content.length,
                name.endsWith(".jsonl") ? ", " + new String(content, StandardCharsets.UTF_8).lines().count() + " events"
                        : ""));
        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        System.out.printf("  manifest: linked entities %s; categories %s; sources %s%n", manifest.path("linked_entities")
                .findValuesAsString("id"), manifest.path("categories"), manifest.path("sources"));
        System.out.printf("  try: curl -u privacy:sluice-local %s/requests/%s%n", infra.privacyUrl(), id);
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return call(http, infra, method, path, body);
    }

    /** Files a request for a user as privacy operations; its id, or empty (printed why) when one is open already. */
    static Optional<String> file(HttpClient http, LocalInfra infra, String type, String user)
            throws IOException, InterruptedException {
        HttpResponse<String> filed = call(http, infra, "POST", "/requests", "{\"type\": \"" + type + "\", \"subject\": "
                + "{\"entity_type\": \"user/id\", \"id\": \"" + user + "\"}, \"reference\": \"demo\"}");
        JsonNode request = JSON.readTree(filed.body());
        if (filed.statusCode() == 409) {
            System.out.println("  " + request.path("detail").asString());
            return Optional.empty();
        }
        System.out.printf("  %s %s, deadline %s%n", request.path("id").asString(), request.path("status").asString(),
                request.path("deadline").asString());
        return Optional.of(request.path("id").asString());
    }

    /** Prints the request's status and its steps in order; whether it COMPLETED (else its error is printed too). */
    static boolean completed(LocalInfra infra, String id, JsonNode request, String... steps) {
        System.out.printf("  %s; its steps:%n", request.path("status").asString());
        for (String step : steps) {
            if (request.path("steps").has(step)) {
                System.out.printf("    %-10s %s%n", step, request.path("steps").path(step).asString());
            }
        }
        if (!request.path("status").asString().equals("COMPLETED")) {
            System.out.printf("  %s%n  see curl -u privacy:sluice-local %s/requests/%s%n", request.path("error").asString(),
                    infra.privacyUrl(), id);
            return false;
        }
        return true;
    }

    /** The request once COMPLETED or FAILED, or as it is when the time is up. */
    static JsonNode awaitEnd(HttpClient http, LocalInfra infra, String id, Duration within)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode request = JSON.readTree(call(http, infra, "GET", "/requests/" + id, null).body());
        while (System.nanoTime() < deadline) {
            String status = request.path("status").asString();
            if (status.equals("COMPLETED") || status.equals("FAILED")) {
                break;
            }
            Thread.sleep(2000);
            request = JSON.readTree(call(http, infra, "GET", "/requests/" + id, null).body());
        }
        return request;
    }

    /** A call to the privacy-requests service as the local user {@code privacy} (PRIVACY_OPS). */
    static HttpResponse<String> call(HttpClient http, LocalInfra infra, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(infra.privacyUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("privacy:sluice-local"
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
