package dev.sluice.lake;

import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.transform_keys;
import static org.apache.spark.sql.functions.transform_values;
import static org.apache.spark.sql.functions.when;

import dev.sluice.core.policy.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * A reservoir's copy of a tier-zero partition: every column as the policy engine decided it — SHOW keeps it, HASH
 * replaces each value by the reservoir's keyed hash of its canonical text, DROP removes it. Nested records are
 * rebuilt field by field (a column's path is dotted, {@code client.ip_address}); the records in an array or a map
 * are its items' fields ({@code attachments.kind}); an array or map of values takes its field's action, item by item
 * (a hashed map hashes keys and values; a map's keys always take the map field's action). A path the policy does
 * not know is dropped: unknown is not shown. Null stays null; a record is never hashed whole, its fields are.
 *
 * <p>The canonical text of a value, what is hashed (so that an analyst can hash a known id with the reservoir key
 * and join): a string as it is; whole numbers, decimals, floats and booleans as Spark's cast to string writes them
 * ({@code 42}, {@code 19.90}, {@code 1.5}, {@code true}); a date as {@code yyyy-MM-dd}; a timestamp as
 * {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ} in UTC; bytes as base64.
 */
final class ReservoirColumns {

    private final Map<String, Action> actions;
    private final UserDefinedFunction hash;

    /** @param actions the action of every column path (the event's fields and the internal columns): {@link dev.sluice.core.policy.EffectiveColumns} */
    ReservoirColumns(Map<String, Action> actions, UserDefinedFunction hash) {
        this.actions = actions;
        this.hash = hash;
    }

    Dataset<Row> apply(Dataset<Row> partition) {
        List<Column> columns = new ArrayList<>();
        for (StructField field : partition.schema().fields()) {
            Column transformed = anonymize(col("`" + field.name() + "`"), field.dataType(), field.name());
            if (transformed != null) {
                columns.add(transformed.as(field.name()));
            }
        }
        return partition.select(columns.toArray(Column[]::new));
    }

    /**
     * The column as the reservoir gets it, or null when it is dropped: a record is rebuilt from its fields, an array
     * from its items, a map from its keys (the field's own action) and values; a value takes its path's action.
     */
    private Column anonymize(Column column, DataType type, String path) {
        if (type instanceof StructType struct) {
            return record(column, struct, path);
        }
        if (type instanceof ArrayType array) {
            if (anonymize(col("x"), array.elementType(), path) == null) {
                return null;
            }
            return transform(column, item -> anonymize(item, array.elementType(), path));
        }
        if (type instanceof MapType map) {
            Action keys = action(path);
            if (keys == Action.DROP || anonymize(col("x"), map.valueType(), path) == null) {
                return null;
            }
            Column values = transform_values(column, (k, v) -> anonymize(v, map.valueType(), path));
            return keys == Action.SHOW ? values : transform_keys(values, (k, v) -> hash.apply(canonical(k, map.keyType())));
        }
        return switch (action(path)) {
            case DROP -> null;
            case SHOW -> column;
            case HASH -> hash.apply(canonical(column, type));
        };
    }

    /** A path the policy does not know is dropped: unknown is not shown. */
    private Action action(String path) {
        return actions.getOrDefault(path, Action.DROP);
    }

    /** A record rebuilt from its fields' transformations; null when every field is dropped. */
    private Column record(Column column, StructType type, String path) {
        List<Column> fields = new ArrayList<>();
        for (StructField field : type.fields()) {
            Column transformed = anonymize(column.getField(field.name()), field.dataType(), path + "." + field.name());
            if (transformed != null) {
                fields.add(transformed.as(field.name()));
            }
        }
        if (fields.isEmpty()) {
            return null;
        }
        // a null record stays null, not a record of nulls
        return when(column.isNull(), lit(null)).otherwise(struct(fields.toArray(Column[]::new)));
    }

    /** The text that is hashed: see the class comment. */
    static Column canonical(Column value, DataType type) {
        if (type instanceof StringType) {
            return value;
        }
        if (type instanceof DateType) {
            return date_format(value, "yyyy-MM-dd");
        }
        if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return date_format(value, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
        }
        if (type instanceof BinaryType) {
            return base64(value);
        }
        return value.cast("string");
    }
}
