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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
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

    private final SparkSession spark;
    private final String lakeRoot;
    private final String eventType;
    private final String typeRoot;
    /** Each hour's pointer as last read or moved by this instance (see {@link #currents}). */
    private final Map<Instant, Optional<String>> pointers = new ConcurrentHashMap<>();

    VersionedPartitions(SparkSession spark, String lakeRoot, String eventType) {
        this.spark = spark;
        this.lakeRoot = lakeRoot.replaceAll("/+$", "");
        this.eventType = eventType;
        this.typeRoot = LakeLayout.table(this.lakeRoot, eventType);
    }

    String partitionPath(Instant hour) {
        return LakeLayout.partition(lakeRoot, HourPartition.of(eventType, hour));
    }

    /** The hours of these days (inclusive) that have a current version, in order. */
    List<Instant> hours(java.time.LocalDate from, java.time.LocalDate to) {
        List<Instant> hours = new ArrayList<>();
        try {
            Path table = new Path(typeRoot);
            FileSystem fs = table.getFileSystem(hadoop());
            if (!fs.exists(table)) {
                return hours;
            }
            for (FileStatus day : fs.listStatus(table)) {
                String name = day.getPath().getName();
                if (!day.isDirectory() || !name.startsWith("date=")) {
                    continue;
                }
                java.time.LocalDate date = java.time.LocalDate.parse(name.substring(5));
                if (date.isBefore(from) || date.isAfter(to)) {
                    continue;
                }
                for (FileStatus hour : fs.listStatus(day.getPath())) {
                    String hourName = hour.getPath().getName();
                    if (hour.isDirectory() && hourName.startsWith("hour=")
                            && fs.exists(new Path(hour.getPath(), POINTER))) {
                        hours.add(HourPartition.of(eventType, date.atTime(Integer.parseInt(hourName.substring(5)), 0)
                                .toInstant(java.time.ZoneOffset.UTC)).start());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + typeRoot, e);
        }
        hours.sort(null);
        return hours;
    }

    /** The event types with partitions under a root. */
    static List<String> eventTypes(SparkSession spark, String root) {
        List<String> types = new ArrayList<>();
        try {
            Path events = new Path(root.replaceAll("/+$", "") + "/" + LakeLayout.EVENTS);
            FileSystem fs = events.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(events)) {
                for (FileStatus type : fs.listStatus(events)) {
                    if (type.isDirectory()) {
                        types.add(type.getPath().getName());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return types;
    }

    /** Deletes the hour's partition, every version and its pointer (the pointer first: readers stop finding it). */
    void remove(Instant hour) {
        Path partition = new Path(partitionPath(hour));
        try {
            FileSystem fs = partition.getFileSystem(hadoop());
            fs.delete(new Path(partition, POINTER), false);
            fs.delete(partition, true);
            pointers.remove(hour);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + partition, e);
        }
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
        Path pointer = new Path(partitionPath(hour) + "/" + POINTER);
        try {
            FileSystem fs = pointer.getFileSystem(hadoop());
            if (!fs.exists(pointer)) {
                return Optional.empty();
            }
            try (FSDataInputStream in = fs.open(pointer)) {
                return Optional.of(partitionPath(hour) + "/" + LakeLayout.versionInPointer(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointer, e);
        }
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
        byte[] columns = columnsJson(merged.schema(), table);
        List<Written> versions = new ArrayList<>();
        perHour(hours, hour -> finish(hour, LakeLayout.versionDirectory(run), columns, previous.get(hour)))
                .forEach(written -> written.ifPresent(versions::add));
        log.info("{} hours written, their pointers moved, in {} ms", hours.size(), (System.nanoTime() - started) / 1_000_000);
        return versions;
    }

    /** The column list, the pointer moved to the new version, older versions deleted; empty if the hour had no row. */
    private Optional<Written> finish(Instant hour, String version, byte[] columns, Optional<String> previous) {
        Path pointer = new Path(partitionPath(hour) + "/" + POINTER);
        try {
            FileSystem fs = pointer.getFileSystem(hadoop());
            if (!fs.exists(new Path(partitionPath(hour) + "/" + version))) {
                return Optional.empty(); // no event in this hour (cannot happen for a dirty hour; never point at nothing)
            }
            // the columns beside the files, for the catalog, which must not need a Parquet reader
            try (FSDataOutputStream out = fs.create(new Path(partitionPath(hour) + "/" + version + "/" + COLUMNS), true)) {
                out.write(columns);
            }
            replace(fs, pointer, version.getBytes(StandardCharsets.UTF_8));
            pointers.put(hour, Optional.of(partitionPath(hour) + "/" + version));
            deleteOlderVersions(fs, hour, version, previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + pointer, e);
        }
        List<String> files = files(partitionPath(hour) + "/" + version);
        return Optional.of(new Written(hour, partitionPath(hour) + "/" + version, files, rows(files), previous.isPresent()));
    }

    /**
     * Once the pointer names the new version, every other version goes except the one it named before: a reader that
     * followed the old pointer just before the switch still finds its files; the versions before that, and the
     * partial versions of killed runs, are garbage. (A reader still on a version two switches old loses its files:
     * runs of one hour are minutes apart at least, longer than the queries that read tier zero.)
     */
    private void deleteOlderVersions(FileSystem fs, Instant hour, String version, Optional<String> previous)
            throws IOException {
        String keep = previous.map(p -> p.substring(p.lastIndexOf('/') + 1)).orElse(version);
        for (FileStatus status : fs.listStatus(new Path(partitionPath(hour)))) {
            String name = status.getPath().getName();
            if (status.isDirectory() && LakeLayout.isVersionDirectory(name) && !name.equals(version) && !name.equals(keep)) {
                fs.delete(status.getPath(), true);
            }
        }
    }

    static byte[] columnsJson(StructType schema, StructType table) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode document = json.createObjectNode().put("format", "parquet");
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
        try {
            return json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new version of one hour's partition. @param files relative to the lake's root */
    record Written(Instant hour, String directory, List<String> files, long rows, boolean replaced) {
    }

    /** The rows of the files, from their Parquet footers (no data read). @param files relative to the lake's root */
    private long rows(List<String> files) {
        long rows = 0;
        for (String file : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                    new Path(lakeRoot + "/" + file), hadoop()))) {
                rows += reader.getRecordCount();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the footer of " + file, e);
            }
        }
        return rows;
    }

    private List<String> files(String directory) {
        List<String> files = new ArrayList<>();
        try {
            Path path = new Path(directory);
            FileSystem fs = path.getFileSystem(hadoop());
            String root = fs.makeQualified(new Path(lakeRoot)).toString();
            var listing = fs.listFiles(path, false);
            while (listing.hasNext()) {
                String file = listing.next().getPath().toString();
                if (file.endsWith(".parquet")) {
                    files.add(file.startsWith(root) ? file.substring(root.length()).replaceFirst("^/+", "") : file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        files.sort(null);
        return files;
    }

    /**
     * Replaces a small file so that a reader sees the old content or the new, never a part: on S3 one PUT is that
     * already; elsewhere the content is written beside it and renamed over it (atomic on POSIX and HDFS).
     */
    static void replace(FileSystem fs, Path file, byte[] content) throws IOException {
        if (fs.getScheme().startsWith("s3")) {
            try (FSDataOutputStream out = fs.create(file, true)) {
                out.write(content);
            }
            return;
        }
        Path temporary = new Path(file.getParent(), "." + file.getName() + "." + System.nanoTime());
        try (FSDataOutputStream out = fs.create(temporary, false)) {
            out.write(content);
        }
        FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(temporary, file, Options.Rename.OVERWRITE);
    }

    private Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }
}
