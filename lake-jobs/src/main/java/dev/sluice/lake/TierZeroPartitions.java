package dev.sluice.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Tier zero's partitions of one event type: {@code <root>/events/<type>/date=YYYY-MM-DD/hour=HH/}, each holding
 * versions {@code v=<run>/part-*.parquet} and a pointer {@code _current} that names the version readers use.
 *
 * <p>Why versions and a pointer: S3 has no atomic rename of a directory, so overwriting a partition in place would let
 * a reader see a mix of old and new files, or none. Here a run writes its version beside the current one, and only
 * when every file is written does it replace the pointer — one PUT, which S3 makes visible atomically (strongly
 * consistent since 2020): a reader that follows the pointer sees the old version or the new one. A run killed before
 * the pointer moved leaves the old version current and intact; its partial version is garbage, deleted by a later
 * run. Readers (our Spark jobs, and the catalog, whose partition location is set to the current version) never list
 * the partition directory itself.
 */
final class TierZeroPartitions {

    static final String POINTER = "_current";
    /**
     * In each version: {@code {"format":"parquet","columns":[{"name","type"}]}} with Hive type names (Spark's
     * catalog strings: {@code string}, {@code bigint}, {@code struct<a:string>}, ...), what the Glue table needs.
     */
    static final String COLUMNS = "_columns.json";

    private final SparkSession spark;
    private final String lakeRoot;
    private final String typeRoot;

    TierZeroPartitions(SparkSession spark, String lakeRoot, String eventType) {
        this.spark = spark;
        this.lakeRoot = lakeRoot.replaceAll("/+$", "");
        this.typeRoot = this.lakeRoot + "/events/" + eventType;
    }

    String partitionPath(Instant hour) {
        var utc = hour.atOffset(ZoneOffset.UTC);
        return String.format("%s/date=%s/hour=%02d", typeRoot, utc.toLocalDate(), utc.getHour());
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
                return Optional.of(partitionPath(hour) + "/" + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointer, e);
        }
    }

    /**
     * What the hours hold now (their current versions) united with the decoded landing rows, one row per event id and
     * hour:
     * landing rows expire, tier zero must not lose them, so a re-dump merges instead of replacing. Of two copies of
     * an event, the one landed last wins.
     */
    Dataset<Row> merge(Dataset<Row> decoded, List<Instant> hours) {
        List<String> existing = new ArrayList<>();
        for (Instant hour : hours) {
            current(hour).ifPresent(existing::add);
        }
        Dataset<Row> all = decoded;
        if (!existing.isEmpty()) {
            Dataset<Row> old = spark.read().option("mergeSchema", "true").parquet(existing.toArray(String[]::new));
            all = all.unionByName(old, true);
        }
        // one copy per (hour, event id), as in landing, whose key is ((type, hour), event id): across hours the same
        // id is two events (found by DatapumpIT, whose hours reuse ids; deduplicating by id alone kept one hour's)
        var newestFirst = Window.partitionBy(date_trunc("hour", col(LandingColumns.EVENT_TIME)), col(LandingColumns.EVENT_ID))
                .orderBy(col(LandingColumns.LANDING_TIME).desc());
        return all.withColumn("_copy", row_number().over(newestFirst)).filter(col("_copy").equalTo(1)).drop("_copy");
    }

    /**
     * Writes each hour's rows as a new version {@code v=<run>} of its partition, then moves each hour's pointer to it.
     *
     * @return each hour's new version: its directory, its files, and whether it replaced an earlier version
     */
    List<Written> write(Dataset<Row> merged, List<Instant> hours, String run) {
        Map<Instant, Boolean> replacing = new HashMap<>();
        hours.forEach(hour -> replacing.put(hour, current(hour).isPresent()));
        // Spark's default, INT96, is deprecated and unreadable by parquet-avro; micros lose nothing of Avro's millis
        // or micros (found by TierZeroDumpIT, which reads the files back with parquet-avro)
        spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        merged.withColumn("date", date_format(col(LandingColumns.EVENT_TIME), "yyyy-MM-dd").cast("string"))
                .withColumn("hour", date_format(col(LandingColumns.EVENT_TIME), "HH"))
                .withColumn("v", lit(run))
                .repartition(col("date"), col("hour"))
                .write().mode(SaveMode.Append).partitionBy("date", "hour", "v").parquet(typeRoot);
        byte[] columns = columnsJson(merged.schema());
        List<Written> versions = new ArrayList<>();
        for (Instant hour : hours) {
            String version = "v=" + run;
            Path pointer = new Path(partitionPath(hour) + "/" + POINTER);
            try {
                FileSystem fs = pointer.getFileSystem(hadoop());
                if (!fs.exists(new Path(partitionPath(hour) + "/" + version))) {
                    continue; // no event in this hour (cannot happen for a dirty hour, but never point at nothing)
                }
                // the columns beside the files, for the catalog, which must not need a Parquet reader
                try (FSDataOutputStream out = fs.create(new Path(partitionPath(hour) + "/" + version + "/" + COLUMNS), true)) {
                    out.write(columns);
                }
                replace(fs, pointer, version.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + pointer, e);
            }
            versions.add(new Written(hour, partitionPath(hour) + "/" + version, files(partitionPath(hour) + "/" + version),
                    replacing.get(hour)));
        }
        return versions;
    }

    static byte[] columnsJson(StructType schema) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode document = json.createObjectNode().put("format", "parquet");
        ArrayNode columns = document.putArray("columns");
        for (StructField field : schema.fields()) {
            columns.addObject().put("name", field.name()).put("type", field.dataType().catalogString());
        }
        try {
            return json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new version of one hour's partition. @param files relative to the lake's root */
    record Written(Instant hour, String directory, List<String> files, boolean replaced) {
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
