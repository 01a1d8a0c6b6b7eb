package dev.sluice.datapump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.spring.jobs.JobRun;
import dev.sluice.datapump.schedule.DirtyHourListener;
import dev.sluice.datapump.schedule.Pump;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.support.KafkaHeaders;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The datapump against real Kafka, Cassandra, registry and s3proxy, running the real dump job in child JVMs
 * (lake-jobs' target/job/). Landing rows and dirty-hour notices are written here as dedup writes them.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3})
class DatapumpIT {

    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Clicked", "namespace": "com.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "user_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");
    static final Instant H0 = Instant.parse("2026-11-20T10:00:00Z");

    LocalInfra infra;
    PumpTestbed bed;
    String name;
    String typeA;
    String typeB;
    String bucket;
    int schemaId;
    ConfigurableApplicationContext app;

    @BeforeEach
    void setUp(LocalInfra infra) {
        this.infra = infra;
        bed = new PumpTestbed(infra);
        name = bed.name;
        bucket = bed.bucket;
        typeA = "clicked_a_" + name;
        typeB = "clicked_b_" + name;
        SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build();
        schemaId = registry.register("events.valid." + typeA + "-value", SCHEMA);
        registry.register("events.valid." + typeB + "-value", SCHEMA);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void dirtyHoursAreDumpedOnceQuietARestartRepeatsNothingAndALateEventRedumpsItsHourOnly() {
        // two types, three hours each, 20 events per hour
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String type : List.of(typeA, typeB)) {
            for (int h = 0; h < 3; h++) {
                Instant hour = H0.plus(Duration.ofHours(h));
                land(type, hour, 20, "e-");
                expected.put("zero/" + type + "/" + HourPartition.of(type, hour).key().substring(type.length() + 1), 20L);
            }
        }
        app = start();

        Map<String, PartitionNotice> notices = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> partitions = bed.partitionsConsumer()) {
            await().atMost(Duration.ofMinutes(4)).until(() -> {
                partitions.poll(Duration.ofMillis(500)).forEach(r -> notices.put(new String(r.key()),
                        PartitionNotice.fromJson(r.value())));
                return notices.size() >= expected.size();
            });
        }
        assertThat(notices).hasSize(6);
        notices.forEach((key, notice) -> {
            assertThat(notice.rows()).as(key).isEqualTo(expected.get(key));
            assertThat(notice.reason()).isEqualTo(PartitionNotice.Reason.NEW);
            assertThat(notice.objects()).isNotEmpty().allSatisfy(o -> assertThat(o).endsWith(".parquet"));
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> runs().stream().allMatch(r -> r.state() == JobRun.State.SUCCEEDED));
        List<JobRun> before = runs();
        assertThat(before.stream().flatMap(r -> r.hours().stream()).sorted().toList())
                .as("every hour in exactly one run").isEqualTo(expected.keySet().stream().map(k -> k.substring(5)).sorted().toList());
        try (S3Client s3 = s3()) {
            List<String> keys = s3.listObjectsV2(b -> b.bucket(bucket).prefix("tier0/events/" + typeA + "/")).contents()
                    .stream().map(o -> o.key()).toList();
            assertThat(keys).filteredOn(k -> k.endsWith("/_current")).hasSize(3);
            assertThat(keys).filteredOn(k -> k.endsWith("/_columns.json")).hasSize(3);
        }

        // a restart reads every notice again and dumps nothing: the hours' last dumps cover them
        app.close();
        app = start();
        Pump pump = app.getBean(Pump.class);
        DirtyHourListener reader = app.getBean(DirtyHourListener.class);
        PipelineStages stages = app.getBean(PipelineStages.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> reader.caughtUp() && stages.stage("pump").isReady());
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20)).until(() -> pump.pending().isEmpty()
                && runs().size() == before.size());

        // a late event in one hour: one run, for that hour only, merging the 20 events with the late one
        Instant late = H0.plus(Duration.ofHours(1));
        land(typeA, late, 1, "late-");
        String lateKey = HourPartition.of(typeA, late).key();
        await().atMost(Duration.ofMinutes(3)).until(() -> runs().size() == before.size() + 1
                && runs().get(0).state() == JobRun.State.SUCCEEDED);
        assertThat(runs().get(0).hours()).containsExactly(lateKey);
        try (KafkaConsumer<byte[], byte[]> partitions = bed.partitionsConsumer()) {
            List<PartitionNotice> all = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                partitions.poll(Duration.ofMillis(500)).forEach(r -> all.add(PartitionNotice.fromJson(r.value())));
                return all.size() >= 7;
            });
            // the topic's partitions are not read in order: the late notice is the one of its hour with 21 rows
            assertThat(all).filteredOn(n -> n.key().equals("zero/" + lateKey))
                    .extracting(PartitionNotice::rows, PartitionNotice::reason)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(20L, PartitionNotice.Reason.NEW),
                            org.assertj.core.groups.Tuple.tuple(21L, PartitionNotice.Reason.LATE_EVENTS));
        }
    }

    @Test
    void aRunThatFailsIsRetriedAfterItsBackoffAndItsHoursAreDumpedThen() {
        app = start();
        // the registry is away: the job cannot read the writer schema and fails
        LocalInfra.Outage outage = infra.outage(Server.SCHEMA_REGISTRY);
        try {
            land(typeA, H0, 5, "e-");
            await().atMost(Duration.ofMinutes(3)).until(() -> runs().stream().anyMatch(r -> r.state() == JobRun.State.FAILED));
        } finally {
            outage.close();
        }
        JobRun failed = runs().stream().filter(r -> r.state() == JobRun.State.FAILED).findFirst().orElseThrow();
        assertThat(failed.error()).startsWith("exit code ");
        await().atMost(Duration.ofMinutes(3)).until(() -> runs().get(0).state() == JobRun.State.SUCCEEDED);
        JobRun retried = runs().get(0);
        assertThat(retried.hours()).isEqualTo(failed.hours()).containsExactly(HourPartition.of(typeA, H0).key());
        assertThat(retried.attempt()).isGreaterThan(failed.attempt());
        assertThat(app.getBean(Pump.class).pending()).isEmpty();
    }

    @Test
    void aRecordThatIsNotANoticeGoesToTheDeadLettersAndTheNoticesAroundItAreRead() throws Exception {
        app = start();
        try {
            bed.producer.send(new ProducerRecord<>(name + ".dirty-hours", "x/y/z".getBytes(), "{\"not\": \"a notice\"}"
                    .getBytes())).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        land(typeA, H0, 3, "dlt-");
        Pump pump = app.getBean(Pump.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> !pump.pending().isEmpty() || !runs().isEmpty());
        try (KafkaConsumer<byte[], byte[]> letters = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, name + "-dlt-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            letters.subscribe(List.of(name + ".dlt"));
            List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                letters.poll(Duration.ofMillis(500)).forEach(received::add);
                return !received.isEmpty();
            });
            assertThat(received).hasSize(1);
            assertThat(new String(received.get(0).value())).isEqualTo("{\"not\": \"a notice\"}");
            assertThat(new String(received.get(0).headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value()))
                    .contains("not a dirty-hour notice");
        }
        assertThat(app.getBean(PipelineStages.class).stage("dirty-hours").isReady()).isTrue();
    }

    ConfigurableApplicationContext start() {
        app = bed.start(bed.settings());
        return app;
    }

    /** Lands events in an hour as dedup does: the rows, then the hour's dirty notice. */
    void land(String type, Instant hour, int events, String prefix) {
        bed.land(type, schemaId, hour, events, prefix, i -> clicked(hour, prefix, i));
    }

    /** The i-th Clicked event of an hour: its id, user {@code u-<i>}, the hour plus i seconds. */
    static GenericRecord clicked(Instant hour, String prefix, int i) {
        GenericRecord event = new GenericData.Record(SCHEMA);
        event.put("id", prefix + i);
        event.put("user_id", "u-" + i);
        event.put("at", hour.toEpochMilli() + i * 1000L);
        return event;
    }

    List<JobRun> runs() {
        return bed.runs();
    }

    S3Client s3() {
        return bed.s3();
    }
}
