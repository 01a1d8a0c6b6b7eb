package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.core.jobs.ErasureBatch;
import dev.sluice.core.jobs.ErasureJobArguments;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.privacy.ForgetList;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The erasure job against a real landing table and Kafka, with tier zero on the local filesystem:
 * <ul>
 *   <li>killed with SIGKILL twice at different moments and run again, it ends exactly as a run that was never
 *       interrupted: the same rows in every partition, the same legal-hold copy (each removed or changed row once),
 *       the same landing, and no version of a partition left behind that holds the subject;</li>
 *   <li>a subject's event that landed after the rewrite read landing (before dedup knew the forget-list entry) and the
 *       dump of that dirty hour that follows: the dump, which reads the forget-list first, erases it again — the
 *       subject does not come back.</li>
 * </ul>
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class ErasureJobIT {

    private static final Logger log = LoggerFactory.getLogger(ErasureJobIT.class);
    static final Schema MESSAGE = new Schema.Parser().parse("""
            {"type": "record", "name": "Message", "fields": [
              {"name": "id", "type": "string"},
              {"name": "sender_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "receiver_id", "type": "string", "sluice.entity": "user/id", "sluice.on_erasure": "redact"},
              {"name": "text", "type": "string", "sluice.tags": ["PII", "free_text"]},
              {"name": "sent_at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}
            ]}""");
    static final Instant DAY = Instant.parse("2026-11-21T08:00:00Z");
    static final List<String> HOURS = List.of("2026-11-21/08", "2026-11-21/09", "2026-11-21/10");
    static final Instant LANDED = Instant.parse("2026-11-21T12:00:00Z");
    static final String SUBJECT = "u-1";
    static final byte[] MASTER_KEY = "erasure-job-it-master-key-of-32-bytes!!".getBytes();

    static SparkSession spark;

    @BeforeAll
    static void start() {
        VersionedPartitionsTest.start();
        spark = VersionedPartitionsTest.spark;
    }

    @AfterAll
    static void stop() {
        VersionedPartitionsTest.stop();
    }

    @Test
    void killedTwiceAndRunAgainItEndsAsAnUninterruptedRun(LocalInfra infra, @TempDir Path work) throws Exception {
        String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String type = "message_" + name;
        int schemaId = register(infra, type);
        String topic = topic(infra, "partitions-" + name);
        Map<String, Path> lakes = new HashMap<>();
        for (String side : List.of("a", "b")) {
            try (CqlSession cql = TierZeroDumpIT.session(infra)) {
                landingTable(cql, name + side);
                land(cql, name + side, type, schemaId, 0, 40_000);
            }
            Path lake = Files.createDirectories(work.resolve(side));
            dump(infra, lake, name + side, type, "20261121T120000000Z");
            batch(lake, type, "20261122T000000000Z");
            batch(lake, type, "20261122T000100000Z");
            batch(lake, type, "20261122T000200000Z");
            lakes.put(side, lake);
        }

        assertThat(erasure(infra, lakes.get("a"), name + "a", type, topic, "20261122T000000000Z").waitFor()).isZero();

        // killed while it writes the legal-hold copy, then (run again) once the copy is closed, before the rewrite
        int alive = 0;
        String[] runs = {"20261122T000000000Z", "20261122T000100000Z"};
        Path hold = holdDirectory(lakes.get("b"), type);
        List<java.util.concurrent.Callable<Boolean>> moments = List.of(() -> Files.exists(hold),
                () -> Files.exists(hold.resolve(ErasureJob.COMPLETE)));
        for (int i = 0; i < runs.length; i++) {
            Process run = erasure(infra, lakes.get("b"), name + "b", type, topic, runs[i]);
            java.util.concurrent.Callable<Boolean> moment = moments.get(i);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(3))
                    .pollInterval(java.time.Duration.ofMillis(20)).until(() -> moment.call() || !run.isAlive());
            if (run.isAlive()) {
                alive++;
                run.destroyForcibly().waitFor();
            }
            log.info("kill {}: alive {}, legal hold complete {}, partitions {}", i + 1, alive,
                    Files.exists(hold.resolve(ErasureJob.COMPLETE)), versions(lakes.get("b"), type));
        }
        assertThat(alive).as("at least one kill hit a running job").isPositive();
        assertThat(erasure(infra, lakes.get("b"), name + "b", type, topic, "20261122T000200000Z").waitFor()).isZero();

        // the same end: rows of every partition, the legal-hold copy, landing
        for (String hour : HOURS) {
            assertThat(rows(current(lakes.get("b"), type, hour))).isEqualTo(rows(current(lakes.get("a"), type, hour)));
        }
        List<String> held = rows(holdDirectory(lakes.get("a"), type));
        assertThat(rows(holdDirectory(lakes.get("b"), type))).isEqualTo(held);
        long expected = Stream.iterate(0, i -> i + 1).limit(40_000).filter(i -> sender(i).equals(SUBJECT)
                || receiver(i).equals(SUBJECT)).count();
        assertThat(held).hasSize((int) expected);
        try (CqlSession cql = TierZeroDumpIT.session(infra)) {
            assertThat(landed(cql, name + "b", type)).isEqualTo(landed(cql, name + "a", type)).hasSize(40_000 - (int) expected);
        }
        // nothing of the subject anywhere in tier zero: one version per partition, without the subject
        for (String hour : HOURS) {
            assertThat(versions(lakes.get("b"), type).get(hour)).hasSize(1);
            assertThat(String.join("\n", rows(current(lakes.get("b"), type, hour)))).doesNotContain("\"" + SUBJECT + "\"");
        }
    }

    @Test
    void aDumpAfterTheRewriteErasesTheSubjectItsLateEventBroughtBack(LocalInfra infra, @TempDir Path work)
            throws Exception {
        String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String type = "message_" + name;
        int schemaId = register(infra, type);
        String partitions = topic(infra, "partitions-" + name);
        String forgotten = topic(infra, "forgotten-" + name);
        Path lake = Files.createDirectories(work.resolve("lake"));
        try (CqlSession cql = TierZeroDumpIT.session(infra)) {
            landingTable(cql, name);
            land(cql, name, type, schemaId, 0, 3000);
        }
        dump(infra, lake, name, type, "20261121T120000000Z");
        // the subject is forgotten: on the list first, then the rewrite
        String entry = ForgetList.entry(new ReservoirKeys(MASTER_KEY).forgetListHash(), new EntityRef("user/id", SUBJECT));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(forgotten, entry.getBytes(), "{}".getBytes())).get();
        }
        batch(lake, type, "20261122T000000000Z");
        assertThat(erasure(infra, lake, name, type, partitions, "20261122T000000000Z").waitFor()).isZero();
        assertThat(String.join("\n", rows(current(lake, type, HOURS.get(0))))).doesNotContain("\"" + SUBJECT + "\"");

        // late: the subject's event landed after the rewrite read landing, and another one's; the hour is dirty
        try (CqlSession cql = TierZeroDumpIT.session(infra)) {
            insert(cql, name, type, schemaId, event("late-1", SUBJECT, "u-2", DAY.plusSeconds(5)));
            insert(cql, name, type, schemaId, event("late-2", "u-3", SUBJECT, DAY.plusSeconds(6)));
            insert(cql, name, type, schemaId, event("late-3", "u-2", "u-3", DAY.plusSeconds(7)));
            assertThat(landed(cql, name, type)).contains("late-1", "late-2", "late-3");
        }
        // the datapump's dump of the hour, as it runs (its own JVM; the forget-list from Kafka, the key from its env)
        ProcessBuilder dump = new ProcessBuilder(command(DumpArgs.of(infra, lake, name, type, partitions, forgotten)))
                .redirectErrorStream(true).redirectOutput(Path.of("target", "dump-" + name + ".log").toFile());
        dump.environment().put(ReservoirKeys.MASTER_KEY_ENV, Base64.getEncoder().encodeToString(MASTER_KEY));
        Process started = dump.start();
        assertThat(started.waitFor()).isZero();
        List<String> hour = rows(current(lake, type, HOURS.get(0)));
        String text = String.join("\n", hour);
        assertThat(text).contains("\"late-3\"").doesNotContain("\"late-1\"").doesNotContain("\"" + SUBJECT + "\"");
        assertThat(hour.stream().filter(row -> row.contains("\"late-2\"")).findFirst().orElseThrow())
                .doesNotContain("receiver_id"); // redacted: null, which JSON leaves out
        // and no version left behind holds the subject
        for (String version : versions(lake, type).get(HOURS.get(0))) {
            assertThat(String.join("\n", rows(partition(lake, type, HOURS.get(0)).resolve(version))))
                    .doesNotContain("\"" + SUBJECT + "\"");
        }
    }

    // ---------------------------------------------------------------- the lake, landing and the jobs

    record DumpArgs(List<String> args) {
        static DumpArgs of(LocalInfra infra, Path lake, String keyspace, String type, String partitions,
                String forgotten) {
            return new DumpArgs(List.of("--hours", type + "/" + HOURS.get(0), "--lake",
                    lake.toUri().toString(), "--cassandra", infra.cassandraContactPoint(), "--keyspace", keyspace,
                    "--registry", infra.schemaRegistryUrl(), "--run", "20261122T010000000Z", "--kafka",
                    infra.kafkaBootstrapServers(), "--partitions-topic", partitions, "--forgotten-topic", forgotten));
        }
    }

    static List<String> command(DumpArgs dump) {
        return LocalJob.command(Path.of(System.getProperty("java.home")), classpath(), "1g",
                TierZeroDumpJob.class.getName(), 2, dump.args());
    }

    static List<Path> classpath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of).toList();
    }

    static int register(LocalInfra infra, String type) {
        return SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo()).build()
                .register("events.valid." + type + "-value", MESSAGE);
    }

    static String topic(LocalInfra infra, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    static void landingTable(CqlSession cql, String keyspace) {
        CqlMigrations.ensureKeyspace(cql, keyspace, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        new CqlMigrations("landing", "cql/landing", ErasureJobIT.class.getClassLoader()).apply(cql, keyspace);
    }

    static String sender(int i) {
        return "u-" + (i % 10);
    }

    static String receiver(int i) {
        return "u-" + ((i * 7 + 3) % 10);
    }

    static GenericRecord event(String id, String sender, String receiver, Instant at) {
        GenericRecord event = new GenericData.Record(MESSAGE);
        event.put("id", id);
        event.put("sender_id", sender);
        event.put("receiver_id", receiver);
        event.put("text", "hello from " + sender);
        event.put("sent_at", at.toEpochMilli());
        return event;
    }

    /** Events {@code from} to {@code to} over the three hours, between ten users. */
    static void land(CqlSession cql, String keyspace, String type, int schemaId, int from, int to) throws Exception {
        PreparedStatement insert = prepare(cql, keyspace);
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Instant at = DAY.plusSeconds(3600L * (i % 3) + (i % 3000));
            pending.add(cql.executeAsync(bind(insert, type, schemaId, event("e-" + i, sender(i), receiver(i), at)))
                    .toCompletableFuture());
            if (pending.size() == 256) {
                for (var p : pending) {
                    p.get();
                }
                pending.clear();
            }
        }
        for (var p : pending) {
            p.get();
        }
    }

    static void insert(CqlSession cql, String keyspace, String type, int schemaId, GenericRecord event) throws Exception {
        cql.execute(bind(prepare(cql, keyspace), type, schemaId, event));
    }

    static PreparedStatement prepare(CqlSession cql, String keyspace) {
        return cql.prepare("INSERT INTO " + keyspace + ".landing (event_type, hour, event_id, schema_id, payload, "
                + "event_time, landing_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
    }

    static com.datastax.oss.driver.api.core.cql.BoundStatement bind(PreparedStatement insert, String type, int schemaId,
            GenericRecord event) throws Exception {
        Instant at = Instant.ofEpochMilli((Long) event.get("sent_at"));
        return insert.bind(type, dev.sluice.core.lake.DirtyHour.hourOf(at), event.get("id").toString(), schemaId,
                ByteBuffer.wrap(EventDecodingTest.avro(MESSAGE, event)), at, LANDED);
    }

    static Set<String> landed(CqlSession cql, String keyspace, String type) {
        Set<String> ids = new TreeSet<>();
        for (String hour : HOURS) {
            Instant start = Instant.parse(hour.replace("/", "T") + ":00:00Z");
            for (Row row : cql.execute("SELECT event_id FROM " + keyspace + ".landing WHERE event_type = ? AND hour = ?",
                    type, start)) {
                ids.add(row.getString(0));
            }
        }
        return ids;
    }

    /** The three hours dumped into tier zero, in this JVM. */
    void dump(LocalInfra infra, Path lake, String keyspace, String type, String run) {
        LandingReader reader = new LandingReader(infra.cassandraContactPoint(), infra.cassandraLocalDatacenter(), keyspace);
        TierZeroDumpJob.dump(spark, reader, SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build(), lake.toUri().toString(), type,
                HOURS.stream().map(h -> Instant.parse(h.replace("/", "T") + ":00:00Z")).toList(), run);
    }

    /** The spec of an erasure run of the subject over the three hours, beside the lake. */
    static void batch(Path lake, String type, String run) throws Exception {
        ErasureBatch batch = new ErasureBatch(run, ErasureBatch.Mode.REWRITE, List.of(new ErasureBatch.Request("r-1",
                new EntityRef("user/id", SUBJECT), Map.of(type, HOURS), List.of())));
        Path spec = lake.resolve("exports").resolve(ErasureBatch.batchKey(run));
        Files.createDirectories(spec.getParent());
        Files.write(spec, batch.toJson());
    }

    /** The erasure job in its own JVM, as the service launches it locally. */
    static Process erasure(LocalInfra infra, Path lake, String keyspace, String type, String topic, String run)
            throws Exception {
        ErasureJobArguments arguments = new ErasureJobArguments(lake.toUri().toString(), lake.resolve("tier1").toUri()
                .toString(), lake.resolve("exports").toUri().toString(), lake.resolve("hold").toUri().toString(),
                infra.schemaRegistryUrl(), infra.cassandraContactPoint(), infra.cassandraLocalDatacenter(), keyspace,
                infra.kafkaBootstrapServers(), topic, "governance.changes", run, null);
        List<String> command = LocalJob.command(Path.of(System.getProperty("java.home")), classpath(), "1g",
                ErasureJob.class.getName(), 2, arguments.toArgs());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "erasure-" + keyspace + "-" + run + ".log").toFile());
        builder.environment().put(ReservoirKeys.MASTER_KEY_ENV, Base64.getEncoder().encodeToString(MASTER_KEY));
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    static Path partition(Path lake, String type, String hour) {
        String[] dateHour = hour.split("/");
        return lake.resolve("events").resolve(type).resolve("date=" + dateHour[0]).resolve("hour=" + dateHour[1]);
    }

    static Path current(Path lake, String type, String hour) throws Exception {
        Path partition = partition(lake, type, hour);
        return partition.resolve(Files.readString(partition.resolve(VersionedPartitions.POINTER)).trim());
    }

    static Path holdDirectory(Path lake, String type) {
        return lake.resolve("hold").resolve("r-1").resolve("tier-zero").resolve(type);
    }

    /** The version directories of each hour. */
    static Map<String, List<String>> versions(Path lake, String type) throws Exception {
        Map<String, List<String>> versions = new HashMap<>();
        for (String hour : HOURS) {
            Path partition = partition(lake, type, hour);
            try (Stream<Path> listed = Files.exists(partition) ? Files.list(partition) : Stream.empty()) {
                versions.put(hour, listed.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("v=")).sorted()
                        .toList());
            }
        }
        return versions;
    }

    /** The rows of a directory of Parquet files as sorted JSON, without the landing time. */
    static List<String> rows(Path directory) {
        return spark.read().parquet(directory.toUri().toString()).drop("_sluice_landing_time").toJSON().collectAsList()
                .stream().sorted().toList();
    }
}
