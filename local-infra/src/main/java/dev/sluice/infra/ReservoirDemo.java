package dev.sluice.infra;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reservoir step of the demo: after the DPO's grant, the datapump recomputes {@code marketing}'s
 * {@code product_created} (a policy change), the catalog registers the reservoir's own database, and the rows are
 * read back from the lake with parquet-avro (lake-jobs' {@code PartitionRows}, no Spark): {@code user_id} is there,
 * as the reservoir's keyed hash; the email and the other personal columns are not.
 */
final class ReservoirDemo {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TYPE = "product_created";

    private final LocalInfra infra;
    private final HttpClient http = HttpClient.newHttpClient();

    ReservoirDemo(LocalInfra infra) {
        this.infra = infra;
    }

    void run() throws IOException, InterruptedException {
        String reservoir = GovernanceDemo.RESERVOIR;
        System.out.printf("%nWaiting for the datapump to publish reservoir %s from tier zero with the new policy (the "
                + "reservoir job, Spark in a child JVM) ...%n", reservoir);
        List<JsonNode> rows = List.of();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            rows = rows(reservoir);
            if (!rows.isEmpty() && rows.stream().allMatch(row -> row.has("user_id"))) {
                break;
            }
            Thread.sleep(3000);
        }
        JsonNode runs = JSON.readTree(get(infra.datapumpUrl() + "/runs?limit=20"));
        System.out.println("The datapump's reservoir runs (what each did, and why):");
        for (JsonNode run : runs) {
            if (run.path("kind").asString().equals("RESERVOIR")) {
                System.out.printf("  %s %-10s %s%n", run.path("id").asString(), run.path("state").asString(),
                        String.join(", ", texts(run.path("tasks"))));
            }
        }
        JsonNode catalog = JSON.readTree(get(infra.catalogUrl() + "/catalog"));
        String database = "sluice_" + reservoir;
        System.out.printf("The catalog's database %s (only the columns the reservoir has):%n", database);
        for (JsonNode table : catalog.path(database)) {
            List<String> columns = new ArrayList<>();
            table.path("table").path("columns").forEach(column -> columns.add(column.path("name").asString()));
            System.out.printf("  %-16s %d partitions; %s%n", table.path("table").path("name").asString(),
                    table.path("partitions").size(), String.join(", ", columns));
        }
        System.out.printf("Rows of %s.%s read back from the lake with parquet-avro: user_id is there since the grant, "
                + "as HMAC-SHA-256 with the reservoir's key of the user's id (the same id hashes differently in every "
                + "reservoir):%n", database, TYPE);
        for (JsonNode row : rows.subList(0, Math.min(3, rows.size()))) {
            System.out.printf("  id=%s user_id=%s title=%s category=%s%n", row.path("id").asString(),
                    row.path("user_id").asString("(none)"), row.path("title").asString(), row.path("category").asString());
        }
        if (rows.isEmpty() || !rows.get(0).has("user_id")) {
            System.out.println("  (not published with the grant yet: see the runs above and curl "
                    + infra.datapumpUrl() + "/reservoirs/work)");
        }
        System.out.printf("  reservoir work: curl %s/reservoirs/work%n", infra.datapumpUrl());
        System.out.printf("  the Parquet:    s3a://%s/tier1/%s/events/<type>/date=<yyyy-MM-dd>/hour=<HH>/_current%n",
                S3Server.LAKE_BUCKET, reservoir);
    }

    /** The reservoir's product_created rows, newest hour first, read by PartitionRows in a JVM of its own. */
    private List<JsonNode> rows(String reservoir) throws IOException, InterruptedException {
        Path job = DatapumpServer.jobDirectory();
        String jar;
        try (Stream<Path> files = Files.list(job)) {
            jar = files.filter(f -> f.getFileName().toString().matches("lake-jobs-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no lake-jobs jar in " + job)).toString();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dspark.hadoop.fs.s3a.endpoint=" + infra.s3Endpoint(),
                "-Dspark.hadoop.fs.s3a.endpoint.region=" + infra.s3Region(), "-Dspark.hadoop.fs.s3a.path.style.access=true",
                "-Dspark.hadoop.fs.s3a.connection.ssl.enabled=false",
                "-cp", jar + File.pathSeparator + Files.readString(job.resolve("classpath")).trim(),
                "dev.sluice.lake.PartitionRows", "--root", DatapumpServer.TIER_ONE + "/" + reservoir, "--type", TYPE,
                "--limit", "100"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("AWS_ACCESS_KEY_ID", infra.s3AccessKey());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", infra.s3SecretKey());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(1, TimeUnit.MINUTES);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asString()));
        return texts;
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", Demo.basic(LocalInfra.LOCAL_ADMIN)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : "[]";
    }
}
