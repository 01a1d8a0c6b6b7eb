package dev.sluice.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The tier-zero dump's throughput against a plain Spark job writing the same rows to Parquet with the same
 * partitioning, and the fixed overhead of launching a job in a child JVM. Not a test: run by
 * {@code benchmarks/run-dump.sh [events] [hours]}; results in benchmarks/README.md.
 *
 * <p>Both jobs run in this JVM on one local[2] Spark session, alternately, twice, after a warm-up. The dump job reads
 * the landing rows from Cassandra (one task per hour), decodes the Avro payloads, merges with the (empty) partitions
 * and writes versions plus pointers. The plain job reads the same rows, already decoded, from unpartitioned Parquet
 * and writes them partitioned by date and hour.
 */
public final class DumpBenchmark {

    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "CheckoutCompleted", "namespace": "bench", "fields": [
              {"name": "id", "type": "string"},
              {"name": "user_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "order_id", "type": "string"},
              {"name": "amount_cents", "type": "long"},
              {"name": "currency", "type": "string"},
              {"name": "items", "type": "int"},
              {"name": "coupon", "type": ["null", "string"], "default": null},
              {"name": "device", "type": {"type": "record", "name": "Device", "fields": [
                {"name": "os", "type": "string"}, {"name": "app_version", "type": "string"}]}}]}""");

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int hourCount = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        Path work = Path.of("benchmarks", "target", "dump").toAbsolutePath();
        deleteRecursively(work.resolve("lake"));
        String type = "checkout_completed";
        Instant first = Instant.parse("2026-11-20T00:00:00Z");
        List<Instant> hours = new ArrayList<>();
        for (int h = 0; h < hourCount; h++) {
            hours.add(first.plus(Duration.ofHours(h)));
        }
        try (LocalInfra infra = LocalInfra.builder().directory(work.resolve("infra")).build()
                .start(Server.CASSANDRA, Server.SCHEMA_REGISTRY)) {
            SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                    .userInfo(infra.schemaRegistryUserInfo()).build();
            int schemaId = registry.register("events.valid." + type + "-value", SCHEMA);
            long landStart = System.nanoTime();
            land(infra, "bench", type, schemaId, hours, events);
            System.out.printf("landed %,d events in %d hours in %.1f s%n", events, hourCount, seconds(landStart));

            SparkSession spark = SparkSession.builder().master("local[2]").appName("dump-benchmark")
                    .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS").getOrCreate();
            LandingReader reader = new LandingReader(infra.cassandraContactPoint(), infra.cassandraLocalDatacenter(), "bench");
            // the plain job's input: the same rows, decoded, in unpartitioned Parquet (not timed)
            String source = work.resolve("lake/source").toUri().toString();
            Map<Integer, String> schemas = Map.of(schemaId, SCHEMA.toString());
            EventDecoding.decode(reader.read(spark, type, hours), schemas).write().mode(SaveMode.Overwrite).parquet(source);

            // warm-up: both jobs once on two hours
            TierZeroDumpJob.dump(spark, reader, registry, work.resolve("lake/warm").toUri().toString(), type,
                    hours.subList(0, 2), "warm");
            plain(spark.read().parquet(source).limit(20_000), work.resolve("lake/warm-plain").toUri().toString());

            List<String> lines = new ArrayList<>();
            long start = 0;
            for (int round = 1; round <= 3; round++) {
                start = System.nanoTime();
                plain(spark.read().parquet(source), work.resolve("lake/plain" + round).toUri().toString());
                double plainSeconds = seconds(start);
                start = System.nanoTime();
                long partitions = TierZeroDumpJob.dump(spark, reader, registry, work.resolve("lake/dump" + round).toUri()
                        .toString(), type, hours, "run" + round).size();
                double dumpSeconds = seconds(start);
                lines.add(String.format("round %d: plain Spark %,.0f events/s (%.1f s); dump job %,.0f events/s (%.1f s, "
                        + "%d partitions); ratio %.2f", round, events / plainSeconds, plainSeconds, events / dumpSeconds,
                        dumpSeconds, partitions, plainSeconds / dumpSeconds));
                System.out.println(lines.get(lines.size() - 1));
            }
            // where the dump's time goes: each stage forced with Spark's noop sink (every column computed, nothing written)
            start = System.nanoTime();
            reader.read(spark, type, hours).write().format("noop").mode(SaveMode.Overwrite).save();
            double readSeconds = seconds(start);
            start = System.nanoTime();
            EventDecoding.decode(reader.read(spark, type, hours), schemas).write().format("noop").mode(SaveMode.Overwrite).save();
            double decodeSeconds = seconds(start);
            start = System.nanoTime();
            plain(EventDecoding.decode(reader.read(spark, type, hours), schemas), work.resolve("lake/plain-from-landing")
                    .toUri().toString());
            double plainFromLanding = seconds(start);
            lines.add(String.format("stages: read landing %.1f s; read + decode %.1f s; read + decode + the plain write "
                    + "%.1f s (%,.0f events/s)", readSeconds, decodeSeconds, plainFromLanding, events / plainFromLanding));
            System.out.println(lines.get(lines.size() - 1));
            // a re-dump of every hour onto its existing partition: the merge with what tier zero holds is the extra work
            start = System.nanoTime();
            TierZeroDumpJob.dump(spark, reader, registry, work.resolve("lake/dump2").toUri().toString(), type, hours, "run3");
            double redump = seconds(start);
            lines.add(String.format("re-dump of the same %d hours onto their existing partitions (merge): %,.0f events/s "
                    + "(%.1f s)", hourCount, events / redump, redump));
            System.out.println(lines.get(lines.size() - 1));
            spark.stop();
            LandingReader.closeSessions();

            // the fixed overhead: a whole job in a child JVM for one hour of one event
            land(infra, "bench", "tiny", registry.register("events.valid.tiny-value", SCHEMA), List.of(first), 1);
            List<Path> classpath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                    .map(Path::of).toList();
            for (int i = 1; i <= (System.getenv("SKIP_LAUNCH") == null ? 3 : 0); i++) {
                List<String> command = LocalJob.command(Path.of(System.getProperty("java.home")), classpath, "768m",
                        TierZeroDumpJob.class.getName(), 2, List.of("--hours", "tiny/2026-11-20/00", "--lake",
                                work.resolve("lake/tiny").toUri().toString(), "--cassandra", infra.cassandraContactPoint(),
                                "--datacenter", infra.cassandraLocalDatacenter(), "--keyspace", "bench", "--registry",
                                infra.schemaRegistryUrl(), "--run", "tiny" + i));
                long launched = System.nanoTime();
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(work.resolve("tiny" + i + ".log").toFile()).start();
                int exit = process.waitFor();
                lines.add(String.format("launch overhead, run %d: a child-JVM job for 1 event took %.1f s (exit %d)", i,
                        seconds(launched), exit));
                System.out.println(lines.get(lines.size() - 1));
            }
            System.out.printf("%n%d cores, %s %s, %,d events over %d hours, Spark local[2]:%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), events, hourCount);
            lines.forEach(System.out::println);
        }
    }

    static void plain(Dataset<Row> rows, String target) {
        rows.withColumn("date", date_format(col(LandingColumns.EVENT_TIME), "yyyy-MM-dd"))
                .withColumn("hour", date_format(col(LandingColumns.EVENT_TIME), "HH"))
                .repartition(col("date"), col("hour"))
                .write().mode(SaveMode.Overwrite).partitionBy("date", "hour").parquet(target);
    }

    static void land(LocalInfra infra, String keyspace, String type, int schemaId, List<Instant> hours, int events)
            throws Exception {
        try (CqlSession cql = TierZeroDumpIT.session(infra)) {
            CqlMigrations.ensureKeyspace(cql, keyspace, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            new CqlMigrations("landing", "cql/landing", DumpBenchmark.class.getClassLoader()).apply(cql, keyspace);
            PreparedStatement insert = cql.prepare("INSERT INTO " + keyspace + ".landing (event_type, hour, event_id, "
                    + "schema_id, payload, event_time, landing_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
            Semaphore window = new Semaphore(64);
            Instant now = Instant.now();
            for (int i = 0; i < events; i++) {
                Instant hour = hours.get(i % hours.size());
                Instant at = at(i, hour);
                GenericRecord event = event(i, at);
                window.acquire();
                CompletionStage<AsyncResultSet> write = cql.executeAsync(insert.bind(type, hour, "e-" + i, schemaId,
                        ByteBuffer.wrap(avro(event)), at, now));
                write.whenComplete((r, e) -> window.release());
            }
            window.acquire(64);
        }
    }

    /** The i-th event's time in its hour. */
    static Instant at(int i, Instant hour) {
        return hour.plusMillis((i * 7919L) % 3_600_000L);
    }

    /** The i-th {@code checkout_completed} event of the benchmarks. */
    static GenericRecord event(int i, Instant at) {
        GenericRecord event = new GenericData.Record(SCHEMA);
        event.put("id", "e-" + i);
        event.put("user_id", "u-" + (i % 50_000));
        event.put("at", at.toEpochMilli());
        event.put("order_id", "o-" + i);
        event.put("amount_cents", 100L + i % 10_000);
        event.put("currency", i % 3 == 0 ? "EUR" : "USD");
        event.put("items", 1 + i % 5);
        event.put("coupon", i % 10 == 0 ? "WINTER" : null);
        GenericRecord device = new GenericData.Record(SCHEMA.getField("device").schema());
        device.put("os", i % 2 == 0 ? "android" : "ios");
        device.put("app_version", "5." + (i % 20));
        event.put("device", device);
        return event;
    }

    static byte[] avro(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
