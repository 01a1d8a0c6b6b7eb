package dev.sluice.datapump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.lake.PartitionNotice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.node.ObjectNode;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.spring.jobs.JobRun;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's {@code product_created} events through the whole path into two reservoirs: raw JSON on
 * {@code events.raw}, the gatekeeper and the dedup service from their jars, the datapump here with the real lake jobs
 * in child JVMs, the real governance service deciding the policies (an analyst asks, a DPO approves), real Kafka,
 * Cassandra, registry and s3proxy. The rows are read back with parquet-avro ({@code PartitionRows}, no Spark), and
 * every hash is computed here: the reservoir key with BouncyCastle's HKDF from the local-infra master key, the HMAC
 * with the JDK's.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3, Server.GATEKEEPER, Server.DEDUP,
        Server.GOVERNANCE})
class ReservoirIT {

    /** The demo's schema and first event: the shape of every event sent here. */
    static final Path DEMO = Path.of("../demo").toAbsolutePath().normalize();
    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    static final Instant H10 = DAY.atTime(10, 0).toInstant(ZoneOffset.UTC);
    static final Instant H11 = DAY.atTime(11, 0).toInstant(ZoneOffset.UTC);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PASSWORD = "sluice-local";

    LocalInfra infra;
    PumpTestbed bed;
    String name;
    String type;
    String bucket;
    String a;
    String b;
    ConfigurableApplicationContext app;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp(LocalInfra infra) {
        this.infra = infra;
        bed = new PumpTestbed(infra);
        name = bed.name;
        bucket = bed.bucket;
        type = "product_created_" + name;
        a = "a_" + name;
        b = "b_" + name;
        try {
            // the demo's schema, under a type of this test's own
            SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo()).build()
                    .register(Topics.eventSubject(type), new Schema.Parser().parse(DEMO.resolve("schemas/product_created.avsc")
                            .toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void reservoirsFollowTierZeroAndEachPolicyChangeRecomputesOnlyWhatItChanges() throws Exception {
        // two teams' reservoirs of the type: user ids are personal data, dropped by default
        for (String reservoir : List.of(a, b)) {
            governance("POST", "/reservoirs", Map.of("name", reservoir, "owning_team", "team-" + reservoir,
                    "members", List.of("analyst"), "retention_days", 30, "event_types", List.of(type)), "admin");
        }
        send(H10, 20, "e-");
        send(H11, 5, "h11-"); // event ids are unique across hours: the dedup service keeps the first
        app = start();

        // new tier-zero partitions reach both reservoirs
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(3)).until(() ->
                exists(a, H10) && exists(a, H11) && exists(b, H10) && exists(b, H11));
        List<JsonNode> before = rows(a, H10);
        assertThat(before).hasSize(20);
        assertThat(before).allSatisfy(row -> assertThat(row.has("user_id")).isFalse());
        JsonNode e3 = row(before, "e-3");
        assertThat(e3.path("title").asString()).isEqualTo("/order/3");
        assertThat(e3.path("_sluice_event_id").asString()).isEqualTo(hmac(a, "e-3"));
        assertThat(rows(b, H11)).hasSize(5);
        assertThat(tasks()).anyMatch(task -> task.equals("publish:" + a + ":" + type + ":" + DAY + ":" + DAY + ":10:new"));

        // an analyst asks for user_id hashed in a, a DPO approves: a's table is recomputed, b's is not
        approve(grant(a, Instant.now().plus(Duration.ofDays(10))));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
                .until(() -> row(rows(a, H10), "e-3").has("user_id"));
        assertThat(row(rows(a, H10), "e-3").path("user_id").asString()).isEqualTo(hmac(a, "u-3"));
        assertThat(rows(a, H11)).allSatisfy(row -> assertThat(row.has("user_id")).isTrue());
        assertThat(succeededTasks()).anyMatch(task -> task.startsWith("publish:" + a + ":" + type + ":")
                && task.endsWith(":-:policy-change"));
        assertThat(tasks()).noneMatch(task -> task.startsWith("publish:" + b + ":") && task.endsWith("policy-change"));
        assertThat(rows(b, H10)).allSatisfy(row -> assertThat(row.has("user_id")).isFalse());

        // b gets a grant too, for a minute: the same user has another hash there
        approve(grant(b, Instant.now().plus(Duration.ofSeconds(60))));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
                .until(() -> row(rows(b, H10), "e-3").has("user_id"));
        assertThat(row(rows(b, H10), "e-3").path("user_id").asString()).isEqualTo(hmac(b, "u-3"))
                .isNotEqualTo(hmac(a, "u-3"));

        // a late event in tier zero reaches every reservoir partition of its hour
        send(H11, 1, "late-");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
                .until(() -> rows(a, H11).size() == 6 && rows(b, H11).size() == 6);
        assertThat(row(rows(a, H11), "late-0").path("user_id").asString()).isEqualTo(hmac(a, "u-0"));
        assertThat(succeededTasks()).contains("publish:" + a + ":" + type + ":" + DAY + ":" + DAY + ":11:late-events",
                "publish:" + b + ":" + type + ":" + DAY + ":" + DAY + ":11:late-events");

        // a tier-zero partition recomputed by an erasure (its notice, as the erasure will send it) is propagated
        String pointerBefore = pointer(a, H10);
        bed.producer.send(new ProducerRecord<>(name + ".partitions", new PartitionNotice("zero", null, type, DAY, 10,
                List.of(), 20, PartitionNotice.Reason.ERASURE).toJson())).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).until(() -> succeededTasks().containsAll(
                List.of("publish:" + a + ":" + type + ":" + DAY + ":" + DAY + ":10:erasure",
                        "publish:" + b + ":" + type + ":" + DAY + ":" + DAY + ":10:erasure")));
        assertThat(pointer(a, H10)).isNotEqualTo(pointerBefore);

        // b's grant expires: user_id leaves b again
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(5))
                .until(() -> !row(rows(b, H10), "e-3").has("user_id"));
        assertThat(row(rows(a, H10), "e-3").path("user_id").asString()).isEqualTo(hmac(a, "u-3"));

        // a's key is rotated: every hashed value of a changes to the new key version's
        governance("POST", "/reservoirs/" + a + "/key-rotation", null, "admin");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
                .until(() -> row(rows(a, H10), "e-3").path("user_id").asString().equals(hmac(a, 2, "u-3")));
        assertThat(row(rows(a, H11), "late-0").path("user_id").asString()).isEqualTo(hmac(a, 2, "u-0"));

        // a keeps one day from now on: yesterday's partitions go at once; b is deleted with all its data
        governance("PUT", "/reservoirs/" + a, Map.of("owning_team", "team-" + a, "members", List.of("analyst"),
                "retention_days", 1, "event_types", List.of(type)), "admin");
        governance("DELETE", "/reservoirs/" + b, null, "admin");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).until(() -> succeededTasks().containsAll(
                List.of("retention:" + a + ":-:" + LocalDate.now(ZoneOffset.UTC) + ":-:-:-", "delete:" + b + ":-:-:-:-:-")));
        assertThat(List.of(exists(a, H10), exists(a, H11), exists(b, H10), exists(b, H11))).containsOnly(false);
        // tier zero keeps its own
        assertThat(objectExists("tier0/events/" + type + "/date=" + DAY + "/hour=10/_current")).isTrue();
    }

    ConfigurableApplicationContext start() {
        Map<String, Object> settings = bed.settings();
        // the dedup server's landing table and dirty hours (its defaults)
        settings.put("sluice.datapump.keyspace", "sluice");
        settings.put("sluice.datapump.dirty-hours-topic", Topics.DIRTY_HOURS);
        settings.put("sluice.datapump.reservoirs.evaluate-every", "5s");
        return bed.start(settings);
    }

    /**
     * Sends raw events to the gatekeeper: the demo's first {@code product_created} event, each with its own id,
     * user id and title, {@code created_at} (the event time) the hour plus i seconds.
     */
    void send(Instant hour, int events, String prefix) throws Exception {
        ObjectNode template = (ObjectNode) JSON.readTree(Files.readAllLines(DEMO.resolve("events.jsonl")).stream()
                .filter(line -> line.contains("\"product_created\"")).findFirst().orElseThrow());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                ObjectNode event = template.deepCopy();
                ((ObjectNode) event.get("data")).put("type", type).put("id", prefix + i).put("user_id", "u-" + i)
                        .put("title", "/order/" + i).put("created_at", hour.plusSeconds(i).toString());
                raw.send(new ProducerRecord<>(Topics.RAW, JSON.writeValueAsBytes(event)));
            }
            raw.flush();
        }
    }

    /** An analyst asks for user_id hashed in the reservoir until then; the grant's id. */
    String grant(String reservoir, Instant until) throws Exception {
        return governance("POST", "/reservoirs/" + reservoir + "/grants", Map.of("selector", Map.of("kind", "field",
                "event_type", type, "path", "user_id"), "action", "HASH", "purpose", "join orders to users",
                "expires_at", until.toString()), "analyst").path("id").asString();
    }

    void approve(String grant) throws Exception {
        assertThat(governance("POST", "/grants/" + grant + "/approve", Map.of(), "dpo").path("status").asString())
                .isEqualTo("APPROVED");
    }

    JsonNode governance(String method, String path, Object body, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(infra.governanceUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    String key(String reservoir, Instant hour) {
        var utc = hour.atOffset(ZoneOffset.UTC);
        return "tier1/" + reservoir + "/events/" + type + "/date=" + utc.toLocalDate() + "/hour="
                + String.format("%02d", utc.getHour()) + "/_current";
    }

    boolean exists(String reservoir, Instant hour) {
        return objectExists(key(reservoir, hour));
    }

    boolean objectExists(String key) {
        try (S3Client s3 = s3()) {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) { // 404 (a HEAD has no body to say NoSuchKey)
            return false;
        }
    }

    String pointer(String reservoir, Instant hour) {
        try (S3Client s3 = s3()) {
            return s3.getObjectAsBytes(request -> request.bucket(bucket).key(key(reservoir, hour))).asUtf8String();
        }
    }

    /** The hour's rows in the reservoir, read by lake-jobs' PartitionRows (parquet-avro) in a JVM of its own. */
    List<JsonNode> rows(String reservoir, Instant hour) throws Exception {
        Path job = PumpTestbed.jobDirectory();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        bed.hadoop().forEach((key, value) -> command.add("-Dspark.hadoop." + key + "=" + value));
        try (var files = Files.list(job)) {
            String jar = files.filter(f -> f.getFileName().toString().matches("lake-jobs-.*\\.jar")).findFirst()
                    .orElseThrow().toString();
            command.addAll(List.of("-cp", jar + File.pathSeparator + Files.readString(job.resolve("classpath")).trim(),
                    "dev.sluice.lake.PartitionRows", "--root", "s3a://" + bucket + "/tier1/" + reservoir, "--type", type,
                    "--hour", hour.atOffset(ZoneOffset.UTC).toLocalDate() + "/"
                            + String.format("%02d", hour.atOffset(ZoneOffset.UTC).getHour()), "--limit", "1000"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("AWS_ACCESS_KEY_ID", infra.s3AccessKey());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", infra.s3SecretKey());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    static JsonNode row(List<JsonNode> rows, String id) {
        return rows.stream().filter(row -> row.path("id").asString().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id + " in " + rows));
    }

    List<String> tasks() {
        return runs().stream().filter(run -> run.kind() == JobRun.Kind.RESERVOIR).flatMap(run -> run.tasks().stream()).toList();
    }

    List<String> succeededTasks() {
        return runs().stream().filter(run -> run.kind() == JobRun.Kind.RESERVOIR && run.state() == JobRun.State.SUCCEEDED)
                .flatMap(run -> run.tasks().stream()).toList();
    }

    List<JobRun> runs() {
        return bed.runs();
    }

    S3Client s3() {
        return bed.s3();
    }

    /** The reservoir key as the test derives it (RFC 5869 with BouncyCastle), then HMAC-SHA-256 with the JDK. */
    String hmac(String reservoir, String text) throws Exception {
        return hmac(reservoir, 1, text);
    }

    String hmac(String reservoir, int keyVersion, String text) throws Exception {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(infra.masterKey(), "sluice reservoir keys v1".getBytes(StandardCharsets.UTF_8),
                (reservoir + "\u0000" + keyVersion).getBytes(StandardCharsets.UTF_8)));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, 32);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
