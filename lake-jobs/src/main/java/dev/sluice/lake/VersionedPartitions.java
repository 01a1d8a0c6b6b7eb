package dev.sluice.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.lake.LakeLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of one event type under a root — tier zero's, or a reservoir's in tier one:
 * {@code <root>/events/<type>/date=YYYY-MM-DD/hour=HH/}, each holding
 * versions {@code v=<run>/part-*.parquet} and a pointer {@code _current} that names the version readers use.
 *
 * <p>Why versions and a pointer: S3 has no atomic rename of a directory, so overwriting a partition in place would let
 * a reader see a mix of old and new files, or none. Here a run writes its version beside the current one, and only
 * when every file is written does it replace the pointer — one PUT, which S3 makes visible atomically (strongly
 * consistent since 2020): a reader that follows the pointer sees the old version or the new one. A run killed before
 * the pointer moved leaves the old version current and intact; its partial version is garbage, deleted by the next
 * run that completes (which keeps only its own version and the one before). Readers (our Spark jobs, and the catalog, whose partition location is set to the current version) never list
 * the partition directory itself.
 */
final class VersionedPartitions {

    private static final Logger log = LoggerFactory.getLogger(VersionedPartitions.class);

    static final String POINTER = LakeLayout.POINTER;
    /**
     * In each version: {@code {"format":"parquet","columns":[{"name","type"}]}} with Hive type names (Spark's
     * catalog strings: {@code string}, {@code bigint}, {@code struct<a:string>}, ...), what the Glue table needs; in
     * a reservoir also {@code "table":[{"name","type"}]}, the whole table's columns as the reservoir has them now.
     */
    static final String COLUMNS = LakeLayout.COLUMNS;
    /** Left in a partition an erasure emptied (see {@link #empty}). */
    static final String EMPTIED = "_emptied";

    private final SparkSession spark;
    private final String lakeRoot;
    private final String eventType;
    private final String typeRoot;
    /** Each hour's pointer as last read or moved by this instance (see {@link #currents}). */
    private final Map<Instant, Optional<String>> pointers = new ConcurrentHashMap<>();
    private final LakeFiles files;

    VersionedPartitions(SparkSession spark, String lakeRoot, String eventType) {
        this.spark = spark;
        this.lakeRoot = lakeRoot.replaceAll("/+$", "");
        this.eventType = eventType;
        this.typeRoot = LakeLayout.table(this.lakeRoot, eventType);
        this.files = LakeFiles.of(this.lakeRoot, spark.sparkContext().hadoopConfiguration());
    }

    String eventType() {
        return eventType;
    }

    String partitionPath(Instant hour) {
        return LakeLayout.partition(lakeRoot, HourPartition.of(eventType, hour));
    }

    /** The hours of these days (inclusive) that have a current version, in order. */
    List<Instant> hours(java.time.LocalDate from, java.time.LocalDate to) {
        List<Instant> hours = new ArrayList<>();
        for (String day : files.directories(typeRoot)) {
            if (!day.startsWith("date=")) {
                continue;
            }
            java.time.LocalDate date = java.time.LocalDate.parse(day.substring(5));
            if (date.isBefore(from) || date.isAfter(to)) {
                continue;
            }
            // one listing of the day: the hours that have a pointer
            for (String file : files.files(typeRoot + "/" + day)) {
                if (file.matches("hour=\\d{2}/" + POINTER)) {
                    hours.add(HourPartition.of(eventType, date.atTime(Integer.parseInt(file.substring(5, 7)), 0)
                            .toInstant(java.time.ZoneOffset.UTC)).start());
                }
            }
        }
        hours.sort(null);
        return hours;
    }

    /** The event types with partitions under a root. */
    static List<String> eventTypes(SparkSession spark, String root) {
        String trimmed = root.replaceAll("/+$", "");
        return LakeFiles.of(trimmed, spark.sparkContext().hadoopConfiguration())
                .directories(trimmed + "/" + LakeLayout.EVENTS);
    }

