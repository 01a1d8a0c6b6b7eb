package dev.sluice.datapump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.spring.jobs.JobRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cluster path of the lake jobs: the datapump launches its dump with {@code spark-submit} (the one lake-jobs'
 * build assembles from Maven Central's Spark jars), {@code --master local[2] --deploy-mode client} and the packages
 * of lake-jobs' documented command, which Spark resolves from Maven Central at run time (Ivy). Only platform-core and
 * the job's jar are given as files, as on a cluster.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3})
class SparkSubmitIT {

    static final Path LAKE_JOBS = Path.of("../lake-jobs/target").toAbsolutePath().normalize();

    PumpTestbed bed;

    @AfterEach
    void tearDown() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void theDatapumpDumpsThroughSparkSubmitWithTheDocumentedPackages(LocalInfra infra) throws IOException {
        bed = new PumpTestbed(infra);
        String type = "submitted_" + bed.name;
        int schemaId = SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo())
                .build().register("events.valid." + type + "-value", DatapumpIT.SCHEMA);
        Map<String, Long> expected = new HashMap<>();
        for (int h = 0; h < 2; h++) {
            Instant hour = DatapumpIT.H0.plus(Duration.ofHours(h));
            int events = 10 + h;
            bed.land(type, schemaId, hour, events, "e-", i -> DatapumpIT.clicked(hour, "e-", i));
            expected.put("zero/" + HourPartition.of(type, hour).key(), (long) events);
        }

        String packages = Files.readString(LAKE_JOBS.resolve("job/spark-packages")).trim();
        List<String> submit = List.of(LAKE_JOBS.resolve("spark/bin/spark-submit").toString(),
                "--master", "local[2]", "--deploy-mode", "client", "--driver-memory", "768m",
                "--packages", packages, "--exclude-packages", "software.amazon.awssdk:bundle",
                // Maven Central alone: this machine's local Maven repository has POMs without their jars
                "--conf", "spark.jars.ivySettings=" + LAKE_JOBS.resolve("spark/conf/ivysettings.xml"),
                "--jars", jar(Path.of("../platform-core/target"), "platform-core-"));
        Map<String, Object> settings = bed.settings();
        settings.put("sluice.datapump.job.launcher", "spark-submit");
        // one list element per property: the packages' commas must not split the list
        for (int i = 0; i < submit.size(); i++) {
            settings.put("sluice.datapump.job.spark-submit[" + i + "]", submit.get(i));
        }
        settings.put("sluice.datapump.job.jar", jar(LAKE_JOBS, "lake-jobs-"));
        bed.start(settings);

        Map<String, PartitionNotice> notices = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> partitions = bed.partitionsConsumer()) {
            await().atMost(Duration.ofMinutes(5)).until(() -> {
                partitions.poll(Duration.ofMillis(500)).forEach(r -> notices.put(new String(r.key()),
                        PartitionNotice.fromJson(r.value())));
                return notices.size() >= expected.size();
            });
        }
        assertThat(notices.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        notices.forEach((key, notice) -> assertThat(notice.rows()).as(key).isEqualTo(expected.get(key)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !bed.runs().isEmpty()
                && bed.runs().stream().allMatch(r -> r.state() == JobRun.State.SUCCEEDED));
        try (S3Client s3 = bed.s3()) {
            assertThat(s3.listObjectsV2(b -> b.bucket(bed.bucket).prefix("tier0/events/" + type + "/")).contents())
                    .filteredOn(o -> o.key().endsWith("/_current")).hasSize(2);
        }

        // the run's log is spark-submit's: Ivy resolved the packages, SparkSubmit ran the job's main class
        String log;
        try (Stream<Path> logs = Files.list(bed.logs)) {
            Path first = logs.filter(f -> f.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
            log = Files.readString(first);
        }
        assertThat(log).contains(":: resolving dependencies ::").contains("org.apache.parquet#parquet-avro;1.16.0")
                .contains("org.apache.hadoop#hadoop-aws;3.4.2").doesNotContain("software.amazon.awssdk#bundle");
    }

    static String jar(Path directory, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith(".jar")
                    && !f.toString().endsWith("-tests.jar") && !f.toString().endsWith("-sources.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + prefix + "jar in " + directory))
                    .toString();
        }
    }
}
