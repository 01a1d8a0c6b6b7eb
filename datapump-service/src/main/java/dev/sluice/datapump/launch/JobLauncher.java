package dev.sluice.datapump.launch;

import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.core.jobs.DumpJobArguments;
import dev.sluice.core.jobs.ReservoirJobArguments;
import dev.sluice.core.jobs.ReservoirTask;
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
 * Starts a run of a lake job — the tier-zero dump ({@code dev.sluice.lake.TierZeroDumpJob}) or the reservoir job
 * ({@code dev.sluice.lake.ReservoirPublishJob}) — as a process whose output goes to the run's log file: locally a child JVM running Spark with {@code --master local[n]} from lake-jobs' {@code
 * target/job/} (the jar, {@code classpath}, {@code jvm.options}); on a cluster the configured {@code spark-submit}
 * command, which returns when the job ends (Spark's default {@code spark.kubernetes.submission.waitAppCompletion}).
 */
public final class JobLauncher {

    static final String DUMP_JOB = "dev.sluice.lake.TierZeroDumpJob";
    static final String RESERVOIR_JOB = "dev.sluice.lake.ReservoirPublishJob";
    /** Hadoop settings that are secrets, and the environment variable that carries each to the job instead. */
    static final Map<String, String> SECRETS = Map.of("fs.s3a.access.key", "AWS_ACCESS_KEY_ID",
            "fs.s3a.secret.key", "AWS_SECRET_ACCESS_KEY");

    private final DatapumpProperties.Job job;
    private final String cassandra;
    private final String datacenter;
    private final String keyspace;
    private final String kafka;
    private final String partitionsTopic;
    private final String changesTopic;

    /**
     * @param cassandra the landing table's contact points as the job sees them
     * @param kafka where the job announces the partitions it wrote, as the job sees it
     */
    public JobLauncher(DatapumpProperties.Job job, String cassandra, String datacenter, String keyspace, String kafka,
            String partitionsTopic, String changesTopic) {
        this.job = job;
        this.cassandra = cassandra;
        this.datacenter = datacenter;
        this.keyspace = keyspace;
        this.kafka = kafka;
        this.partitionsTopic = partitionsTopic;
        this.changesTopic = changesTopic;
    }

    public Path log(String runId) {
        return job.logs().resolve(runId + ".log");
    }

    /** Starts a run of the dump job on the hours. */
    public Process startDump(String runId, List<HourPartition> hours) throws IOException {
        return start(runId, dumpCommand(runId, hours));
    }

    /** Starts a run of the reservoir job with the tasks. */
    public Process startReservoirs(String runId, List<ReservoirTask> tasks) throws IOException {
        return start(runId, reservoirCommand(runId, tasks));
    }

    /**
     * Starts the run; the process's output (stdout and stderr) goes to {@link #log}. The S3 keys, if configured,
     * reach the job as {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} in its environment (s3a's
     * credential chain reads them there), never on its command line, which {@code ps} shows. The master key of the
     * reservoir hashes ({@code SLUICE_MASTER_KEY} or {@code SLUICE_MASTER_KEY_FILE}) is in the environment the job
     * inherits from this service, and nowhere else.
     */
    private Process start(String runId, List<String> command) throws IOException {
        Files.createDirectories(job.logs());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(runId).toFile());
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
        if (job.masterKeyFile() != null && !job.masterKeyFile().isBlank()) {
            environment.put(ReservoirKeys.MASTER_KEY_FILE_ENV, job.masterKeyFile());
        }
        return environment;
    }

    /** The whole command of a dump run (without secrets: see {@link #start}). */
    public List<String> dumpCommand(String runId, List<HourPartition> hours) {
        DumpJobArguments arguments = new DumpJobArguments(hours, job.lake(), cassandra, datacenter, keyspace,
                job.registryUrl(), runId, kafka, partitionsTopic, null);
        return command(DUMP_JOB, arguments.toArgs(), arguments.withMaster(localMaster()).toArgs());
    }

    /** The whole command of a reservoir run (without secrets: see {@link #start}). */
    public List<String> reservoirCommand(String runId, List<ReservoirTask> tasks) {
        ReservoirJobArguments arguments = new ReservoirJobArguments(tasks, job.lake(), job.tierOne(), job.registryUrl(),
                kafka, changesTopic, partitionsTopic, runId, null);
        return command(RESERVOIR_JOB, arguments.toArgs(), arguments.withMaster(localMaster()).toArgs());
    }

    private String localMaster() {
        return "local[" + (job.cores() <= 0 ? "*" : job.cores()) + "]";
    }

    /**
     * @param clusterArguments the job's arguments under spark-submit
     * @param localArguments the same with Spark's local master, for the local launcher
     */
    private List<String> command(String mainClass, List<String> clusterArguments, List<String> localArguments) {
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
                command.add(mainClass);
                command.addAll(localArguments);
            }
            case "spark-submit" -> {
                command.addAll(job.sparkSubmit());
                for (Map.Entry<String, String> setting : hadoop.entrySet()) {
                    command.addAll(List.of("--conf", "spark.hadoop." + setting.getKey() + "=" + setting.getValue()));
                }
                command.addAll(List.of("--class", mainClass, job.jar()));
                command.addAll(clusterArguments);
            }
            default -> throw new IllegalArgumentException("sluice.datapump.job.launcher must be local or spark-submit, not "
                    + job.launcher());
        }
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
