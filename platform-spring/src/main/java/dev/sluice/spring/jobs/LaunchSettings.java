package dev.sluice.spring.jobs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a service launches the lake jobs (the datapump's dump and reservoir jobs, the privacy-requests service's
 * access and erasure jobs): the same settings in both, under each service's {@code ...job.*}.
 *
 * @param launcher {@code local}: a child JVM on this machine running Spark with {@code --master local[cores]};
 *        {@code spark-submit}: the {@code sparkSubmit} command with the job's jar and arguments appended
 * @param dir (local) lake-jobs' {@code target/job/}: the jar, {@code classpath} and {@code jvm.options}
 * @param javaHome (local) the JDK that runs the job; this JVM's when null
 * @param heap (local) the job's -Xmx
 * @param cores (local) Spark's local threads; 0 for every core
 * @param sparkSubmit (spark-submit) the command and its own options
 * @param jar (spark-submit) where the cluster finds lake-jobs' jar
 * @param timeout a run taking longer is killed and counted as failed
 * @param logs each run's output goes to {@code <logs>/<run>.log}
 * @param hadoop Hadoop settings for the job, passed as {@code spark.hadoop.*}; {@code fs.s3a.access.key} and
 *        {@code fs.s3a.secret.key} go to the job's environment instead
 * @param s3AccessKey with {@code s3SecretKey}: the job's S3 keys, handed to it in its environment; empty: the
 *        default AWS credential chain
 * @param masterKeyFile the file of the platform master key, handed to the job as {@code SLUICE_MASTER_KEY_FILE};
 *        empty: the job inherits the service's {@code SLUICE_MASTER_KEY} or {@code SLUICE_MASTER_KEY_FILE}
 */
public record LaunchSettings(String launcher, Path dir, Path javaHome, String heap, int cores, List<String> sparkSubmit,
        String jar, Duration timeout, Path logs, Map<String, String> hadoop, String s3AccessKey, String s3SecretKey,
        String masterKeyFile) {

    public LaunchSettings {
        hadoop = hadoop == null ? Map.of() : Map.copyOf(hadoop);
        sparkSubmit = sparkSubmit == null ? List.of("spark-submit") : List.copyOf(sparkSubmit);
        javaHome = javaHome == null ? Path.of(System.getProperty("java.home")) : javaHome;
    }

    @Override
    public String toString() {
        // s3a secret keys may be among the Hadoop settings
        return "LaunchSettings[launcher=" + launcher + ", dir=" + dir + ", hadoop=" + hadoop.keySet() + "]";
    }
}
