package dev.sluice.lake;

import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.core.jobs.ReservoirJobArguments;
import dev.sluice.core.jobs.ReservoirTask;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.Grant;
import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.core.policy.Selector;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Publishing a reservoir from tier zero against a plain Spark job that reads the same tier-zero partitions and writes
 * them unchanged with the same partitioning, and the cost of a policy change on a 30-day reservoir. Not a test: run
 * by {@code benchmarks/run-reservoir.sh [events] [hours]}; results in benchmarks/README.md.
 *
 * <p>Tier zero is written first (not timed) with the dump's own partition writer, from the {@code checkout_completed}
 * events of {@link DumpBenchmark}. The reservoir's policy: user ids hashed (a DPO grant), the event id hashed (the
 * internal rule), the rest shown; so every row has two HMACs computed. Both jobs run in this JVM on one local[2]
 * session, alternately, three rounds, after a warm-up of both.
 */
public final class ReservoirBenchmark {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int hourCount = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        Path work = Path.of("benchmarks", "target", "reservoir").toAbsolutePath();
        DumpBenchmark.deleteRecursively(work.resolve("lake"));
        String type = "checkout_completed";
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant first = today.minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Instant> hours = new ArrayList<>();
        for (int h = 0; h < hourCount; h++) {
            hours.add(first.plus(Duration.ofHours(h)));
        }
        try (LocalInfra infra = LocalInfra.builder().directory(work.resolve("infra")).build().start(Server.SCHEMA_REGISTRY)) {
            SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                    .userInfo(infra.schemaRegistryUserInfo()).build();
            int schemaId = registry.register(Topics.eventSubject(type), DumpBenchmark.SCHEMA);
            SparkSession spark = SparkSession.builder().master("local[2]").appName("reservoir-benchmark")
                    .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS").getOrCreate();
            String tierZero = work.resolve("lake/tier0").toUri().toString();
            long start = System.nanoTime();
            tierZero(spark, tierZero, type, schemaId, hours, events);
            System.out.printf("tier zero: %,d events in %d hours written in %.1f s%n", events, hourCount,
                    DumpBenchmark.seconds(start));

            byte[] master = new byte[32];
            new SecureRandom().nextBytes(master);
            ReservoirPolicy policy = new ReservoirPolicy("bench", 1, "team", 30, 1, List.of(), List.of(),
                    List.of(new Grant("g-1", "bench", new Selector.Field(type, "user_id"), Action.HASH, "benchmark", null,
                            "analyst", "dpo")), Instant.now(), null);
            VersionedPartitions source = new VersionedPartitions(spark, tierZero, type);
            List<String> versions = hours.stream().map(hour -> source.current(hour).orElseThrow()).toList();
            Map<Instant, PartitionNotice.Reason> reasons = new LinkedHashMap<>();
            hours.forEach(hour -> reasons.put(hour, PartitionNotice.Reason.NEW));

            // warm-up: both jobs once
            publish(spark, registry, master, work, "warm", policy, type, reasons);
            DumpBenchmark.plain(spark.read().option("mergeSchema", "true").parquet(versions.toArray(String[]::new)),
                    work.resolve("lake/warm-plain").toUri().toString());

            List<String> lines = new ArrayList<>();
            for (int round = 1; round <= 3; round++) {
                start = System.nanoTime();
                DumpBenchmark.plain(spark.read().option("mergeSchema", "true").parquet(versions.toArray(String[]::new)),
                        work.resolve("lake/plain" + round).toUri().toString());
                double plainSeconds = DumpBenchmark.seconds(start);
                start = System.nanoTime();
                int partitions = publish(spark, registry, master, work, "run" + round, policy, type, reasons);
                double publishSeconds = DumpBenchmark.seconds(start);
                lines.add(String.format("round %d: plain Spark %,.0f events/s (%.1f s); reservoir job %,.0f events/s "
                        + "(%.1f s, %d partitions); ratio %.2f", round, events / plainSeconds, plainSeconds,
                        events / publishSeconds, publishSeconds, partitions, plainSeconds / publishSeconds));
                System.out.println(lines.get(lines.size() - 1));
            }

            // where the reservoir job's time goes: the hashed columns forced through an aggregate (Spark's noop sink
            // would let it skip them), best of three
            Dataset<Row> read = spark.read().option("mergeSchema", "true").parquet(versions.toArray(String[]::new));
            ReservoirColumns anonymized = new ReservoirColumns(dev.sluice.core.policy.EffectiveColumns.of(registry, type,
                    policy, Instant.now()), new ReservoirPublishJob(spark, null, new ReservoirKeys(master), registry)
                    .hashFunction(policy));
            ReservoirColumns identity = new ReservoirColumns(dev.sluice.core.policy.EffectiveColumns.of(registry, type,
                    policy, Instant.now()), org.apache.spark.sql.functions.udf(
                            (org.apache.spark.sql.api.java.UDF1<String, String>) value -> value,
                            org.apache.spark.sql.types.DataTypes.StringType));
            lines.add(String.format("stages (best of 3): read %.2f s; read + columns with an identity UDF %.2f s; read + "
                    + "columns with the HMAC UDF %.2f s", best(() -> force(read)), best(() -> force(identity.apply(read))),
                    best(() -> force(anonymized.apply(read)))));
            System.out.println(lines.get(lines.size() - 1));

            // a policy change on a 30-day reservoir: every hour of 30 days recomputed, as the datapump asks for it
            String month = "checkout_month";
            int monthSchema = registry.register(Topics.eventSubject(month), DumpBenchmark.SCHEMA);
            List<Instant> monthHours = new ArrayList<>();
            Instant monthStart = today.minusDays(29).atStartOfDay().toInstant(ZoneOffset.UTC);
            for (int h = 0; h < 30 * 24; h++) {
                monthHours.add(monthStart.plus(Duration.ofHours(h)));
            }
            int monthEvents = events;
            tierZero(spark, tierZero, month, monthSchema, monthHours, monthEvents);
            Map<Instant, PartitionNotice.Reason> monthReasons = new LinkedHashMap<>();
            new VersionedPartitions(spark, tierZero, month).hours(today.minusDays(29), today)
                    .forEach(hour -> monthReasons.put(hour, PartitionNotice.Reason.POLICY_CHANGE));
            VersionedPartitions monthSource = new VersionedPartitions(spark, tierZero, month);
            String[] monthVersions = monthReasons.keySet().stream().map(hour -> monthSource.current(hour).orElseThrow())
                    .toArray(String[]::new);
            start = System.nanoTime();
            DumpBenchmark.plain(spark.read().option("mergeSchema", "true").parquet(monthVersions),
                    work.resolve("lake/plain-month").toUri().toString());
            double plainMonth = DumpBenchmark.seconds(start);
            start = System.nanoTime();
            int monthPartitions = publish(spark, registry, master, work, "month", policy, month, monthReasons);
            double monthSeconds = DumpBenchmark.seconds(start);
            lines.add(String.format("policy change on a 30-day reservoir: %d partitions (%,d events) recomputed in %.1f s "
                    + "(%,.0f events/s); the plain copy of the same partitions %.1f s; ratio %.2f", monthPartitions,
                    monthEvents, monthSeconds, monthEvents / monthSeconds, plainMonth, plainMonth / monthSeconds));
            System.out.println(lines.get(lines.size() - 1));
            spark.stop();

            System.out.printf("%n%d cores, %s %s, %,d events over %d hours, Spark local[2]:%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), events, hourCount);
            lines.forEach(System.out::println);
        }
    }

