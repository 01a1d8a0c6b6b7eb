package dev.sluice.lake;

import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.hashing.KeyedHash;
import dev.sluice.core.policy.Action;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A reservoir's columns from a tier-zero partition: SHOW, HASH and DROP on top-level, nested, array and map columns,
 * with the hashes computed here with the JDK's HMAC over the documented canonical text.
 */
class ReservoirColumnsTest {

    static final byte[] KEY = "a reservoir key of thirty-two b!".getBytes(StandardCharsets.UTF_8);
    static final StructType CLIENT = new StructType().add("os", DataTypes.StringType).add("ip_address", DataTypes.StringType);
    static final StructType ATTACHMENT = new StructType().add("kind", DataTypes.StringType).add("owner", DataTypes.StringType);
    static final StructType DEVICE = new StructType().add("model", DataTypes.StringType).add("serial", DataTypes.StringType);
    static final StructType PARTITION = new StructType()
            .add("_sluice_event_id", DataTypes.StringType)
            .add("_sluice_event_time", DataTypes.TimestampType)
            .add("user_id", DataTypes.StringType)
            .add("email", DataTypes.StringType)
            .add("page", DataTypes.StringType)
            .add("client", CLIENT)
            .add("tags", DataTypes.createArrayType(DataTypes.StringType))
            .add("attachments", DataTypes.createArrayType(ATTACHMENT))
            .add("props", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
            .add("devices", DataTypes.createMapType(DataTypes.StringType, DEVICE))
            .add("amount", DataTypes.createDecimalType(10, 2))
            .add("visits", DataTypes.LongType)
            .add("birthday", DataTypes.DateType)
            .add("seen", DataTypes.TimestampType)
            .add("not_in_the_policy", DataTypes.StringType)
            .add("secret", new StructType().add("a", DataTypes.StringType));
    static final Map<String, Action> ACTIONS = Map.ofEntries(
            Map.entry("_sluice_event_id", Action.HASH), Map.entry("_sluice_event_time", Action.SHOW),
            Map.entry("user_id", Action.HASH), Map.entry("email", Action.DROP), Map.entry("page", Action.SHOW),
            Map.entry("client", Action.SHOW), Map.entry("client.os", Action.SHOW), Map.entry("client.ip_address", Action.HASH),
            Map.entry("tags", Action.HASH),
            Map.entry("attachments", Action.SHOW), Map.entry("attachments.kind", Action.SHOW),
            Map.entry("attachments.owner", Action.DROP),
            Map.entry("props", Action.HASH),
            Map.entry("devices", Action.SHOW), Map.entry("devices.model", Action.SHOW), Map.entry("devices.serial", Action.DROP),
            Map.entry("amount", Action.HASH), Map.entry("visits", Action.HASH), Map.entry("birthday", Action.HASH),
            Map.entry("seen", Action.HASH), Map.entry("secret", Action.SHOW), Map.entry("secret.a", Action.DROP));

    @BeforeAll
    static void start() {
        VersionedPartitionsTest.start();
    }

    @AfterAll
    static void stop() {
        VersionedPartitionsTest.stop();
    }

    @Test
    void everyColumnIsShownHashedOrDroppedAsThePolicySays() {
        Timestamp eventTime = Timestamp.from(Instant.parse("2026-11-20T13:05:00Z"));
        Row full = RowFactory.create("e-1", eventTime, "u-42", "ada@example.com", "/pricing",
                RowFactory.create("ios", "10.0.0.7"), List.of("a", "b"),
                List.of(RowFactory.create("pdf", "u-7"), RowFactory.create("png", "u-8")),
                Map.of("utm", "mail"), Map.of("phone", RowFactory.create("pixel", "SN-1")),
                new BigDecimal("19.90"), 42L, Date.valueOf("1990-01-02"),
                Timestamp.from(Instant.parse("2026-11-20T13:05:00.123456Z")), "?", RowFactory.create("s"));
        Row empty = RowFactory.create("e-2", eventTime, null, null, "/", null, null, null, null, null, null, null, null,
                null, null, null);
        Dataset<Row> partition = VersionedPartitionsTest.spark.createDataFrame(List.of(full, empty), PARTITION);

        ReservoirColumns columns = new ReservoirColumns(ACTIONS, udf((UDF1<String, String>) value -> value == null ? null
                : new KeyedHash(KEY).hash(value), DataTypes.StringType));
        Dataset<Row> reservoir = columns.apply(partition);

        assertThat(reservoir.columns()).containsExactly("_sluice_event_id", "_sluice_event_time", "user_id", "page", "client",
                "tags", "attachments", "props", "devices", "amount", "visits", "birthday", "seen");
        assertThat(reservoir.schema().apply("client").dataType().catalogString()).isEqualTo("struct<os:string,ip_address:string>");
        assertThat(reservoir.schema().apply("attachments").dataType().catalogString()).isEqualTo("array<struct<kind:string>>");
        assertThat(reservoir.schema().apply("devices").dataType().catalogString()).isEqualTo("map<string,struct<model:string>>");

        List<Row> rows = reservoir.orderBy("_sluice_event_id").collectAsList();
        Row row = rows.get(0);
        assertThat(row.<String>getAs("_sluice_event_id")).isEqualTo(hmac("e-1"));
        assertThat(row.<Timestamp>getAs("_sluice_event_time")).isEqualTo(eventTime);
        assertThat(row.<String>getAs("user_id")).isEqualTo(hmac("u-42"));
        assertThat(row.<String>getAs("page")).isEqualTo("/pricing");
        Row client = row.getAs("client");
        assertThat(client.getString(0)).isEqualTo("ios");
        assertThat(client.getString(1)).isEqualTo(hmac("10.0.0.7"));
        assertThat(row.<String>getList(row.fieldIndex("tags"))).containsExactly(hmac("a"), hmac("b"));
        assertThat(row.getList(row.fieldIndex("attachments"))).extracting(item -> ((Row) item).getString(0))
                .containsExactly("pdf", "png");
        assertThat(row.getJavaMap(row.fieldIndex("props"))).containsExactly(Map.entry(hmac("utm"), hmac("mail")));
        Map<String, Row> devices = row.getJavaMap(row.fieldIndex("devices"));
        assertThat(devices).containsOnlyKeys("phone");
        assertThat(devices.get("phone").size()).isEqualTo(1);
        assertThat(devices.get("phone").getString(0)).isEqualTo("pixel");
        // the canonical texts: Spark's text of numbers, ISO dates, UTC timestamps with microseconds
        assertThat(row.<String>getAs("amount")).isEqualTo(hmac("19.90"));
        assertThat(row.<String>getAs("visits")).isEqualTo(hmac("42"));
        assertThat(row.<String>getAs("birthday")).isEqualTo(hmac("1990-01-02"));
        assertThat(row.<String>getAs("seen")).isEqualTo(hmac("2026-11-20T13:05:00.123456Z"));

        // null stays null: values, records, lists and maps
        Row nulls = rows.get(1);
        for (String column : List.of("user_id", "client", "tags", "attachments", "props", "devices", "amount", "birthday", "seen")) {
            assertThat(nulls.isNullAt(nulls.fieldIndex(column))).as(column).isTrue();
        }
    }

    /** HMAC-SHA-256 of the text with the key, as an analyst computes it. */
    static String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
