package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dump from real Cassandra landing rows and the real registry to Parquet on the local filesystem. */
@LocalInfraTest({Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class TierZeroDumpIT {

    static final Instant H1 = Instant.parse("2026-11-20T13:00:00Z");
    static final Instant H2 = Instant.parse("2026-11-20T14:00:00Z");
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("it").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").config("spark.sql.session.timeZone", "UTC").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void hoursOfTwoSchemaVersionsHoldExactlyTheUniqueEventsAndParquetAvroReadsWhatSparkReads(LocalInfra infra,
            @TempDir Path lake) throws Exception {
        String keyspace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String type = "page_viewed_" + keyspace;
        SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build();
        int v1 = registry.register("events.valid." + type + "-value", EventDecodingTest.V1);
        int v2 = registry.register("events.valid." + type + "-value", EventDecodingTest.V2);
        try (CqlSession cql = session(infra)) {
            CqlMigrations.ensureKeyspace(cql, keyspace, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            new CqlMigrations("landing", "cql/landing", getClass().getClassLoader()).apply(cql, keyspace);
            PreparedStatement insert = cql.prepare("INSERT INTO " + keyspace + ".landing (event_type, hour, event_id, "
                    + "schema_id, payload, event_time, landing_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
            for (int i = 0; i < 100; i++) {
                Instant hour = i % 2 == 0 ? H1 : H2;
                boolean newer = i % 3 == 0;
                GenericRecord event = new GenericData.Record(newer ? EventDecodingTest.V2 : EventDecodingTest.V1);
                event.put("id", "e-" + i);
                event.put("user_id", "u-" + i);
                event.put("viewed_at", hour.toEpochMilli() + i * 1000L);
                byte[] payload = EventDecodingTest.avro(newer ? EventDecodingTest.V2 : EventDecodingTest.V1, event);
                cql.execute(insert.bind(type, hour, "e-" + i, newer ? v2 : v1, ByteBuffer.wrap(payload),
                        Instant.ofEpochMilli(hour.toEpochMilli() + i * 1000L), Instant.now()));
            }
        }

        LandingReader reader = new LandingReader(infra.cassandraContactPoint(), infra.cassandraLocalDatacenter(), keyspace);
        List<PartitionNotice> notices = TierZeroDumpJob.dump(spark, reader, registry, lake.toUri().toString(), type,
                List.of(H1, H2), "run1");

        assertThat(notices).extracting(PartitionNotice::key, PartitionNotice::rows, PartitionNotice::reason).containsExactly(
                tuple("zero/" + type + "/2026-11-20/13", 50L, PartitionNotice.Reason.NEW),
                tuple("zero/" + type + "/2026-11-20/14", 50L, PartitionNotice.Reason.NEW));
        for (PartitionNotice notice : notices) {
            assertThat(notice.objects()).isNotEmpty()
                    .allSatisfy(key -> assertThat(lake.resolve(key)).exists().hasFileName(Path.of(key).getFileName().toString()));
        }
        VersionedPartitions partitions = new VersionedPartitions(spark, lake.toUri().toString(), type);
        Set<String> ids = new HashSet<>();
        for (Instant hour : List.of(H1, H2)) {
            String version = partitions.current(hour).orElseThrow();
            List<Row> sparkRows = spark.read().parquet(version).orderBy("id").collectAsList();
            List<GenericRecord> avroRows = readWithParquetAvro(Path.of(java.net.URI.create(version)));
            assertThat(avroRows).hasSize(sparkRows.size());
            for (int i = 0; i < sparkRows.size(); i++) {
                assertThat(avroRows.get(i).get("id").toString()).isEqualTo(sparkRows.get(i).<String>getAs("id"));
                assertThat(avroRows.get(i).get("user_id").toString()).isEqualTo(sparkRows.get(i).<String>getAs("user_id"));
                assertThat(ids.add(sparkRows.get(i).getAs("id"))).isTrue();
            }
        }
        assertThat(ids).hasSize(100);

        // days later the hour's landing rows have expired (deleted here), and one late event lands in it
        try (CqlSession cql = session(infra)) {
            cql.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("DELETE FROM " + keyspace
                    + ".landing WHERE event_type = ? AND hour = ?", type, H1));
            GenericRecord late = new GenericData.Record(EventDecodingTest.V2);
            late.put("id", "late-1");
            late.put("user_id", "u-late");
            late.put("viewed_at", H1.toEpochMilli() + 3_599_000L);
            cql.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("INSERT INTO " + keyspace
                    + ".landing (event_type, hour, event_id, schema_id, payload, event_time, landing_time) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", type, H1, "late-1", v2,
                    ByteBuffer.wrap(EventDecodingTest.avro(EventDecodingTest.V2, late)),
                    Instant.ofEpochMilli(H1.toEpochMilli() + 3_599_000L), Instant.now()));
        }
        List<PartitionNotice> again = TierZeroDumpJob.dump(spark, reader, registry, lake.toUri().toString(), type,
                List.of(H1), "run2");
        assertThat(again).extracting(PartitionNotice::key, PartitionNotice::rows, PartitionNotice::reason)
                .containsExactly(tuple("zero/" + type + "/2026-11-20/13", 51L, PartitionNotice.Reason.LATE_EVENTS));
        List<Row> recomputed = spark.read().parquet(partitions.current(H1).orElseThrow()).collectAsList();
        assertThat(recomputed).hasSize(51);
        assertThat(recomputed.stream().map(r -> r.<String>getAs("id")).distinct().count()).isEqualTo(51);
    }

    static List<GenericRecord> readWithParquetAvro(Path directory) throws Exception {
        List<GenericRecord> records = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        for (Path file : files) {
            try (ParquetReader<GenericRecord> parquet = AvroParquetReader.<GenericRecord>builder(HadoopInputFile
                    .fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration())).build()) {
                for (GenericRecord record = parquet.read(); record != null; record = parquet.read()) {
                    records.add(record);
                }
            }
        }
        records.sort(java.util.Comparator.comparing(r -> r.get("id").toString()));
        return records;
    }

    static CqlSession session(LocalInfra infra) {
        String[] hostPort = infra.cassandraContactPoint().split(":");
        return CqlSession.builder().addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                .withLocalDatacenter(infra.cassandraLocalDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build()).build();
    }
}
