package dev.sluice.spring.jobs;

import dev.sluice.core.hashing.ReservoirKeys;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Starts a run of a lake job as a process whose output goes to the run's log file: locally a child JVM running
 * Spark with {@code --master local[n]} from lake-jobs' {@code target/job/} (the jar, {@code classpath},
 * {@code jvm.options}); on a cluster the configured {@code spark-submit} command, which returns when the job ends
 * (Spark's default {@code spark.kubernetes.submission.waitAppCompletion}). The one launcher of the platform: the
 * datapump and the privacy-requests service both start their jobs here, and watch them with {@link RunningJob}.
 */
public final class JobLauncher {

    /** Hadoop settings that are secrets, and the environment variable that carries each to the job instead. */
    static final Map<String, String> SECRETS = Map.of("fs.s3a.access.key", "AWS_ACCESS_KEY_ID",
            "fs.s3a.secret.key", "AWS_SECRET_ACCESS_KEY");

    private final LaunchSettings settings;

    public JobLauncher(LaunchSettings settings) {
        this.settings = settings;
    }

    public LaunchSettings settings() {
        return settings;
    }

    public Path log(String runId) {
        return settings.logs().resolve(runId + ".log");
    }

    /** Spark's local master for the local launcher ({@code local[n]}, every core for 0). */
    public String localMaster() {
        return "local[" + (settings.cores() <= 0 ? "*" : settings.cores()) + "]";
    }

    /**
     * Starts the run; the process's output (stdout and stderr) goes to {@link #log}. The S3 keys, if configured,
     * reach the job as {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} in its environment (s3a's
     * credential chain reads them there), never on its command line, which {@code ps} shows. The master key is in
     * the environment the job inherits from this service, or its file is named there, and nowhere else.
     *
     * @param clusterArguments the job's arguments under spark-submit
     * @param localArguments the same with Spark's local master ({@link #localMaster}), for the local launcher
     */
    public RunningJob start(String runId, String mainClass, List<String> clusterArguments, List<String> localArguments,
            Instant started) throws IOException {
        Files.createDirectories(settings.logs());
        ProcessBuilder builder = new ProcessBuilder(command(mainClass, clusterArguments, localArguments))
                .redirectErrorStream(true).redirectOutput(log(runId).toFile());
        builder.environment().putAll(secretEnvironment());
        return new RunningJob(runId, builder.start(), log(runId), started, settings.timeout());
    }

    /** The Hadoop settings that are secrets, as the environment variables the job reads them from. */
    public Map<String, String> secretEnvironment() {
        Map<String, String> environment = new HashMap<>();
        SECRETS.forEach((setting, variable) -> {
            String value = settings.hadoop().get(setting);
            if (value != null) {
                environment.put(variable, value);
            }
        });
        if (settings.s3AccessKey() != null && !settings.s3AccessKey().isBlank()) {
            environment.put("AWS_ACCESS_KEY_ID", settings.s3AccessKey());
            environment.put("AWS_SECRET_ACCESS_KEY", settings.s3SecretKey());
        }
        if (settings.masterKeyFile() != null && !settings.masterKeyFile().isBlank()) {
            environment.put(ReservoirKeys.MASTER_KEY_FILE_ENV, settings.masterKeyFile());
        }
        return environment;
    }

    /** The whole command of a run (without secrets: see {@link #start}). */
    public List<String> command(String mainClass, List<String> clusterArguments, List<String> localArguments) {
        Map<String, String> hadoop = new TreeMap<>(settings.hadoop());
        hadoop.keySet().removeAll(SECRETS.keySet());
        List<String> command = new ArrayList<>();
        switch (settings.launcher()) {
            case "local" -> {
                command.add(settings.javaHome().resolve("bin").resolve("java").toString());
                command.add("-Xmx" + settings.heap());
                command.add("-XX:+UseSerialGC");
                command.addAll(List.of(read(settings.dir().resolve("jvm.options")).trim().split("\\s+")));
                // SparkConf reads spark.* system properties, so the Hadoop settings reach every filesystem
                hadoop.forEach((key, value) -> command.add("-Dspark.hadoop." + key + "=" + value));
                command.add("-cp");
                command.add(jar() + File.pathSeparator + read(settings.dir().resolve("classpath")).trim());
                command.add(mainClass);
                command.addAll(localArguments);
            }
            case "spark-submit" -> {
                command.addAll(settings.sparkSubmit());
                for (Map.Entry<String, String> setting : hadoop.entrySet()) {
                    command.addAll(List.of("--conf", "spark.hadoop." + setting.getKey() + "=" + setting.getValue()));
                }
                command.addAll(List.of("--class", mainClass, settings.jar()));
                command.addAll(clusterArguments);
            }
            default -> throw new IllegalArgumentException("the job launcher must be local or spark-submit, not "
                    + settings.launcher());
        }
        return command;
    }

    /** The lake-jobs jar in the job directory. */
    private String jar() {
        try (Stream<Path> files = Files.list(settings.dir())) {
            return files.filter(f -> f.getFileName().toString().matches("lake-jobs-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no lake-jobs jar in " + settings.dir().toAbsolutePath()
                            + ": build lake-jobs (./mvnw -pl lake-jobs -am package -DskipTests)"))
                    .toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the job directory " + settings.dir().toAbsolutePath()
                    + ": build lake-jobs (./mvnw -pl lake-jobs -am package -DskipTests)", e);
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
