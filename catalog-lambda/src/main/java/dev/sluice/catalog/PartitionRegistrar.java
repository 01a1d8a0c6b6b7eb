package dev.sluice.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a partition version in a catalog: the database and table are created when missing, and the partition is
 * created or pointed at the new version. A tier-zero table gains the columns a newer schema version added (columns
 * are never removed: older partitions still have them); a reservoir's table has exactly the columns the reservoir
 * has now, which the reservoir job writes beside every version ({@code "table"} in {@code _columns.json}): a column
 * its policy drops leaves the table, one it lets through enters it.
 *
 * <p>Idempotent, and safe under repeated and out-of-order events: versions are named {@code v=<run>}, and run ids
 * sort by time, so a version older than (or equal to) the one registered is ignored, and a table's columns are only
 * replaced by those of a version at least as new as the one that set them ({@value #TABLE_VERSION}).
 */
public final class PartitionRegistrar {

    static final String VERSION = "sluice.version";
    /** On a reservoir's table: the version whose table columns it has. */
    static final String TABLE_VERSION = "sluice.table.version";
    private static final Logger log = LoggerFactory.getLogger(PartitionRegistrar.class);

    private final Catalog catalog;

    public PartitionRegistrar(Catalog catalog) {
        this.catalog = catalog;
    }

    /** What happened to the partition. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED_NOT_NEWER, REMOVED, NOT_REGISTERED }

    public Outcome register(String database, String eventType, String tableLocation, String date, String hour,
            String version, String partitionLocation, List<Catalog.Column> columns) {
        return register(database, eventType, tableLocation, date, hour, version, partitionLocation, columns, null);
    }

    /**
     * @param tableLocation where the event type's partitions are, {@code s3://bucket/prefix/events/<type>/}
     * @param partitionLocation the version's directory
     * @param tableColumns a reservoir's whole table as of this version; null in tier zero
     */
    public Outcome register(String database, String eventType, String tableLocation, String date, String hour,
            String version, String partitionLocation, List<Catalog.Column> columns, List<Catalog.Column> tableColumns) {
        catalog.ensureDatabase(database);
        Optional<Catalog.Table> table = catalog.table(database, eventType);
        if (tableColumns != null) {
            String setBy = table.map(t -> t.parameters().getOrDefault(TABLE_VERSION, "")).orElse("");
            if (table.isEmpty() || (!table.get().columns().equals(tableColumns) && version.compareTo(setBy) >= 0)) {
                Map<String, String> parameters = new LinkedHashMap<>(table.map(Catalog.Table::parameters)
                        .orElse(Map.of("classification", "parquet")));
                parameters.put(TABLE_VERSION, version);
                catalog.putTable(database, new Catalog.Table(eventType, tableLocation, tableColumns, parameters),
                        table.isPresent());
            }
        } else if (table.isEmpty()) {
            catalog.putTable(database, new Catalog.Table(eventType, tableLocation, columns,
                    Map.of("classification", "parquet")), false);
        } else {
            Set<String> known = table.get().columns().stream().map(Catalog.Column::name).collect(Collectors.toSet());
            List<Catalog.Column> added = columns.stream().filter(c -> !known.contains(c.name())).toList();
            if (!added.isEmpty()) {
                List<Catalog.Column> all = new ArrayList<>(table.get().columns());
                all.addAll(added);
                catalog.putTable(database, new Catalog.Table(eventType, table.get().location(), all,
                        table.get().parameters()), true);
            }
        }
        List<String> values = List.of(date, hour);
        Optional<Catalog.Partition> existing = catalog.partition(database, eventType, values);
        if (existing.isPresent() && existing.get().version().compareTo(version) >= 0) {
            log.info("{}.{} {}/{}: {} is registered, {} is not newer", database, eventType, date, hour,
                    existing.get().version(), version);
            return Outcome.UNCHANGED_NOT_NEWER;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(VERSION, version);
        catalog.putPartition(database, eventType, new Catalog.Partition(values, partitionLocation, columns, parameters),
                existing.isPresent());
        log.info("{}.{} {}/{} -> {}", database, eventType, date, hour, partitionLocation);
        return existing.isPresent() ? Outcome.UPDATED : Outcome.CREATED;
    }

    /**
     * Removes a partition that is gone from the lake (retention, a deleted reservoir, an hour with no row left).
     *
     * @param dropEmpty also remove the table once it has no partition left, and the database once it has no table
     *        (a reservoir's; tier zero's stay)
     */
    public Outcome unregister(String database, String eventType, String date, String hour, boolean dropEmpty) {
        List<String> values = List.of(date, hour);
        if (catalog.partition(database, eventType, values).isEmpty()) {
            return Outcome.NOT_REGISTERED;
        }
        catalog.deletePartition(database, eventType, values);
        log.info("{}.{} {}/{} removed", database, eventType, date, hour);
        if (dropEmpty && !catalog.hasPartitions(database, eventType)) {
            catalog.deleteTable(database, eventType);
            log.info("{}.{} has no partition left: removed", database, eventType);
            if (catalog.tables(database).isEmpty()) {
                catalog.deleteDatabase(database);
                log.info("{} has no table left: removed", database);
            }
        }
        return Outcome.REMOVED;
    }
}
