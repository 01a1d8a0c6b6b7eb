package dev.sluice.datapump.launch;

import dev.sluice.core.jobs.DumpJobArguments;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.datapump.DatapumpProperties;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Starts a run of the tier-zero dump job ({@code dev.sluice.lake.TierZeroDumpJob}) as a process whose output goes to
 * the run's log file: locally a child JVM running Spark with {@code --master local[n]} from lake-jobs' {@code
 * target/job/} (the jar, {@code classpath}, {@code jvm.options}); on a cluster the configured {@code spark-submit}
 * command, which returns when the job ends (Spark's default {@code spark.kubernetes.submission.waitAppCompletion}).
 */
public final class JobLauncher {

    static final String MAIN_CLASS = "dev.sluice.lake.TierZeroDumpJob";
    /** Hadoop settings that are secrets, and the environment variable that carries each to the job instead. */
    static final Map<String, String> SECRETS = Map.of("fs.s3a.access.key", "AWS_ACCESS_KEY_ID",
            "fs.s3a.secret.key", "AWS_SECRET_ACCESS_KEY");

    private final DatapumpProperties.Job job;
    private final String cassandra;
    private final String datacenter;
    private final String keyspace;
    private final String kafka;
    private final String partitionsTopic;

    /**
     * @param cassandra the landing table's contact points as the job sees them
     * @param kafka where the job announces the partitions it wrote, as the job sees it
     */
    public JobLauncher(DatapumpProperties.Job job, String cassandra, String datacenter, String keyspace, String kafka,
            String partitionsTopic) {
        this.job = job;
        this.cassandra = cassandra;
        this.datacenter = datacenter;
        this.keyspace = keyspace;
        this.kafka = kafka;
        this.partitionsTopic = partitionsTopic;
    }

    public Path log(String runId) {
        return job.logs().resolve(runId + ".log");
    }

    /**
     * Starts the run; the process's output (stdout and stderr) goes to {@link #log}. The S3 keys, if configured,
     * reach the job as {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} in its environment (s3a's
     * credential chain reads them there), never on its command line, which {@code ps} shows.
     */
    public Process start(String runId, List<HourPartition> hours) throws IOException {
        Files.createDirectories(job.logs());
        ProcessBuilder builder = new ProcessBuilder(command(runId, hours)).redirectErrorStream(true)
                .redirectOutput(log(runId).toFile());
        builder.environment().putAll(secretEnvironment());
        return builder.start();
    }

    /** The Hadoop settings that are secrets, as the environment variables the job reads them from. */
    Map<String, String> secretEnvironment() {
        Map<String, String> environment = new HashMap<>();
        SECRETS.forEach((setting, variable) -> {
            String value = job.hadoop().get(setting);
            if (value != null) {
                environment.put(variable, value);
            }
        });
        if (job.s3AccessKey() != null && !job.s3AccessKey().isBlank()) {
            environment.put("AWS_ACCESS_KEY_ID", job.s3AccessKey());
            environment.put("AWS_SECRET_ACCESS_KEY", job.s3SecretKey());
        }
        return environment;
    }

    /** The whole command of a run (without secrets: see {@link #start}). */
    public List<String> command(String runId, List<HourPartition> hours) {
        DumpJobArguments arguments = new DumpJobArguments(hours, job.lake(), cassandra, datacenter, keyspace,
                job.registryUrl(), runId, kafka, partitionsTopic, null);
        Map<String, String> hadoop = new TreeMap<>(job.hadoop());
        hadoop.keySet().removeAll(SECRETS.keySet());
        List<String> command = new ArrayList<>();
        switch (job.launcher()) {
            case "local" -> {
                command.add(job.javaHome().resolve("bin").resolve("java").toString());
                command.add("-Xmx" + job.heap());
                command.add("-XX:+UseSerialGC");
                command.addAll(List.of(read(job.dir().resolve("jvm.options")).trim().split("\\s+")));
                // SparkConf reads spark.* system properties, so the Hadoop settings reach every filesystem
                hadoop.forEach((key, value) -> command.add("-Dspark.hadoop." + key + "=" + value));
                command.add("-cp");
                command.add(jar() + File.pathSeparator + read(job.dir().resolve("classpath")).trim());
                command.add(MAIN_CLASS);
                arguments = arguments.withMaster("local[" + (job.cores() <= 0 ? "*" : job.cores()) + "]");
            }
            case "spark-submit" -> {
                command.addAll(job.sparkSubmit());
                for (Map.Entry<String, String> setting : hadoop.entrySet()) {
                    command.addAll(List.of("--conf", "spark.hadoop." + setting.getKey() + "=" + setting.getValue()));
                }
                command.addAll(List.of("--class", MAIN_CLASS, job.jar()));
            }
            default -> throw new IllegalArgumentException("sluice.datapump.job.launcher must be local or spark-submit, not "
                    + job.launcher());
        }
        command.addAll(arguments.toArgs());
        return command;
    }

    /** The lake-jobs jar in the job directory. */
    private String jar() {
        try (Stream<Path> files = Files.list(job.dir())) {
            return files.filter(f -> f.getFileName().toString().matches("lake-jobs-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no lake-jobs jar in " + job.dir().toAbsolutePath()
                            + ": build lake-jobs (./mvnw -pl lake-jobs -am package -DskipTests)"))
                    .toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the job directory " + job.dir().toAbsolutePath()
                    + " (SLUICE_DATAPUMP_JOB_DIR): build lake-jobs (./mvnw -pl lake-jobs -am package -DskipTests)", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath()
                    + ": build lake-jobs (./mvnw -pl lake-jobs -am package -DskipTests)", e);
        }
    }
}