    /**
     * An erasure removed every row of the hour: the partition goes (as {@link #remove}) and a marker
     * {@value #EMPTIED} stays, so that a reader the index sends here knows the hour was emptied, not never dumped. A
     * later dump of the hour writes a version and a pointer again, and deletes the marker.
     */
    void empty(Instant hour, String run) {
        remove(hour);
        files.write(partitionPath(hour) + "/" + EMPTIED, run.getBytes(StandardCharsets.UTF_8));
    }

    /** The hours (of these) that an erasure emptied, and that have no version since. */
    java.util.Set<Instant> emptied(List<Instant> hours) {
        java.util.Set<Instant> emptied = new java.util.TreeSet<>();
        List<Boolean> marked = perHour(hours, hour -> files.read(partitionPath(hour) + "/" + EMPTIED).isPresent());
        for (int i = 0; i < hours.size(); i++) {
            if (marked.get(i)) {
                emptied.add(hours.get(i));
            }
        }
        return emptied;
    }

    /** Deletes the hour's partition, every version and its pointer (the pointer first: readers stop finding it). */
    void remove(Instant hour) {
        files.delete(partitionPath(hour) + "/" + POINTER);
        files.delete(partitionPath(hour));
        pointers.remove(hour);
    }

    /**
     * The current versions of the hours. Each pointer is read once, concurrently (a round trip each on S3), and then
     * remembered: merge and write both need them, and during a job the only one moving them is this instance, which
     * remembers what it moved them to.
     */
    private Map<Instant, Optional<String>> currents(List<Instant> hours) {
        List<Instant> unread = hours.stream().filter(hour -> !pointers.containsKey(hour)).toList();
        List<Optional<String>> read = perHour(unread, this::current);
        for (int i = 0; i < unread.size(); i++) {
            pointers.put(unread.get(i), read.get(i));
        }
        Map<Instant, Optional<String>> byHour = new HashMap<>();
        hours.forEach(hour -> byHour.put(hour, pointers.get(hour)));
        return byHour;
    }

