package dev.sluice.lake;

import dev.sluice.core.jobs.AccessBatch;
import dev.sluice.core.jobs.AccessJobArguments;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The cost of one access request follows the subject's partitions, not the lake: the access job for one fixed
 * subject on a generated tier zero, then on one ten times larger (ten times the users and the hours, the same rows
 * per partition, the subject with the same events in as many partitions). The partitions are the ones the reverse
 * index names for the subject (computed here from the generator), as the privacy-requests service passes them.
 *
 * <p>Usage: {@code benchmarks/lake-benchmark.sh AccessBenchmark [events 100000] [hours 48] [users 10000]}; the larger
 * lake is ten times each. Three rounds each after a warm-up; the median is reported.
 */
public final class AccessBenchmark {

    static final String SUBJECT = "u-0";

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Path work = Path.of("benchmarks", "target", "access").toAbsolutePath();
        DumpBenchmark.deleteRecursively(work.resolve("lake"));
        try (LocalInfra infra = LocalInfra.builder().directory(work.resolve("infra")).build().start(Server.SCHEMA_REGISTRY)) {
            SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                    .userInfo(infra.schemaRegistryUserInfo()).build();
            SparkSession spark = SparkSession.builder().master("local[2]").appName("access-benchmark")
                    .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS").getOrCreate();
            List<String> lines = new ArrayList<>();
            for (int scale : new int[] {1, 10}) {
                String type = "checkout_x" + scale;
                int schemaId = registry.register(Topics.eventSubject(type), DumpBenchmark.SCHEMA);
                String lake = work.resolve("lake/tier0").toUri().toString();
                long start = System.nanoTime();
                List<String> subjectHours = tierZero(spark, lake, type, schemaId, events * scale, hours * scale,
                        users * scale);
                double written = DumpBenchmark.seconds(start);
                List<Double> times = new ArrayList<>();
                AccessBatch.Result result = null;
                for (int round = 0; round <= 3; round++) { // round 0 warms up
                    start = System.nanoTime();
                    result = access(spark, registry, work, type, subjectHours, "x" + scale + "r" + round);
                    if (round > 0) {
                        times.add(DumpBenchmark.seconds(start));
                    }
                }
                times.sort(null);
                AccessBatch.RequestResult request = result.requests().values().iterator().next();
                lines.add(String.format("lake x%d: %,d events, %d partitions, %,d users (written in %.0f s); the subject's "
                        + "%d events in %d partitions: access job %.2f s (median of 3: %s), %d partitions read",
                        scale, events * scale, hours * scale, users * scale, written,
                        request.rows().values().stream().mapToLong(Long::longValue).sum(), subjectHours.size(),
                        times.get(1), times, result.partitionsRead().size()));
                System.out.println(lines.get(lines.size() - 1));
            }
            spark.stop();
            System.out.printf("%n%d cores, %s %s, Spark local[2]:%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"));
            lines.forEach(System.out::println);
        }
    }

    /**
     * Tier zero of one type: {@code events} events over {@code hours} hours, event i of user {@code i % users} in hour
     * {@code i % hours}, as the dump writes them. Returns the subject's hours ({@code yyyy-MM-dd/HH}).
     */
    static List<String> tierZero(SparkSession spark, String lake, String type, int schemaId, int events, int hours,
            int users) throws Exception {
        Instant first = LocalDate.now(ZoneOffset.UTC).minusDays(1 + hours / 24).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Instant> hourList = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            hourList.add(first.plus(Duration.ofHours(h)));
        }
        TreeSet<String> subjectHours = new TreeSet<>();
        List<Row> rows = new ArrayList<>(events);
        Timestamp now = Timestamp.from(Instant.now());
        for (int i = 0; i < events; i++) {
            Instant hour = hourList.get(i % hours);
            Instant at = DumpBenchmark.at(i, hour);
            GenericRecord event = DumpBenchmark.event(i, at);
            String user = "u-" + (i % users);
            event.put("user_id", user);
            if (user.equals(SUBJECT)) {
                subjectHours.add(hour.atOffset(ZoneOffset.UTC).toLocalDate() + "/"
                        + String.format("%02d", hour.atOffset(ZoneOffset.UTC).getHour()));
            }
            rows.add(RowFactory.create("e-" + i, schemaId, DumpBenchmark.avro(event), Timestamp.from(at), now));
        }
        Dataset<Row> landing = spark.createDataFrame(rows, VersionedPartitionsTest.LANDING);
        new VersionedPartitions(spark, lake, type).write(EventDecoding.decode(landing,
                Map.of(schemaId, DumpBenchmark.SCHEMA.toString())), hourList, "t0");
        return new ArrayList<>(subjectHours);
    }

    /** One run of the access job for one request of the subject, on the hours the index would name. */
    static AccessBatch.Result access(SparkSession spark, SchemaRegistryClient registry, Path work, String type,
            List<String> hours, String run) throws Exception {
        Path exports = work.resolve("lake/exports");
        Files.createDirectories(exports.resolve("_batches"));
        EntityRef subject = new EntityRef("user/id", SUBJECT);
        AccessBatch batch = new AccessBatch(run, List.of(new AccessBatch.Request("req-" + run, subject, null,
                Instant.now().toString(), List.of(subject), Map.of(type, hours), List.of())), Map.of());
        Files.write(exports.resolve(AccessBatch.batchKey(run)), batch.toJson());
        AccessJobArguments arguments = new AccessJobArguments(work.resolve("lake/tier0").toUri().toString(),
                exports.toUri().toString(), "unused", run, null);
        return new AccessJob(spark, arguments, registry).run();
    }
}
