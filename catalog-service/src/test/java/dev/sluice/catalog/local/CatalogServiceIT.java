package dev.sluice.catalog.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.catalog.FileCatalog;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.spring.runtime.PipelineStages;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.support.KafkaHeaders;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The catalog's local mode against real Kafka and s3proxy: a notice that is not one, and a notice of a partition
 * the lake does not have, go to the dead-letter topic with their reasons; the good notices of the same poll are
 * registered (tier zero's in its database, a reservoir's in its own), and the stage stays running (no record is
 * retried forever); a deleted reservoir's database leaves the catalog with its last partition.
 */
@LocalInfraTest({Server.KAFKA, Server.S3})
class CatalogServiceIT {

    static final HourPartition HOUR = new HourPartition("page_viewed", LocalDate.parse("2026-11-20"), 13);

    @Test
    void badNoticesGoToTheDeadLettersAndTheGoodOnesOfTheSamePollAreRegistered(LocalInfra infra, @TempDir Path dir)
            throws Exception {
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        String bucket = "lake-" + name;
        String partitions = name + ".partitions";
        String deadLetters = name + ".dlt";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            // the datapump owns both topics; here the test stands in for it
            Topics.PARTITIONS_SPEC.named(partitions).createIfMissing(admin, 1, (short) 1, Duration.ofSeconds(30));
            Topics.LAKE_DEAD_LETTERS_SPEC.named(deadLetters).createIfMissing(admin, 1, (short) 1, Duration.ofSeconds(30));
        }
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(infra.s3Endpoint())).forcePathStyle(true)
                .region(Region.of(infra.s3Region())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey()))).build()) {
            s3.createBucket(b -> b.bucket(bucket));
            String prefix = "tier0/" + HOUR.path() + "/";
            s3.putObject(b -> b.bucket(bucket).key(prefix + "v=run1/_columns.json"),
                    RequestBody.fromString("{\"format\":\"parquet\",\"columns\":[{\"name\":\"id\",\"type\":\"string\"}]}"));
            s3.putObject(b -> b.bucket(bucket).key(prefix + "_current"), RequestBody.fromString("v=run1"));
            // a reservoir's partition: its table has exactly the reservoir's columns
            String reservoir = "tier1/mkt/" + HOUR.path() + "/";
            s3.putObject(b -> b.bucket(bucket).key(reservoir + "v=run2/_columns.json"), RequestBody.fromString(
                    "{\"format\":\"parquet\",\"columns\":[{\"name\":\"id\",\"type\":\"string\"}],"
                            + "\"table\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"page\",\"type\":\"string\"}]}"));
            s3.putObject(b -> b.bucket(bucket).key(reservoir + "_current"), RequestBody.fromString("v=run2"));
        }
        PartitionNotice published = new PartitionNotice("one", "mkt", HOUR.eventType(), HOUR.date(), HOUR.hour(),
                List.of(), 1, PartitionNotice.Reason.BACKFILL);
        PartitionNotice good = new PartitionNotice("zero", null, HOUR.eventType(), HOUR.date(), HOUR.hour(),
                List.of(), 1, PartitionNotice.Reason.NEW);
        PartitionNotice missing = new PartitionNotice("zero", null, "never_written", HOUR.date(), HOUR.hour(),
                List.of(), 1, PartitionNotice.Reason.NEW);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(partitions, "not a notice".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(partitions, missing.toJson()));
            producer.send(new ProducerRecord<>(partitions, good.toJson()));
            producer.send(new ProducerRecord<>(partitions, published.toJson())).get(30, TimeUnit.SECONDS);
        }

        try (ConfigurableApplicationContext catalog = new SpringApplicationBuilder(CatalogServiceApplication.class).run(
                "--server.port=0", "--spring.main.banner-mode=off", "--sluice.security.local-mode=true",
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--sluice.catalog.partitions-topic=" + partitions, "--sluice.catalog.dead-letter-topic=" + deadLetters,
                "--sluice.catalog.group-id=" + name, "--sluice.catalog.lake=s3a://" + bucket + "/tier0",
                "--sluice.catalog.dir=" + dir, "--sluice.catalog.s3.endpoint=" + infra.s3Endpoint(),
                "--sluice.catalog.s3.access-key=" + infra.s3AccessKey(), "--sluice.catalog.s3.secret-key=" + infra.s3SecretKey())) {
            FileCatalog files = catalog.getBean(FileCatalog.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> files.partition("sluice_tier0", HOUR.eventType(),
                    List.of("2026-11-20", "13")).isPresent());
            Map<String, String> letters = deadLetters(infra, deadLetters, 2);
            assertThat(letters).containsKey("not a notice");
            assertThat(letters.get("not a notice")).contains("not a partition notice");
            assertThat(letters.get(new String(missing.toJson(), StandardCharsets.UTF_8))).contains("no object");
            assertThat(catalog.getBean(PipelineStages.class).stage("catalog").isReady()).isTrue();

            await().atMost(Duration.ofSeconds(60)).until(() -> files.databases().contains("sluice_mkt"));
            assertThat(files.table("sluice_mkt", HOUR.eventType()).orElseThrow().columns())
                    .extracting(dev.sluice.catalog.Catalog.Column::name).containsExactly("id", "page");
            assertThat(files.table("sluice_mkt", HOUR.eventType()).orElseThrow().location())
                    .isEqualTo("s3://" + bucket + "/tier1/mkt/events/page_viewed/");
            // the reservoir is deleted: its last partition, table and database leave the catalog; tier zero stays
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(partitions, new PartitionNotice("one", "mkt", HOUR.eventType(),
                        HOUR.date(), HOUR.hour(), List.of(), 0, PartitionNotice.Reason.RESERVOIR_DELETED).toJson()))
                        .get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> files.databases().equals(List.of("sluice_tier0")));
            assertThat(infra.committedOffsets(name)).isEqualTo(5);
        }
    }

    static Map<String, String> deadLetters(LocalInfra infra, String topic, int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, String> letters = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    letters.put(new String(record.value(), StandardCharsets.UTF_8), new String(record.headers()
                            .lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(), StandardCharsets.UTF_8));
                }
            }
        }
        return letters;
    }
}