    /**
     * What each hour's few small reads and writes give, in the hours' order: concurrently, as on S3 each is a round
     * trip; the first failure fails all.
     */
    private static <T> List<T> perHour(List<Instant> hours, Function<Instant, T> work) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(16, hours.size())));
        try {
            List<Future<T>> futures = new ArrayList<>();
            hours.forEach(hour -> futures.add(pool.submit(() -> work.apply(hour))));
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading or moving the pointers", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The directory of the current version of an hour, if the hour was ever dumped. */
    Optional<String> current(Instant hour) {
        return files.read(partitionPath(hour) + "/" + POINTER).map(content -> partitionPath(hour) + "/"
                + LakeLayout.versionInPointer(new String(content, StandardCharsets.UTF_8)));
    }

    /** The current versions of the hours that have one, read concurrently (a round trip each on S3). */
    Map<Instant, String> currentVersions(List<Instant> hours) {
        Map<Instant, String> versions = new java.util.TreeMap<>();
        currents(hours).forEach((hour, version) -> version.ifPresent(v -> versions.put(hour, v)));
        return versions;
    }

    /**
     * What the hours hold now (their current versions) united with the decoded landing rows, one row per (hour, event
     * id): landing rows expire, tier zero must not lose them, so a re-dump merges instead of replacing. Landing's copy
     * of an event wins over tier zero's: it is the one landed last (a duplicate landing overwrites its row).
     *
     * <p>Landing's key, {@code ((type, hour), event id)}, makes its rows unique per hour already, so hours never dumped
     * need no de-duplication at all; the rest keeps what tier zero holds minus what landing holds again (an anti-join,
     * which Spark makes a broadcast when landing's side is small, as for a few late events).
     */
    Dataset<Row> merge(Dataset<Row> decoded, List<Instant> hours) {
        List<String> existing = new ArrayList<>();
        currents(hours).values().forEach(current -> current.ifPresent(existing::add));
        if (existing.isEmpty()) {
            return decoded;
        }
        Dataset<Row> old = spark.read().option("mergeSchema", "true").parquet(existing.toArray(String[]::new));
        Dataset<Row> again = decoded.select(date_trunc("hour", col(LandingColumns.EVENT_TIME)).as("_hour"),
                col(LandingColumns.EVENT_ID).as("_id"));
        Dataset<Row> kept = old.join(again, date_trunc("hour", old.col(LandingColumns.EVENT_TIME)).equalTo(again.col("_hour"))
                .and(old.col(LandingColumns.EVENT_ID).equalTo(again.col("_id"))), "left_anti");
        return decoded.unionByName(kept, true);
    }

    /**
     * Writes each hour's rows as a new version {@code v=<run>} of its partition, then moves each hour's pointer to it.
     *
     * @return each hour's new version: its directory, its files, and whether it replaced an earlier version
     */
    List<Written> write(Dataset<Row> merged, List<Instant> hours, String run) {
        return write(merged, hours, run, null);
    }

    /**
     * As {@link #write(Dataset, List, String)}, for a reservoir: {@code table} is the whole table as the reservoir
     * has it now (every schema version's columns, anonymized by the current policy), so that the catalog's table
     * has exactly the reservoir's columns: a column a policy drops leaves the table, one it lets through enters it.
     */
    List<Written> write(Dataset<Row> merged, List<Instant> hours, String run, StructType table) {
        return write(merged, hours, run, table, false);
    }

    /**
     * As {@link #write(Dataset, List, String, StructType)}; with {@code purge}, every earlier version goes once the
     * pointer names the new one, the one it named before included: an erasure's new version must leave no copy of
     * the erased rows behind (a reader still on the old version loses its files, and reads again).
     */
    List<Written> write(Dataset<Row> merged, List<Instant> hours, String run, StructType table, boolean purge) {
        return write(merged, hours, run, table, purge, Map.of());
    }

    /**
     * As above; {@code sources} names, per hour, the tier-zero version a reservoir's version was computed from, written
     * as {@code "source"} beside its columns: an erasure's verification tells from it whether the reservoir has been
     * recomputed from the erased version yet.
     */
    List<Written> write(Dataset<Row> merged, List<Instant> hours, String run, StructType table, boolean purge,
            Map<Instant, String> sources) {
        long started = System.nanoTime();
        Map<Instant, Optional<String>> previous = currents(hours);
        // Spark's default, INT96, is deprecated and unreadable by parquet-avro; micros lose nothing of Avro's millis
        // or micros (found by TierZeroDumpIT, which reads the files back with parquet-avro)
        spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        merged.withColumn("date", date_format(col(LandingColumns.EVENT_TIME), "yyyy-MM-dd").cast("string"))
                .withColumn("hour", date_format(col(LandingColumns.EVENT_TIME), "HH"))
                .withColumn("v", lit(run))
                .repartition(col("date"), col("hour"))
                .write().mode(SaveMode.Append).partitionBy("date", "hour", "v").parquet(typeRoot);
        log.info("{} hours written in {} ms", hours.size(), (System.nanoTime() - started) / 1_000_000);
        ObjectNode columns = columnsDocument(merged.schema(), table);
        List<Written> versions = new ArrayList<>();
        perHour(hours, hour -> finish(hour, LakeLayout.versionDirectory(run), withSource(columns, sources.get(hour)),
                purge ? Optional.empty() : previous.get(hour)))
                .forEach(written -> written.ifPresent(versions::add));
        log.info("{} hours written, their pointers moved, in {} ms", hours.size(), (System.nanoTime() - started) / 1_000_000);
        return versions;
    }

    /**
     * The column list, the pointer moved to the new version, older versions deleted; empty if the hour had no row.
     * One listing of the partition gives the new version's files and the other versions.
     */
    private Optional<Written> finish(Instant hour, String version, byte[] columns, Optional<String> previous) {
        String partition = partitionPath(hour);
        List<String> listed = files.files(partition);
        List<String> parquet = listed.stream().filter(f -> f.startsWith(version + "/") && f.endsWith(".parquet")).toList();
        if (parquet.isEmpty()) {
            return Optional.empty(); // no event in this hour (cannot happen for a dirty hour; never point at nothing)
        }
        // the columns beside the files, for the catalog, which must not need a Parquet reader
        files.write(partition + "/" + version + "/" + COLUMNS, columns);
        files.replace(partition + "/" + POINTER, version.getBytes(StandardCharsets.UTF_8));
        pointers.put(hour, Optional.of(partition + "/" + version));
        deleteOlderVersions(partition, listed, version, previous);
        if (listed.contains(EMPTIED)) {
            files.delete(partition + "/" + EMPTIED); // an hour an erasure emptied has events again
        }
        return Optional.of(written(hour, partition, parquet, previous.isPresent()));
    }

    private Written written(Instant hour, String partition, List<String> parquet, boolean replaced) {
        long rows = 0;
        long bytes = 0;
        for (String file : parquet) {
            rows += files.rows(partition + "/" + file);
            bytes += files.size(partition + "/" + file);
        }
        String version = parquet.isEmpty() ? "" : parquet.get(0).substring(0, parquet.get(0).indexOf('/'));
        String relative = partition.substring(lakeRoot.length() + 1);
        return new Written(hour, partition + "/" + version, parquet.stream().map(file -> relative + "/" + file).toList(),
                rows, bytes, replaced);
    }

    /**
     * The current version of each hour that has one, as a {@link Written} (its files, rows and bytes), after deleting
     * every other version of the hour: what an erasure leaves, and re-announces, for hours an earlier attempt already
     * rewrote (a version it left behind still holds the erased rows).
     */
    List<Written> purgeOthers(List<Instant> hours) {
        List<Written> found = new ArrayList<>();
        currentVersions(hours).forEach((hour, current) -> {
            String partition = partitionPath(hour);
            String version = current.substring(current.lastIndexOf('/') + 1);
            List<String> listed = files.files(partition);
            deleteOlderVersions(partition, listed, version, Optional.empty());
            found.add(written(hour, partition, listed.stream()
                    .filter(f -> f.startsWith(version + "/") && f.endsWith(".parquet")).toList(), true));
        });
        return found;
    }

    /**
     * Once the pointer names the new version, every other version goes except the one it named before: a reader that
     * followed the old pointer just before the switch still finds its files; the versions before that, and the
     * partial versions of killed runs, are garbage. (A reader still on a version two switches old loses its files:
     * runs of one hour are minutes apart at least, longer than the queries that read tier zero.)
     */
    private void deleteOlderVersions(String partition, List<String> listed, String version, Optional<String> previous) {
        String keep = previous.map(p -> p.substring(p.lastIndexOf('/') + 1)).orElse(version);
        listed.stream().filter(file -> file.contains("/")).map(file -> file.substring(0, file.indexOf('/'))).distinct()
                .filter(LakeLayout::isVersionDirectory).filter(name -> !name.equals(version) && !name.equals(keep))
                .forEach(name -> files.delete(partition + "/" + name));
    }

    static byte[] columnsJson(StructType schema, StructType table) {
        return bytes(columnsDocument(schema, table));
    }

    private static ObjectNode columnsDocument(StructType schema, StructType table) {
        ObjectNode document = new ObjectMapper().createObjectNode().put("format", "parquet");
        ArrayNode columns = document.putArray("columns");
        for (StructField field : schema.fields()) {
            columns.addObject().put("name", field.name()).put("type", field.dataType().catalogString());
        }
        if (table != null) {
            ArrayNode tableColumns = document.putArray("table");
            for (StructField field : table.fields()) {
                tableColumns.addObject().put("name", field.name()).put("type", field.dataType().catalogString());
            }
        }
        return document;
    }

    private static byte[] withSource(ObjectNode columns, String source) {
        return bytes(source == null ? columns : columns.deepCopy().put("source", source));
    }

    private static byte[] bytes(ObjectNode document) {
        try {
            return new ObjectMapper().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tier-zero version a reservoir's version of the hour was computed from ({@code "source"}), if it says. */
    Optional<String> source(String versionDirectory) {
        return files.read(versionDirectory + "/" + COLUMNS).map(content -> {
            try {
                com.fasterxml.jackson.databind.JsonNode source = new ObjectMapper().readTree(content).get("source");
                return source == null ? null : source.asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A new version of one hour's partition. @param files relative to the lake's root */
    record Written(Instant hour, String directory, List<String> files, long rows, long bytes, boolean replaced) {
    }
}
