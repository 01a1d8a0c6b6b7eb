package dev.sluice.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventDecodingTest {

    static final Schema V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "PageViewed", "namespace": "com.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "user_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "viewed_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");
    static final Schema V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "PageViewed", "namespace": "com.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "user_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "viewed_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "device", "type": ["null", {"type": "record", "name": "Device", "fields": [
                 {"name": "os", "type": "string"}]}], "default": null}]}""");

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void twoSchemaVersionsInOneHourBecomeOnePartitionWithTheUnionOfTheirFields(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        GenericRecord old = new GenericData.Record(V1);
        old.put("id", "e-1");
        old.put("user_id", "u-1");
        old.put("viewed_at", 1_700_000_000_000L);
        GenericRecord newer = new GenericData.Record(V2);
        newer.put("id", "e-2");
        newer.put("user_id", "u-2");
        newer.put("viewed_at", 1_700_000_001_000L);
        GenericRecord device = new GenericData.Record(V2.getField("device").schema().getTypes().get(1));
        device.put("os", "android");
        newer.put("device", device);
        StructType landingSchema = new StructType().add("event_id", DataTypes.StringType).add("schema_id", DataTypes.IntegerType)
                .add("payload", DataTypes.BinaryType).add("event_time", DataTypes.TimestampType)
                .add("landing_time", DataTypes.TimestampType);
        Timestamp now = new Timestamp(System.currentTimeMillis());
        Dataset<Row> landing = spark.createDataFrame(List.of(
                RowFactory.create("e-1", 1, avro(V1, old), new Timestamp(1_700_000_000_000L), now),
                RowFactory.create("e-2", 2, avro(V2, newer), new Timestamp(1_700_000_001_000L), now)), landingSchema);

        Dataset<Row> decoded = EventDecoding.decode(landing, Map.of(1, V1.toString(), 2, V2.toString()));
        decoded.write().parquet(dir.resolve("hour").toString());
        List<Row> read = spark.read().parquet(dir.resolve("hour").toString()).orderBy("id").collectAsList();

        assertThat(read).hasSize(2);
        assertThat(read.get(0).<String>getAs("user_id")).isEqualTo("u-1");
        assertThat(read.get(0).<Row>getAs("device")).isNull();
        assertThat(read.get(1).<Row>getAs("device").<String>getAs("os")).isEqualTo("android");
        assertThat(read.get(1).<Integer>getAs(LandingColumns.SCHEMA_ID)).isEqualTo(2);
        assertThat(Files.list(dir.resolve("hour")).anyMatch(f -> f.toString().endsWith(".parquet"))).isTrue();
    }

    static byte[] avro(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}
