package dev.sluice.catalog;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.topics.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog's local mode (s3proxy sends no bucket notifications): consumes {@code lake.partitions} and registers
 * each tier-zero partition with the same {@link PointerRegistration} as the Lambda, in a {@link FileCatalog}. Offsets
 * are committed after registration, so a crash repeats registrations (harmless) and loses none. Serves the catalog
 * read-only over HTTP: {@code GET /catalog} (every database, table and partition), {@code GET /health}.
 *
 * <p>Settings, as {@code --name=value} or environment: {@code kafka.bootstrap-servers} (KAFKA_BOOTSTRAP_SERVERS),
 * {@code partitions-topic} (SLUICE_CATALOG_PARTITIONS_TOPIC), {@code group-id} (SLUICE_CATALOG_GROUP_ID), {@code lake}
 * (SLUICE_LAKE_TIER0: {@code s3a://bucket/prefix} or {@code file:///dir}), {@code s3.endpoint}, {@code s3.region},
 * {@code s3.access-key}, {@code s3.secret-key} (SLUICE_S3_...), {@code catalog.dir} (SLUICE_CATALOG_DIR),
 * {@code database} (SLUICE_CATALOG_DATABASE), {@code server.port} (PORT).
 */
public final class LocalCatalogMain {

    private static final Logger log = LoggerFactory.getLogger(LocalCatalogMain.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LocalCatalogMain() {
    }

    public static void main(String[] args) throws IOException {
        Settings settings = new Settings(args);
        FileCatalog catalog = new FileCatalog(Path.of(settings.get("catalog.dir", "SLUICE_CATALOG_DIR", "/tmp/sluice/catalog")));
        String database = settings.get("database", "SLUICE_CATALOG_DATABASE", "sluice_tier0");
        URI lake = URI.create(settings.get("lake", "SLUICE_LAKE_TIER0", "file:///tmp/sluice/lake/tier0"));
        LakeObjects objects;
        String prefix;
        if (lake.getScheme().startsWith("s3")) {
            var s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                    .region(Region.of(settings.get("s3.region", "SLUICE_S3_REGION", "us-east-1")))
                    .forcePathStyle(true);
            String endpoint = settings.get("s3.endpoint", "SLUICE_S3_ENDPOINT", "");
            if (!endpoint.isEmpty()) {
                s3.endpointOverride(URI.create(endpoint));
            }
            String accessKey = settings.get("s3.access-key", "SLUICE_S3_ACCESS_KEY", "");
            if (!accessKey.isEmpty()) {
                s3.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        settings.get("s3.secret-key", "SLUICE_S3_SECRET_KEY", ""))));
            }
            objects = LakeObjects.s3(s3.build(), lake.getHost());
            prefix = lake.getPath().replaceAll("^/+", "").replaceAll("/*$", "/").replaceAll("^/$", "");
        } else {
            objects = LakeObjects.directory(Path.of(lake));
            prefix = "";
        }
        PointerRegistration registration = new PointerRegistration(objects, new PartitionRegistrar(catalog), database);

        HttpServer http = HttpServer.create(new InetSocketAddress(settings.get("server.address", "ADDRESS", "0.0.0.0"),
                Integer.parseInt(settings.get("server.port", "PORT", "8085"))), 0);
        http.createContext("/health", exchange -> respond(exchange, 200, "{\"status\":\"UP\"}"));
        http.createContext("/catalog", exchange -> {
            Map<String, Object> all = new LinkedHashMap<>();
            for (String db : catalog.databases()) {
                all.put(db, catalog.tables(db));
            }
            respond(exchange, 200, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        });
        http.start();

        Map<String, Object> consumer = new HashMap<>();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get("kafka.bootstrap-servers",
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, settings.get("group-id", "SLUICE_CATALOG_GROUP_ID", "catalog"));
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        String topic = settings.get("partitions-topic", "SLUICE_CATALOG_PARTITIONS_TOPIC", Topics.PARTITIONS);
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::wakeup));
            kafka.subscribe(List.of(topic));
            log.info("registering the partitions of {} from {} in {} ({})", lake, topic, database, catalog);
            Duration backoff = Duration.ofMillis(500);
            while (true) {
                ConsumerRecords<byte[], byte[]> records = kafka.poll(Duration.ofSeconds(1));
                try {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        PartitionNotice notice = PartitionNotice.fromJson(record.value());
                        if ("zero".equals(notice.tier())) {
                            registration.register(prefix + "events/" + notice.eventType() + "/date=" + notice.date()
                                    + "/hour=" + String.format("%02d", notice.hour()) + "/" + LakeLayout.POINTER);
                        }
                    }
                    kafka.commitSync();
                    backoff = Duration.ofMillis(500);
                } catch (RuntimeException e) {
                    // the lake or the catalog is unreachable: read the batch again after a pause
                    log.warn("registration failed, retrying in {}: {}", backoff, e.toString());
                    kafka.assignment().forEach(p -> kafka.committed(java.util.Set.of(p)).forEach((tp, offset) ->
                            kafka.seek(tp, offset == null ? 0 : offset.offset())));
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                            : backoff.multipliedBy(2);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            http.stop(0);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code --name=value} arguments over environment variables over defaults. */
    static final class Settings {
        private final Map<String, String> arguments = new HashMap<>();

        Settings(String[] args) {
            for (String arg : args) {
                if (arg.startsWith("--") && arg.contains("=")) {
                    arguments.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
                }
            }
        }

        String get(String name, String environment, String fallback) {
            String value = arguments.get(name);
            if (value == null) {
                value = System.getenv(environment);
            }
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
