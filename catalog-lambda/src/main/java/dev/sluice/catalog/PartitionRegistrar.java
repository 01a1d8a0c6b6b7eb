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
 * Registers a partition version in a catalog: the database and table are created when missing, a table gains the
 * columns a newer schema version added (columns are never removed: older partitions still have them), and the
 * partition is created or pointed at the new version.
 *
 * <p>Idempotent, and safe under repeated and out-of-order events: versions are named {@code v=<run>}, and run ids
 * sort by time, so a version older than (or equal to) the one registered is ignored.
 */
public final class PartitionRegistrar {

    static final String VERSION = "sluice.version";
    private static final Logger log = LoggerFactory.getLogger(PartitionRegistrar.class);

    private final Catalog catalog;

    public PartitionRegistrar(Catalog catalog) {
        this.catalog = catalog;
    }

    /** What happened to the partition. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED_NOT_NEWER }

    /**
     * @param tableLocation where the event type's partitions are, {@code s3://bucket/prefix/events/<type>/}
     * @param partitionLocation the version's directory
     */
    public Outcome register(String database, String eventType, String tableLocation, String date, String hour,
            String version, String partitionLocation, List<Catalog.Column> columns) {
        catalog.ensureDatabase(database);
        Optional<Catalog.Table> table = catalog.table(database, eventType);
        if (table.isEmpty()) {
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
}
