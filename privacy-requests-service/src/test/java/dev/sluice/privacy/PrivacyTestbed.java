package dev.sluice.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.infra.LocalInfra;
import dev.sluice.core.topics.Topics;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the service's integration tests share: a name of their own for the keyspace, consumer group and exports
 * bucket; the service started in this JVM against local-infra's servers (the real access job in a child JVM), with
 * a clock the test may move; HTTP calls as the local users.
 */
final class PrivacyTestbed implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final LocalInfra infra;
    final String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String exportsBucket = "exports-" + name;
    final String legalHoldBucket = "hold-" + name;
    final Path logs = Path.of("target", "it-runs", name).toAbsolutePath(); // kept for a look after a failure
    final MovableClock clock = new MovableClock();
    final HttpClient http = HttpClient.newHttpClient();
    ConfigurableApplicationContext app;

    /**
     * The service's clock (its scheduling, deadlines and transitions read it): the real time until the test sets it,
     * then standing at what the test set.
     */
    static final class MovableClock extends Clock {
        private volatile Instant fixed;

        MovableClock() {
        }

        void set(Instant instant) {
            fixed = instant;
        }

        @Override
        public Instant instant() {
            Instant now = fixed;
            return now == null ? Instant.now() : now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    PrivacyTestbed(LocalInfra infra) {
        this.infra = infra;
        try (S3Client s3 = s3()) {
            s3.createBucket(request -> request.bucket(exportsBucket));
            s3.createBucket(request -> request.bucket(legalHoldBucket));
        }
    }

    /** The settings of a service of this test bed's own (tier zero: local-infra's datapump's); the test adds its own. */
    Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("server.port", 0);
        settings.put("spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers());
        settings.put("spring.cassandra.contact-points", infra.cassandraContactPoint());
        settings.put("spring.cassandra.local-datacenter", infra.cassandraLocalDatacenter());
        settings.put("sluice.security.local-mode", true);
        settings.put("sluice.privacy.keyspace", name);
        settings.put("sluice.privacy.index.group-id", name);
        settings.put("sluice.privacy.index.topic-discovery-interval", "1s");
        settings.put("sluice.privacy.registry.url", infra.schemaRegistryUrl());
        settings.put("sluice.privacy.requests.batch-every", "1s");
        settings.put("sluice.privacy.requests.tick", "500ms");
        settings.put("sluice.privacy.exports.bucket", exportsBucket);
        settings.put("sluice.privacy.s3.endpoint", infra.s3Endpoint());
        settings.put("sluice.privacy.s3.region", infra.s3Region());
        settings.put("sluice.privacy.s3.access-key", infra.s3AccessKey());
        settings.put("sluice.privacy.s3.secret-key", infra.s3SecretKey());
        settings.put("sluice.privacy.s3.path-style-access", true);
        settings.put("sluice.privacy.job.lake", "s3a://sluice-lake/tier0");
        settings.put("sluice.privacy.job.tier-one", "s3a://sluice-lake/tier1");
        settings.put("sluice.privacy.job.legal-hold", "s3a://" + legalHoldBucket);
        settings.put("sluice.privacy.job.master-key-file", infra.masterKeyFile());
        settings.put("sluice.privacy.erasure.propagation", "2s");
        settings.put("sluice.privacy.erasure.verify-every", "5s");
        settings.put("sluice.privacy.job.registry-url", infra.schemaRegistryUrl());
        settings.put("sluice.privacy.job.dir", Path.of("../lake-jobs/target/job").toAbsolutePath().normalize());
        settings.put("sluice.privacy.job.heap", "768m");
        settings.put("sluice.privacy.job.cores", 2);
        settings.put("sluice.privacy.job.logs", logs);
        settings.put("sluice.privacy.job.s3-access-key", infra.s3AccessKey());
        settings.put("sluice.privacy.job.s3-secret-key", infra.s3SecretKey());
        Map.of("fs.s3a.endpoint", infra.s3Endpoint(), "fs.s3a.endpoint.region", infra.s3Region(),
                "fs.s3a.path.style.access", "true", "fs.s3a.connection.ssl.enabled", "false")
                .forEach((key, value) -> settings.put("sluice.privacy.job.hadoop." + key, value));
        return settings;
    }

    /**
     * Starts the service with the settings (as arguments: they override application.yml) and the movable clock, and
     * waits until its tables are open (the API answers 503 before).
     */
    ConfigurableApplicationContext start(Map<String, Object> settings) {
        app = new SpringApplicationBuilder(PrivacyRequestsApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("clock", clock))
                .run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        PrivacyStores stores = app.getBean(PrivacyStores.class);
        await().atMost(Duration.ofMinutes(2)).until(stores::isOpen);
        return app;
    }

    /**
     * An entity id of this test's own: every test of a run shares Kafka, and every service's indexer reads every valid
     * topic, so ids must not meet another test's.
     */
    String id(String base) {
        return base + "." + name;
    }

    /**
     * The tier-zero partitions a manifest says were read for the index's answer ({@code type/yyyy-MM-dd/HH}): its
     * sources, but those of the types it scanned. Other tests of the run leave topics behind whose index is not
     * complete (IndexIT's), and a subject's scope scans those types; the tests' own types the index covers.
     */
    static List<String> indexedSources(JsonNode manifest) {
        Set<String> scanned = new HashSet<>();
        manifest.path("scans").forEach(scan -> scanned.add(scan.path("event_type").asString()));
        return manifest.path("sources").valueStream().map(source -> source.asString().substring("tier zero ".length()))
                .filter(source -> !scanned.contains(source.substring(0, source.indexOf('/')))).toList();
    }

    /** The event types a manifest says were scanned. */
    static Set<String> scannedTypes(JsonNode manifest) {
        Set<String> scanned = new HashSet<>();
        manifest.path("scans").forEach(scan -> scanned.add(scan.path("event_type").asString()));
        return scanned;
    }

    /** Stops the service (a restart is {@link #start} again). */
    void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    /** A call as the local user {@code privacy} (PRIVACY_OPS), expecting the status. */
    JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return call("privacy", method, path, body, expected);
    }

    JsonNode call(String user, String method, String path, Object body, int expected) throws Exception {
        String url = "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":sluice-local")
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Files an access request for a user; its JSON. */
    JsonNode file(String type, String user, int expected) throws Exception {
        return call("POST", "/requests", Map.of("type", type, "subject", Map.of("entity_type", "user/id", "id", user)),
                expected);
    }

    /** Raw events on events.raw, for the gatekeeper. */
    void sendRaw(List<? extends JsonNode> events) {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (JsonNode event : events) {
                raw.send(new ProducerRecord<>(Topics.RAW, JSON.writeValueAsBytes(event)));
            }
            raw.flush();
        }
    }

    /** Whether local-infra's datapump has dumped the partition ({@code type/yyyy-MM-dd/HH}) to tier zero. */
    boolean dumped(String partition) {
        String[] parts = partition.split("/");
        String key = "tier0/events/" + parts[0] + "/date=" + parts[1] + "/hour=" + parts[2] + "/_current";
        try (S3Client s3 = s3()) {
            s3.headObject(request -> request.bucket("sluice-lake").key(key));
            return true;
        } catch (S3Exception e) { // 404: a HEAD has no body to say NoSuchKey
            return false;
        }
    }

    /** Downloads a request's export through its pre-signed link; the zip's entries by name. */
    Map<String, byte[]> export(String requestId) throws Exception {
        JsonNode link = call("GET", "/requests/" + requestId + "/export", null, 200);
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(link.path("url").asString())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(download.body()))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    S3Client s3() {
        return S3Client.builder().endpointOverride(URI.create(infra.s3Endpoint())).forcePathStyle(true)
                .region(Region.of(infra.s3Region())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey()))).build();
    }

    @Override
    public void close() {
        stop();
    }
}
