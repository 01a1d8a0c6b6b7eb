package dev.sluice.lake;

import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.core.jobs.ErasureBatch;
import dev.sluice.core.jobs.ErasureJobArguments;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.SparkSession;

/**
 * The cost of one erasure follows the subject's partitions, not the lake: the erasure job's rewrite for one fixed
 * subject on a generated tier zero, then on one ten times larger (as {@link AccessBenchmark}: ten times the events,
 * hours and users, the subject's ten events in three partitions either way). Each round starts from the same lake
 * (the subject's partitions copied back) and rewrites them with the legal-hold copy, landing read and the notices
 * published, as the job does for the privacy-requests service.
 *
 * <p>Usage: {@code benchmarks/lake-benchmark.sh ErasureBenchmark [events 100000] [hours 48] [users 10000]}; three
 * rounds each after a warm-up; the median is reported.
 */
public final class ErasureBenchmark {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Path work = Path.of("benchmarks", "target", "erasure").toAbsolutePath();
        DumpBenchmark.deleteRecursively(work.resolve("lake"));
        try (LocalInfra infra = LocalInfra.builder().directory(work.resolve("infra")).build()
                .start(Server.SCHEMA_REGISTRY, Server.CASSANDRA, Server.KAFKA)) {
            SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                    .userInfo(infra.schemaRegistryUserInfo()).build();
            String[] hostPort = infra.cassandraContactPoint().split(":");
            try (var cql = com.datastax.oss.driver.api.core.CqlSession.builder().addContactPoint(new InetSocketAddress(
                    hostPort[0], Integer.parseInt(hostPort[1]))).withLocalDatacenter(infra.cassandraLocalDatacenter())
                    .build()) {
                CqlMigrations.ensureKeyspace(cql, "bench", "{'class': 'SimpleStrategy', 'replication_factor': 1}");
                new CqlMigrations("landing", "cql/landing", ErasureBenchmark.class.getClassLoader()).apply(cql, "bench");
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("bench.partitions", 1, (short) 1))).all().get();
            }
            SparkSession spark = SparkSession.builder().master("local[2]").appName("erasure-benchmark")
                    .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS").getOrCreate();
            List<String> lines = new ArrayList<>();
            for (int scale : new int[] {1, 10}) {
                String type = "checkout_e" + scale;
                int schemaId = registry.register(Topics.eventSubject(type), DumpBenchmark.SCHEMA);
                Path lake = work.resolve("lake/x" + scale);
                long start = System.nanoTime();
                List<String> subjectHours = AccessBenchmark.tierZero(spark, lake.resolve("tier0").toUri().toString(),
                        type, schemaId, events * scale, hours * scale, users * scale);
                double written = DumpBenchmark.seconds(start);
                Path pristine = work.resolve("lake/pristine-x" + scale);
                copy(lake.resolve("tier0"), pristine, type, subjectHours);
                List<Double> times = new ArrayList<>();
                ErasureBatch.RequestResult result = null;
                for (int round = 0; round <= 3; round++) { // round 0 warms up
                    copy(pristine, lake.resolve("tier0"), type, subjectHours);
                    DumpBenchmark.deleteRecursively(lake.resolve("hold"));
                    String run = "2026112" + scale % 10 + "T00000" + round + "000Z";
                    start = System.nanoTime();
                    result = erase(spark, registry, infra, lake, type, subjectHours, run);
                    if (round > 0) {
                        times.add(DumpBenchmark.seconds(start));
                    }
                }
                times.sort(null);
                lines.add(String.format("lake x%d: %,d events, %d partitions, %,d users (written in %.0f s); the subject's "
                        + "%d events in %d partitions: erasure rewrite %.2f s (median of 3: %s), %d partitions "
                        + "rewritten, %,d bytes rewritten, %d rows to the legal hold", scale, events * scale,
                        hours * scale, users * scale, written, result.rowsRemoved(), subjectHours.size(), times.get(1),
                        times, result.rewritten().size(), result.bytesRewritten(), result.legalHoldRows()));
                System.out.println(lines.get(lines.size() - 1));
            }
            spark.stop();
            LandingReader.closeSessions();
            System.out.printf("%n%d cores, %s %s, Spark local[2]:%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"));
            lines.forEach(System.out::println);
        }
    }

    /** The subject's partitions (their whole directories) from one tier zero to another. */
    static void copy(Path from, Path to, String type, List<String> hours) throws Exception {
        for (String hour : hours) {
            String[] dateHour = hour.split("/");
            Path relative = Path.of("events", type, "date=" + dateHour[0], "hour=" + dateHour[1]);
            DumpBenchmark.deleteRecursively(to.resolve(relative));
            try (Stream<Path> files = Files.walk(from.resolve(relative))) {
                for (Path file : files.toList()) {
                    Path target = to.resolve(relative).resolve(from.resolve(relative).relativize(file));
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
        }
    }

    /** One rewrite of the erasure job for the subject, on the hours the index would name. */
    static ErasureBatch.RequestResult erase(SparkSession spark, SchemaRegistryClient registry, LocalInfra infra,
            Path lake, String type, List<String> hours, String run) throws Exception {
        Path exports = lake.resolve("exports");
        Files.createDirectories(exports.resolve("_batches"));
        ErasureBatch batch = new ErasureBatch(run, ErasureBatch.Mode.REWRITE, List.of(new ErasureBatch.Request("req",
                new EntityRef("user/id", AccessBenchmark.SUBJECT), Map.of(type, hours), List.of())));
        Files.write(exports.resolve(ErasureBatch.batchKey(run)), batch.toJson());
        ErasureJobArguments arguments = new ErasureJobArguments(lake.resolve("tier0").toUri().toString(),
                lake.resolve("tier1").toUri().toString(), exports.toUri().toString(), lake.resolve("hold").toUri()
                .toString(), infra.schemaRegistryUrl(), infra.cassandraContactPoint(), infra.cassandraLocalDatacenter(),
                "bench", infra.kafkaBootstrapServers(), "bench.partitions", null, run, null);
        return new ErasureJob(spark, arguments, registry).run().requests().get("req");
    }
}
