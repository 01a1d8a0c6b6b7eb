package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dump job, in its own JVM as it runs locally, killed with SIGKILL while it writes a new version of an hour: the
 * previous version stays current and intact; the next run completes the rewrite.
 */
@LocalInfraTest({Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class KilledRewriteIT {

    static final Instant HOUR = Instant.parse("2026-11-21T08:00:00Z");

    @Test
    void aRunKilledMidWriteLeavesThePreviousVersionCurrentAndTheNextRunCompletes(LocalInfra infra, @TempDir Path lake)
            throws Exception {
        String keyspace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String type = "page_viewed_" + keyspace;
        int v1 = SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo()).build()
                .register("events.valid." + type + "-value", EventDecodingTest.V1);
        try (CqlSession cql = TierZeroDumpIT.session(infra)) {
            CqlMigrations.ensureKeyspace(cql, keyspace, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            new CqlMigrations("landing", "cql/landing", getClass().getClassLoader()).apply(cql, keyspace);
            land(cql, keyspace, type, v1, 0, 1000);
            assertThat(run(infra, lake, keyspace, type, "run1").waitFor()).isZero();
            land(cql, keyspace, type, v1, 1000, 200_000); // a big rewrite, to be killed in the middle
        }
        Path partition = Path.of(java.net.URI.create(lake.toUri() + "events/" + type + "/date=2026-11-21/hour=08"));
        assertThat(Files.readString(partition.resolve("_current"))).isEqualTo("v=run1");

        Process killed = run(infra, lake, keyspace, type, "run2");
        Path staging = Path.of(java.net.URI.create(lake.toUri() + "events/" + type + "/_temporary"));
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(staging) || !killed.isAlive());
        assertThat(killed.isAlive()).as("the run is writing when it is killed").isTrue();
        killed.destroyForcibly().waitFor();

        assertThat(Files.readString(partition.resolve("_current"))).isEqualTo("v=run1");
        SparkSession spark = VersionedPartitionsTest.spark;
        assertThat(spark.read().parquet(partition.resolve("v=run1").toUri().toString()).count()).isEqualTo(1000);

        assertThat(run(infra, lake, keyspace, type, "run3").waitFor()).isZero();
        assertThat(Files.readString(partition.resolve("_current"))).isEqualTo("v=run3");
        assertThat(spark.read().parquet(partition.resolve("v=run3").toUri().toString()).count()).isEqualTo(200_000);
        // the killed run's partial version is deleted; the version before the new one stays
        assertThat(partition.resolve("v=run2")).doesNotExist();
        assertThat(partition.resolve("v=run1")).isDirectory();
    }

    @org.junit.jupiter.api.BeforeAll
    static void start() {
        VersionedPartitionsTest.start();
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        VersionedPartitionsTest.stop();
    }

    static void land(CqlSession cql, String keyspace, String type, int schemaId, int from, int to) throws Exception {
        PreparedStatement insert = cql.prepare("INSERT INTO " + keyspace + ".landing (event_type, hour, event_id, "
                + "schema_id, payload, event_time, landing_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
        List<java.util.concurrent.CompletionStage<?>> pending = new ArrayList<>();
        var batch = BatchStatement.builder(BatchType.UNLOGGED);
        for (int i = from; i < to; i++) {
            GenericRecord event = new GenericData.Record(EventDecodingTest.V1);
            event.put("id", "e-" + i);
            event.put("user_id", "u-" + i);
            long time = HOUR.toEpochMilli() + (i % 3600) * 1000L;
            event.put("viewed_at", time);
            batch.addStatement(insert.bind(type, HOUR, "e-" + i, schemaId,
                    ByteBuffer.wrap(EventDecodingTest.avro(EventDecodingTest.V1, event)), Instant.ofEpochMilli(time), Instant.now()));
            if (batch.getStatementsCount() == 100 || i == to - 1) {
                pending.add(cql.executeAsync(batch.build()));
                batch = BatchStatement.builder(BatchType.UNLOGGED);
                if (pending.size() == 32) {
                    for (var p : pending) {
                        p.toCompletableFuture().get();
                    }
                    pending.clear();
                }
            }
        }
        for (var p : pending) {
            p.toCompletableFuture().get();
        }
    }

    static Process run(LocalInfra infra, Path lake, String keyspace, String type, String run) throws Exception {
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        List<String> command = LocalJob.command(Path.of(System.getProperty("java.home")), classpath, "1g",
                TierZeroDumpJob.class.getName(), 2, List.of("--hours", type + "/2026-11-21/08", "--lake",
                        lake.toUri().toString(), "--cassandra", infra.cassandraContactPoint(), "--keyspace", keyspace,
                        "--registry", infra.schemaRegistryUrl(), "--run", run));
        Path log = Path.of("target", "dump-" + keyspace + "-" + run + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }
}
