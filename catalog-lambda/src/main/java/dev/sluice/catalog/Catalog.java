package dev.sluice.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What partition registration needs of a metadata catalog: databases, tables (Parquet, partitioned by date and hour)
 * and partitions. {@link GlueCatalog} is the AWS Glue Data Catalog; {@link FileCatalog} keeps the same model in JSON
 * files, for running locally without AWS.
 */
public interface Catalog {

    /** Creates the database when missing. */
    void ensureDatabase(String database);

    Optional<Table> table(String database, String name);

    /** Creates the table ({@code exists} false) or replaces its definition. */
    void putTable(String database, Table table, boolean exists);

    Optional<Partition> partition(String database, String table, List<String> values);

    /** Creates the partition ({@code exists} false) or replaces its definition. */
    void putPartition(String database, String table, Partition partition, boolean exists);

    /** Removes the partition; nothing when there is none. */
    void deletePartition(String database, String table, List<String> values);

    /** Whether the table has at least one partition (false when there is no such table). */
    boolean hasPartitions(String database, String table);

    /** Removes the table; nothing when there is none. */
    void deleteTable(String database, String table);

    /** The names of the database's tables (none when there is no such database). */
    List<String> tables(String database);

    /** Removes the database; nothing when there is none. */
    void deleteDatabase(String database);

    /** A column with its Hive type name ({@code string}, {@code bigint}, {@code struct<os:string>}, ...). */
    record Column(String name, String type) {
    }

    /** A Parquet table partitioned by {@code date} and {@code hour} (strings, as in the lake's paths). */
    record Table(String name, String location, List<Column> columns, Map<String, String> parameters) {

        public static final List<Column> PARTITION_KEYS = List.of(new Column("date", "string"), new Column("hour", "string"));
    }

    /**
     * @param values {@code [date, hour]}
     * @param location the partition's current version, {@code .../hour=HH/v=<run>/}
     * @param parameters include {@code sluice.version}, the version's directory name
     */
    record Partition(List<String> values, String location, List<Column> columns, Map<String, String> parameters) {

        public String version() {
            return parameters.getOrDefault(PartitionRegistrar.VERSION, "");
        }
    }
}
