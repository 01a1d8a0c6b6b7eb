package dev.sluice.infra;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The right-to-be-forgotten step of the demo: privacy operations file an erasure request for the demo user
 * {@code u-2}; the privacy-requests service puts u-2 on the forget-list, rewrites the tier-zero partitions the index
 * names (u-2's events removed, u-2's id redacted where u-2 only received a message), copies what it removed to the
 * legal-hold bucket, deletes u-2's landing rows, index entries and relations, waits for the reservoirs to be
 * recomputed, scans every store, and the per-store report is printed.
 */
final class ErasureDemo {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String USER = "u-2";

    private final LocalInfra infra;
    private final HttpClient http = HttpClient.newHttpClient();

    ErasureDemo(LocalInfra infra) {
        this.infra = infra;
    }

    void run() throws IOException, InterruptedException {
        System.out.printf("%nPrivacy operations file an erasure request (GDPR Art. 17) for user/id %s:%n", USER);
        Optional<String> filed = AccessDemo.file(http, infra, "ERASURE", USER);
        if (filed.isEmpty()) {
            return;
        }
        String id = filed.get();
        System.out.println("Forget-list, then the rewrite (Spark in a child JVM), the reservoirs' recompute and the "
                + "verification ...");
        JsonNode request = AccessDemo.awaitEnd(http, infra, id, Duration.ofMinutes(10));
        if (!AccessDemo.completed(infra, id, request, "forget", "scope", "tier-zero", "downstream", "verify")) {
            return;
        }
        JsonNode report = JSON.readTree(call("GET", "/requests/" + id + "/report", null).body());
        JsonNode tierZero = report.path("tier_zero");
        System.out.println("The report, per store:");
        System.out.printf("  tier zero   %d partitions rewritten, %d emptied; %d events removed, %d redacted (%d bytes "
                + "written)%n", tierZero.path("partitions_rewritten").size(), tierZero.path("partitions_emptied").size(),
                tierZero.path("rows_removed").asLong(), tierZero.path("rows_redacted").asLong(),
                tierZero.path("bytes_rewritten").asLong());
        System.out.printf("  legal hold  %d rows in %d objects under s3://%s/%s/%n", report.path("legal_hold").path("rows")
                .asLong(), report.path("legal_hold").path("objects").size(), S3Server.LEGAL_HOLD_BUCKET, id);
        System.out.printf("  landing     %d rows deleted%n", report.path("landing").path("rows_deleted").asLong());
        System.out.printf("  index       %d entries deleted; relations %d deleted%n", report.path("index")
                .path("entries_deleted").asLong(), report.path("relations").path("deleted").asLong());
        System.out.printf("  exports     %d earlier access exports deleted%n", report.path("exports").path("deleted").size());
        System.out.printf("  verified    %s: %s%n", report.path("verification").path("result").asString(),
                report.path("verification").path("counts"));
        System.out.printf("  try: curl -u privacy:sluice-local %s/requests/%s/report%n", infra.privacyUrl(), id);
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return AccessDemo.call(http, infra, method, path, body);
    }
}
