package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tier-zero partitions on the local filesystem: versions, the pointer, and merging a re-dump with what is there. */
class VersionedPartitionsTest {

    static final Instant HOUR = Instant.parse("2026-11-20T13:00:00Z");
    static final StructType LANDING = new StructType().add("event_id", DataTypes.StringType)
            .add("schema_id", DataTypes.IntegerType).add("payload", DataTypes.BinaryType)
            .add("event_time", DataTypes.TimestampType).add("landing_time", DataTypes.TimestampType);
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").config("spark.sql.session.timeZone", "UTC").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aLateEventAfterTheLandingRowsExpiredKeepsEveryEarlierEvent(@TempDir Path lake) throws Exception {
        VersionedPartitions partitions = new VersionedPartitions(spark, lake.toUri().toString(), "page_viewed");

        // landing's key makes its rows unique per hour and event id
        Dataset<Row> first = landing(Instant.parse("2026-11-26T10:00:00Z"), "e-1", "e-2");
        List<VersionedPartitions.Written> written = partitions.write(partitions.merge(decode(first), List.of(HOUR)),
                List.of(HOUR), "run1");
        assertThat(written).extracting(VersionedPartitions.Written::directory, VersionedPartitions.Written::replaced)
                .containsExactly(org.assertj.core.api.Assertions.tuple(partitions.partitionPath(HOUR) + "/v=run1", false));
        assertThat(written.get(0).files()).isNotEmpty().allMatch(f -> f.startsWith("events/page_viewed/date=2026-11-20/hour=13/v=run1/"));
        assertThat(ids(partitions)).containsExactly("e-1", "e-2");

        // three days later: e-1 has expired from landing; e-2 was replayed and landed again, and the late e-3 is there
        Dataset<Row> late = landing(Instant.parse("2026-11-29T10:00:00Z"), "e-3", "e-2");
        VersionedPartitions.Written again = partitions.write(partitions.merge(decode(late), List.of(HOUR)), List.of(HOUR),
                "run2").get(0);
        assertThat(again.replaced()).isTrue();
        assertThat(again.rows()).isEqualTo(3);

        assertThat(ids(partitions)).containsExactly("e-1", "e-2", "e-3");
        assertThat(partitions.current(HOUR)).contains(partitions.partitionPath(HOUR) + "/v=run2");
        // the previous version is still there, intact, for readers that followed the old pointer
        assertThat(spark.read().parquet(partitions.partitionPath(HOUR) + "/v=run1").count()).isEqualTo(2);
        assertThat(Files.readString(Path.of(java.net.URI.create(partitions.partitionPath(HOUR) + "/_current")))).isEqualTo("v=run2");

        // a third version: the one before it stays for readers that followed the pointer just before; older ones go
        partitions.write(partitions.merge(decode(landing(Instant.parse("2026-11-30T10:00:00Z"), "e-4")), List.of(HOUR)),
                List.of(HOUR), "run3");
        assertThat(ids(partitions)).containsExactly("e-1", "e-2", "e-3", "e-4");
        try (var versions = Files.list(Path.of(java.net.URI.create(partitions.partitionPath(HOUR))))) {
            assertThat(versions.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("v=")))
                    .containsExactlyInAnyOrder("v=run2", "v=run3");
        }
    }

    @Test
    void theSameIdInTwoHoursIsTwoEventsAndEachVersionListsItsColumnsForTheCatalog(@TempDir Path lake) throws Exception {
        VersionedPartitions partitions = new VersionedPartitions(spark, lake.toUri().toString(), "page_viewed");
        Instant next = HOUR.plusSeconds(3600);
        Dataset<Row> both = landing(HOUR, Instant.parse("2026-11-26T10:00:00Z"), "e-1", "e-2")
                .unionByName(landing(next, Instant.parse("2026-11-26T10:00:01Z"), "e-1"));

        partitions.write(partitions.merge(decode(both), List.of(HOUR, next)), List.of(HOUR, next), "run1");

        assertThat(spark.read().parquet(partitions.current(HOUR).orElseThrow()).count()).isEqualTo(2);
        assertThat(spark.read().parquet(partitions.current(next).orElseThrow()).count()).isEqualTo(1);
        String columns = Files.readString(Path.of(java.net.URI.create(partitions.current(next).orElseThrow() + "/"
                + VersionedPartitions.COLUMNS)));
        assertThat(columns).startsWith("{\"format\":\"parquet\",\"columns\":[{\"name\":\"id\",\"type\":\"string\"}")
                .contains("{\"name\":\"viewed_at\",\"type\":\"timestamp\"}")
                .contains("{\"name\":\"_sluice_event_id\",\"type\":\"string\"}");
    }

    static List<String> ids(VersionedPartitions partitions) {
        return spark.read().parquet(partitions.current(HOUR).orElseThrow()).orderBy("id").collectAsList().stream()
                .map(row -> row.<String>getAs("id")).toList();
    }

    static Dataset<Row> decode(Dataset<Row> landing) {
        return EventDecoding.decode(landing, Map.of(1, EventDecodingTest.V1.toString()));
    }

    static Dataset<Row> landing(Instant landingTime, String... ids) throws Exception {
        return landing(HOUR, landingTime, ids);
    }

    static Dataset<Row> landing(Instant hour, Instant landingTime, String... ids) throws Exception {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            GenericRecord event = new GenericData.Record(EventDecodingTest.V1);
            event.put("id", ids[i]);
            event.put("user_id", "u-" + i);
            long time = hour.toEpochMilli() + 60_000L * i;
            event.put("viewed_at", time);
            rows.add(RowFactory.create(ids[i], 1, EventDecodingTest.avro(EventDecodingTest.V1, event), new Timestamp(time),
                    Timestamp.from(landingTime)));
        }
        return spark.createDataFrame(rows, LANDING);
    }
}