    /** Every value of the two hashed columns computed: their maximum. */
    static void force(Dataset<Row> rows) {
        rows.agg(org.apache.spark.sql.functions.max("user_id"), org.apache.spark.sql.functions.max("_sluice_event_id"))
                .collectAsList();
    }

    static double best(Runnable stage) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            stage.run();
            best = Math.min(best, DumpBenchmark.seconds(start));
        }
        return best;
    }

    /** The reservoir job's publication of the hours; the partitions it wrote. */
    static int publish(SparkSession spark, SchemaRegistryClient registry, byte[] master, Path work, String run,
            ReservoirPolicy policy, String type, Map<Instant, PartitionNotice.Reason> reasons) {
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        ReservoirJobArguments arguments = new ReservoirJobArguments(List.of(ReservoirTask.days(policy.reservoir(), type,
                day, day, PartitionNotice.Reason.NEW)), work.resolve("lake/tier0").toUri().toString(),
                work.resolve("lake/tier1-" + run).toUri().toString(), "unused", "unused", null, null, run, null);
        return new ReservoirPublishJob(spark, arguments, new ReservoirKeys(master), registry).publish(policy, type, reasons)
                .size();
    }

    /** The events of the hours in tier zero, as the dump writes them (Avro decoded by Spark, versions, pointers). */
    static void tierZero(SparkSession spark, String lake, String type, int schemaId, List<Instant> hours, int events)
            throws Exception {
        List<Row> rows = new ArrayList<>(events);
        Timestamp now = Timestamp.from(Instant.now());
        for (int i = 0; i < events; i++) {
            Instant at = DumpBenchmark.at(i, hours.get(i % hours.size()));
            rows.add(RowFactory.create("e-" + i, schemaId, DumpBenchmark.avro(DumpBenchmark.event(i, at)), Timestamp.from(at),
                    now));
        }
        Dataset<Row> landing = spark.createDataFrame(rows, VersionedPartitionsTest.LANDING);
        VersionedPartitions partitions = new VersionedPartitions(spark, lake, type);
        partitions.write(EventDecoding.decode(landing, Map.of(schemaId, DumpBenchmark.SCHEMA.toString())), hours, "t0");
    }
}
