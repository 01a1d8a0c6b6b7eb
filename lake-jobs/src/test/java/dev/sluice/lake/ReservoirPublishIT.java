package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.jobs.ReservoirJobArguments;
import dev.sluice.core.jobs.ReservoirTask;
import dev.sluice.core.lake.LakeLayout;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.Grant;
import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.core.policy.Selector;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reservoir job in its own JVM, as the datapump runs it locally, against a real Kafka (the policies on a
 * change-feed topic, the notices on a partitions topic) and registry, on a lake in a directory. Tier zero is written
 * here with the dump's own partition writer. The reservoirs are read back with parquet-avro, not Spark, and every
 * hash is computed here: the reservoir key with BouncyCastle's HKDF, the HMAC with the JDK's.
 */
@LocalInfraTest({Server.KAFKA, Server.SCHEMA_REGISTRY})
class ReservoirPublishIT {

    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Checkout", "namespace": "com.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "user_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "email", "type": ["null", "string"], "default": null, "sluice.tags": ["PII"]},
              {"name": "page", "type": "string"},
              {"name": "client", "type": {"type": "record", "name": "Client", "fields": [
                {"name": "os", "type": "string"},
                {"name": "ip_address", "type": "string", "sluice.tags": ["PII"]}]}},
              {"name": "referrers", "type": {"type": "array", "items": "string"}, "sluice.tags": ["PII"]},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}]}""");
    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    static final Instant HOUR = DAY.atTime(10, 0).toInstant(ZoneOffset.UTC);

    static final byte[] MASTER = new byte[32];

    static {
        new SecureRandom().nextBytes(MASTER);
    }

    LocalInfra infra;
    String name;
    String type;
    int schemaId;
    Path lake;

    @BeforeAll
    static void start() {
        VersionedPartitionsTest.start();
    }

    @AfterAll
    static void stop() {
        VersionedPartitionsTest.stop();
    }

    @BeforeEach
    void setUp(LocalInfra infra, @TempDir Path lake) {
        this.infra = infra;
        this.lake = lake;
        name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        type = "checkout_" + name;
        schemaId = SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo()).build()
                .register(Topics.eventSubject(type), SCHEMA);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            Topics.GOVERNANCE_CHANGES_SPEC.named(name + ".changes").createIfMissing(admin, 1, (short) 1, Duration.ofSeconds(30));
            Topics.PARTITIONS_SPEC.named(name + ".partitions").createIfMissing(admin, 1, (short) 1, Duration.ofSeconds(30));
        }
    }

    @Test
    void eachReservoirGetsItsPolicysColumnsWithItsOwnKeyedHashesReadableWithoutSluice() throws Exception {
        tierZero(HOUR, 0, 20, "run0");
        tierZero(HOUR.plusSeconds(3600), 20, 5, "run0");
        // marketing may see user ids, ip addresses and referrers hashed; support only user ids; neither the email
        publish(policy("mkt", grant("mkt", "user_id"), grant("mkt", "client.ip_address"), grant("mkt", "referrers")));
        publish(policy("ops", grant("ops", "user_id")));

        assertThat(job("run1", ReservoirTask.days("mkt", type, DAY, DAY, PartitionNotice.Reason.BACKFILL),
                ReservoirTask.days("ops", type, DAY, DAY, PartitionNotice.Reason.BACKFILL)).waitFor()).isZero();

        List<GenericRecord> mkt = read("mkt", HOUR);
        assertThat(mkt).hasSize(20);
        GenericRecord first = mkt.stream().filter(r -> r.get("id").toString().equals("e-3")).findFirst().orElseThrow();
        assertThat(fieldNames(first)).containsExactly("id", "user_id", "page", "client", "referrers", "at",
                "_sluice_event_id", "_sluice_schema_id", "_sluice_event_time", "_sluice_landing_time");
        assertThat(first.get("user_id").toString()).isEqualTo(hmac("mkt", "u-3"));
        assertThat(first.get("page").toString()).isEqualTo("/cart/3");
        GenericRecord client = (GenericRecord) first.get("client");
        assertThat(fieldNames(client)).containsExactly("os", "ip_address");
        assertThat(client.get("os").toString()).isEqualTo("ios");
        assertThat(client.get("ip_address").toString()).isEqualTo(hmac("mkt", "10.0.0.3"));
        // Spark writes lists in Parquet's three-level form: parquet-avro reads each item as {"element": ...}
        assertThat(((List<?>) first.get("referrers")).stream().map(item -> ((GenericRecord) item).get("element").toString())
                .toList())
                .containsExactly(hmac("mkt", "https://a.example/3"), hmac("mkt", "https://b.example"));
        assertThat(first.get("_sluice_event_id").toString()).isEqualTo(hmac("mkt", "e-3"));
        assertThat(mkt).allSatisfy(r -> assertThat(r.get("_sluice_schema_id")).isEqualTo(schemaId));

        List<GenericRecord> ops = read("ops", HOUR);
        GenericRecord same = ops.stream().filter(r -> r.get("page").toString().equals("/cart/3")).findFirst().orElseThrow();
        assertThat(fieldNames(same)).containsExactly("id", "user_id", "page", "client", "at", "_sluice_event_id",
                "_sluice_schema_id", "_sluice_event_time", "_sluice_landing_time");
        assertThat(fieldNames((GenericRecord) same.get("client"))).containsExactly("os");
        // the same user, another reservoir: another key, another hash
        assertThat(same.get("user_id").toString()).isEqualTo(hmac("ops", "u-3")).isNotEqualTo(first.get("user_id").toString());
        assertThat(read("ops", HOUR.plusSeconds(3600))).hasSize(5);

        // a notice per partition written, and the catalog's column lists: the reservoir's table has no email
        List<PartitionNotice> notices = notices(4);
        assertThat(notices).extracting(PartitionNotice::tier, PartitionNotice::reason).containsOnly(
                org.assertj.core.groups.Tuple.tuple("one", PartitionNotice.Reason.BACKFILL));
        assertThat(notices).extracting(PartitionNotice::reservoir).containsExactlyInAnyOrder("mkt", "mkt", "ops", "ops");
        String columns = Files.readString(version("ops", HOUR).resolve(LakeLayout.COLUMNS));
        assertThat(columns).contains("\"table\":[").doesNotContain("email").doesNotContain("referrers")
                .doesNotContain("ip_address");
        // the master key went to the job by its environment only: not in its arguments, log or files
        String encoded = Base64.getEncoder().encodeToString(MASTER);
        assertThat(Files.readString(log("run1"))).doesNotContain(encoded);
        try (var files = Files.walk(lake)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(encoded);
            }
        }
    }

    @Test
    void aRunKilledMidWriteLeavesThePreviousVersionCurrentAndTheNextRunCompletes() throws Exception {
        tierZero(HOUR, 0, 1000, "run0");
        publish(policy("mkt", grant("mkt", "user_id")));
        assertThat(job("run1", ReservoirTask.hour("mkt", type, DAY, 10, PartitionNotice.Reason.NEW)).waitFor()).isZero();
        assertThat(pointer("mkt", HOUR)).isEqualTo("v=run1");

        tierZero(HOUR, 1000, 200_000, "run2"); // tier zero grows to 201 000 events; the reservoir run is killed mid-write
        Process killed = job("run3", ReservoirTask.hour("mkt", type, DAY, 10, PartitionNotice.Reason.LATE_EVENTS));
        Path staging = lake.resolve("tier1/mkt/events/" + type + "/_temporary");
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(staging) || !killed.isAlive());
        assertThat(killed.isAlive()).as("the run is writing when it is killed").isTrue();
        killed.destroyForcibly().waitFor();

        assertThat(pointer("mkt", HOUR)).isEqualTo("v=run1");
        assertThat(read("mkt", HOUR)).hasSize(1000);

        assertThat(job("run4", ReservoirTask.hour("mkt", type, DAY, 10, PartitionNotice.Reason.LATE_EVENTS)).waitFor())
                .isZero();
        assertThat(pointer("mkt", HOUR)).isEqualTo("v=run4");
        assertThat(VersionedPartitionsTest.spark.read().parquet(version("mkt", HOUR).toUri().toString()).count())
                .isEqualTo(201_000);
        assertThat(version("mkt", HOUR).resolveSibling("v=run3")).doesNotExist();
    }

    @Test
    void retentionDeletesExactlyThePartitionsPastItAndADeletedReservoirLosesEverything() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<Instant> hours = List.of(today.minusDays(5).atTime(9, 0).toInstant(ZoneOffset.UTC),
                today.minusDays(3).atTime(23, 0).toInstant(ZoneOffset.UTC),
                today.minusDays(2).atTime(0, 0).toInstant(ZoneOffset.UTC), today.atTime(0, 0).toInstant(ZoneOffset.UTC));
        for (Instant hour : hours) {
            tierZero(hour, 0, 3, "run0");
        }
        publish(policy("mkt"));
        publish(policy("ops"));
        assertThat(job("run1", ReservoirTask.days("mkt", type, today.minusDays(10), today, PartitionNotice.Reason.BACKFILL),
                ReservoirTask.days("ops", type, today.minusDays(10), today, PartitionNotice.Reason.BACKFILL)).waitFor())
                .isZero();
        hours.forEach(hour -> assertThat(pointerFile("mkt", hour)).exists());
        notices(8);

        // three days kept: today and the two days before; then ops is deleted
        assertThat(job("run2", ReservoirTask.retention("mkt", today.minusDays(2)), ReservoirTask.delete("ops")).waitFor())
                .isZero();
        assertThat(pointerFile("mkt", hours.get(0))).doesNotExist();
        assertThat(pointerFile("mkt", hours.get(1))).doesNotExist();
        assertThat(pointerFile("mkt", hours.get(2))).exists();
        assertThat(pointerFile("mkt", hours.get(3))).exists();
        assertThat(lake.resolve("tier1/mkt/events/" + type + "/date=" + today.minusDays(5))).isEmptyDirectory();
        hours.forEach(hour -> assertThat(pointerFile("ops", hour)).doesNotExist());
        // tier zero keeps everything
        hours.forEach(hour -> assertThat(lake.resolve("tier0").resolve(partitionPath(hour)).resolve("_current")).exists());

        List<PartitionNotice> removed = notices(14).subList(8, 14);
        assertThat(removed).filteredOn(n -> n.reservoir().equals("mkt")).extracting(PartitionNotice::date,
                PartitionNotice::reason).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(today.minusDays(5), PartitionNotice.Reason.RETENTION),
                        org.assertj.core.groups.Tuple.tuple(today.minusDays(3), PartitionNotice.Reason.RETENTION));
        assertThat(removed).filteredOn(n -> n.reservoir().equals("ops")).hasSize(4)
                .allMatch(n -> n.reason() == PartitionNotice.Reason.RESERVOIR_DELETED);
    }

    /** Events {@code e-from} ... of an hour into tier zero, as the dump writes them. */
    void tierZero(Instant hour, int from, int count, String run) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            GenericRecord event = new GenericData.Record(SCHEMA);
            event.put("id", "e-" + i);
            event.put("user_id", "u-" + i);
            event.put("email", "user" + i + "@example.com");
            event.put("page", "/cart/" + i);
            GenericRecord client = new GenericData.Record(SCHEMA.getField("client").schema());
            client.put("os", "ios");
            client.put("ip_address", "10.0.0." + (i % 250));
            event.put("client", client);
            event.put("referrers", List.of("https://a.example/" + i, "https://b.example"));
            long time = hour.toEpochMilli() + (i % 3600) * 1000L;
            event.put("at", time);
            rows.add(RowFactory.create("e-" + i, schemaId, EventDecodingTest.avro(SCHEMA, event), new Timestamp(time),
                    Timestamp.from(Instant.now())));
        }
        Dataset<Row> landing = VersionedPartitionsTest.spark.createDataFrame(rows, VersionedPartitionsTest.LANDING);
        VersionedPartitions partitions = new VersionedPartitions(VersionedPartitionsTest.spark,
                lake.resolve("tier0").toUri().toString(), type);
        partitions.write(partitions.merge(EventDecoding.decode(landing, Map.of(schemaId, SCHEMA.toString())), List.of(hour)),
                List.of(hour), run);
    }

    ReservoirPolicy policy(String reservoir, Grant... grants) {
        return new ReservoirPolicy(reservoir, 1, "team-" + reservoir, 30, 1, List.of(type), List.of(), List.of(grants),
                Instant.now(), null);
    }

    Grant grant(String reservoir, String path) {
        return new Grant("g-" + reservoir + "-" + path, reservoir, new Selector.Field(type, path), Action.HASH, "test", null,
                "analyst", "dpo");
    }

    void publish(ReservoirPolicy policy) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(name + ".changes", policy.reservoir().getBytes(StandardCharsets.UTF_8),
                    policy.toJson())).get(30, TimeUnit.SECONDS);
        }
    }

    /** The job as the datapump's local launcher runs it: its own JVM, the master key in its environment only. */
    Process job(String run, ReservoirTask... tasks) throws Exception {
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        ReservoirJobArguments arguments = new ReservoirJobArguments(List.of(tasks), lake.resolve("tier0").toUri().toString(),
                lake.resolve("tier1").toUri().toString(), infra.schemaRegistryUrl(), infra.kafkaBootstrapServers(),
                name + ".changes", name + ".partitions", run, null);
        List<String> command = LocalJob.command(Path.of(System.getProperty("java.home")), classpath, "1g",
                ReservoirPublishJob.class.getName(), 2, arguments.toArgs());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(run).toFile());
        builder.environment().put("SLUICE_MASTER_KEY", Base64.getEncoder().encodeToString(MASTER));
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    Path log(String run) {
        return Path.of("target", "reservoir-" + name + "-" + run + ".log").toAbsolutePath();
    }

    String partitionPath(Instant hour) {
        var utc = hour.atOffset(ZoneOffset.UTC);
        return "events/" + type + "/date=" + utc.toLocalDate() + "/hour=" + String.format("%02d", utc.getHour());
    }

    Path pointerFile(String reservoir, Instant hour) {
        return lake.resolve("tier1").resolve(reservoir).resolve(partitionPath(hour)).resolve("_current");
    }

    String pointer(String reservoir, Instant hour) throws Exception {
        return Files.readString(pointerFile(reservoir, hour));
    }

    Path version(String reservoir, Instant hour) throws Exception {
        return pointerFile(reservoir, hour).resolveSibling(pointer(reservoir, hour));
    }

    /** The current version's rows, with parquet-avro: no Spark, no Sluice code. */
    List<GenericRecord> read(String reservoir, Instant hour) throws Exception {
        List<GenericRecord> records = new ArrayList<>();
        try (var files = Files.list(version(reservoir, hour))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList()) {
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration())).build()) {
                    for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    static List<String> fieldNames(GenericRecord record) {
        return record.getSchema().getFields().stream().map(Schema.Field::name).toList();
    }

    /** The partitions topic from its start, until it has {@code count} notices. */
    List<PartitionNotice> notices(int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(name + ".partitions", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<PartitionNotice> notices = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (notices.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    notices.add(PartitionNotice.fromJson(record.value()));
                }
            }
            assertThat(notices).hasSize(count);
            return notices;
        }
    }

    /** The reservoir key as the test derives it (RFC 5869 with BouncyCastle), then HMAC-SHA-256 with the JDK. */
    static String hmac(String reservoir, String text) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(MASTER, "sluice reservoir keys v1".getBytes(StandardCharsets.UTF_8),
                (reservoir + "\u0000" + 1).getBytes(StandardCharsets.UTF_8)));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, 32);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
