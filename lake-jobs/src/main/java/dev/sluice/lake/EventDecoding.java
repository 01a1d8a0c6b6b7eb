package dev.sluice.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.avro.functions;

/**
 * Landing rows (one Avro payload each, with its writer schema id) turned into rows whose columns follow the Avro
 * schemas: each writer version decoded with Spark's {@code from_avro} and its own schema, the versions then united by
 * column name, a column missing from a version being null there (schema evolution: the union of the fields).
 */
final class EventDecoding {

    private EventDecoding() {
    }

    /**
     * @param landing columns {@code event_id, schema_id, payload, event_time, landing_time}
     * @param writerSchemas the JSON of every schema id present
     */
    static Dataset<Row> decode(Dataset<Row> landing, Map<Integer, String> writerSchemas) {
        // a row of an unknown schema id fails the job rather than fall through every version's filter unnoticed
        Column known = col("schema_id").isin(writerSchemas.keySet().toArray());
        landing = landing.withColumn("schema_id", when(known, col("schema_id")).otherwise(raise_error(concat(
                lit("event "), col("event_id"), lit(" has schema id "), col("schema_id"),
                lit(", which is not a version of its type's subject")))));
        Dataset<Row> decoded = null;
        for (Map.Entry<Integer, String> schema : writerSchemas.entrySet()) {
            Dataset<Row> version = landing.filter(col("schema_id").equalTo(schema.getKey()))
                    .select(functions.from_avro(col("payload"), schema.getValue()).as("event"),
                            col("event_id").as(LandingColumns.EVENT_ID), col("schema_id").as(LandingColumns.SCHEMA_ID),
                            col("event_time").as(LandingColumns.EVENT_TIME),
                            col("landing_time").as(LandingColumns.LANDING_TIME))
                    .select(new Column[] {col("event.*"), col(LandingColumns.EVENT_ID), col(LandingColumns.SCHEMA_ID),
                            col(LandingColumns.EVENT_TIME), col(LandingColumns.LANDING_TIME)});
            decoded = decoded == null ? version : decoded.unionByName(version, true);
        }
        if (decoded == null) {
            throw new IllegalArgumentException("no writer schema given");
        }
        return decoded;
    }
}
