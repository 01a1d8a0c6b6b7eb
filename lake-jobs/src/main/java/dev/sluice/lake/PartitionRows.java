package dev.sluice.lake;

import dev.sluice.core.jobs.JobOptions;
import dev.sluice.core.lake.LakeLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Prints the rows of a table's current partitions under a root (tier zero's, or a reservoir's), newest hour first,
 * one JSON object per line, read with parquet-avro: no Spark, nothing of the job that wrote them. What a reader of a
 * reservoir sees; the demo prints a reservoir with it.
 *
 * <pre>{@code
 * java -cp <lake-jobs jar and classpath> dev.sluice.lake.PartitionRows --root s3a://sluice-lake/tier1/marketing \
 *     --type product_created[,other_type...] [--hour 2026-11-28/10] [--limit 20]
 * }</pre>
 * With several types, each row is printed as {@code <type>\t<row>}.
 * Hadoop settings as Spark's {@code -Dspark.hadoop.fs.s3a.endpoint=...} system properties; S3 keys from
 * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}.
 */
public final class PartitionRows {

    private PartitionRows() {
    }

    public static void main(String[] args) throws IOException {
        JobOptions options = JobOptions.parse(args);
        String root = options.required("root").replaceAll("/+$", "");
        List<String> types = List.of(options.required("type").split(","));
        String hour = options.optional("hour");
        int limit = Integer.parseInt(options.optional("limit") == null ? "20" : options.optional("limit"));
        Configuration hadoop = new Configuration();
        System.getProperties().forEach((key, value) -> {
            if (key.toString().startsWith("spark.hadoop.")) {
                hadoop.set(key.toString().substring("spark.hadoop.".length()), value.toString());
            }
        });
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int printed = 0;
        for (String type : types) {
            for (Path version : currentVersions(new Path(LakeLayout.table(root, type)), hour, hadoop)) {
                for (GenericRecord record : read(version, hadoop)) {
                    if (printed++ >= limit) {
                        return;
                    }
                    out.println(types.size() > 1 ? type + "\t" + record : record.toString());
                }
            }
        }
    }

    /** The current version of every partition of the table (or of one hour, {@code yyyy-MM-dd/HH}), newest first. */
    static List<Path> currentVersions(Path table, String hour, Configuration hadoop) throws IOException {
        FileSystem fs = table.getFileSystem(hadoop);
        List<Path> pointers = new ArrayList<>();
        if (hour != null) {
            String[] dateHour = hour.split("/");
            pointers.add(new Path(table, "date=" + dateHour[0] + "/hour=" + dateHour[1] + "/" + LakeLayout.POINTER));
        } else if (fs.exists(table)) {
            for (FileStatus day : fs.listStatus(table)) {
                if (day.isDirectory() && day.getPath().getName().startsWith("date=")) {
                    for (FileStatus partition : fs.listStatus(day.getPath())) {
                        pointers.add(new Path(partition.getPath(), LakeLayout.POINTER));
                    }
                }
            }
        }
        pointers.sort(Comparator.comparing(Path::toString).reversed());
        List<Path> versions = new ArrayList<>();
        for (Path pointer : pointers) {
            if (fs.exists(pointer)) {
                try (FSDataInputStream in = fs.open(pointer)) {
                    versions.add(new Path(pointer.getParent(), LakeLayout.versionInPointer(
                            new String(in.readAllBytes(), StandardCharsets.UTF_8))));
                }
            }
        }
        return versions;
    }

    static List<GenericRecord> read(Path version, Configuration hadoop) {
        List<GenericRecord> records = new ArrayList<>();
        try {
            FileSystem fs = version.getFileSystem(hadoop);
            for (FileStatus file : fs.listStatus(version)) {
                if (!file.getPath().getName().endsWith(".parquet")) {
                    continue;
                }
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(file.getPath(), hadoop)).build()) {
                    for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                        records.add(record);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + version, e);
        }
        return records;
    }
}
