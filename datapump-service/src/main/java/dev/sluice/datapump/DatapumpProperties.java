package dev.sluice.datapump;

import dev.sluice.core.runtime.Backoff;
import dev.sluice.core.topics.Topics;
import dev.sluice.spring.jobs.LaunchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the datapump ({@code sluice.datapump.*}; environment {@code SLUICE_DATAPUMP_...}). The Cassandra
 * connection of the service itself is Spring Boot's {@code spring.cassandra.*} ({@code CASSANDRA_CONTACT_POINTS});
 * extra Kafka client settings are the shared {@code sluice.runtime.kafka.*}.
 *
 * @param dirtyHoursTopic compacted; read from its start at every start (the latest notice per hour)
 * @param partitionsTopic where the job announces each partition it wrote
 * @param deadLetterTopic records of the {@code lake.*} topics that are not what they should be, with the reason
 * @param groupId the consumer group of the dirty-hours reader (one instance: it reads the topic from its start)
 * @param quiet an hour is dumped once no event landed in it for this long ...
 * @param maxDelay ... or once it has waited this long, however busy it is
 * @param maxHoursPerRun hours in one job run at most (the oldest waiting first)
 * @param tick how often due hours and the running job are looked at
 * @param writerLease how long tier zero's writer lease lasts unless renewed (a dump holds it while it runs; an erasure
 *        rewrite of the privacy-requests service waits for it, and the other way round)
 * @param keyspace holds the runs and each hour's last dump
 * @param replication of the keyspace when this service creates it (CQL map)
 * @param backoff the wait before an hour (or reservoir work) of a failed run is tried again, growing per failure
 * @param changesTopic the governance service's policies, read whole at every start
 * @param forgottenTopic the forget-list of the privacy-requests service, read by each dump: an erased subject's rows
 *        that landed before the erasure are erased again
 * @param reservoirs how the reservoirs are kept up to date
 * @param job how the lake jobs (the tier-zero dump and the reservoir job) are launched
 */
@ConfigurationProperties("sluice.datapump")
public record DatapumpProperties(
        @DefaultValue("lake.dirty-hours") String dirtyHoursTopic,
        @DefaultValue("lake.partitions") String partitionsTopic,
        @DefaultValue("lake.dlt") String deadLetterTopic,
        @DefaultValue("datapump") String groupId,
        @DefaultValue("30s") Duration quiet,
        @DefaultValue("10m") Duration maxDelay,
        @DefaultValue("200") int maxHoursPerRun,
        @DefaultValue("1s") Duration tick,
        @DefaultValue("60s") Duration writerLease,
        @DefaultValue("sluice") String keyspace,
        @DefaultValue("{'class': 'SimpleStrategy', 'replication_factor': 1}") String replication,
        @DefaultValue RunBackoff backoff,
        @DefaultValue(Topics.GOVERNANCE_CHANGES) String changesTopic,
        @DefaultValue(Topics.FORGOTTEN) String forgottenTopic,
        @DefaultValue Reservoirs reservoirs,
        @DefaultValue Job job) {

    /**
     * @param groupId the consumer group that turns tier-zero notices on {@code lake.partitions} into reservoir work
     * @param evaluateEvery how often every reservoir's column actions are compared again without a new policy
     *        revision (a grant's expiry, a new schema version)
     * @param retentionEvery how often partitions past their retention are deleted (and once at every start)
     * @param tierZeroRetentionDays tier zero's own retention in days; 0 keeps it forever
     * @param maxTasksPerRun reservoir tasks in one run of the reservoir job at most
     */
    public record Reservoirs(@DefaultValue("datapump-reservoirs") String groupId,
            @DefaultValue("1m") Duration evaluateEvery,
            @DefaultValue("24h") Duration retentionEvery,
            @DefaultValue("0") int tierZeroRetentionDays,
            @DefaultValue("100") int maxTasksPerRun) {
    }

    /** The platform's {@link Backoff}, with the datapump's defaults for failed runs. */
    public record RunBackoff(@DefaultValue("15s") Duration initial, @DefaultValue("2") double multiplier,
            @DefaultValue("30m") Duration max) {

        public Backoff toBackoff() {
            return new Backoff(initial, multiplier, max);
        }
    }

    /**
     * @param launcher {@code local}: a child JVM on this machine running Spark with {@code --master local[cores]};
     *        {@code spark-submit}: the {@code sparkSubmit} command with the job's jar and arguments appended
     * @param lake tier zero's root: {@code file:///...} or {@code s3a://bucket/prefix}
     * @param tierOne tier one's root, which holds a directory per reservoir
     * @param dir (local) lake-jobs' {@code target/job/}: the jar, {@code classpath} and {@code jvm.options}
     * @param javaHome (local) the JDK that runs the job
     * @param heap (local) the job's -Xmx
     * @param cores (local) Spark's local threads; 0 for every core
     * @param sparkSubmit (spark-submit) the command and its own options, e.g. {@code spark-submit --master
     *        k8s://https://... --deploy-mode cluster --conf spark.kubernetes.container.image=...}
     * @param jar (spark-submit) where the cluster finds lake-jobs' jar
     * @param timeout a run taking longer is killed and counted as failed
     * @param logs each run's output goes to {@code <logs>/<run>.log}
     * @param hadoop Hadoop settings for the job ({@code fs.s3a.endpoint}, ...), passed as {@code spark.hadoop.*};
     *        {@code fs.s3a.access.key} and {@code fs.s3a.secret.key} go to the job's environment instead
     * @param cassandra the landing table's contact points as the job sees them; the service's own when empty
     * @param registryUrl the schema registry as the job sees it
     * @param kafkaBootstrapServers Kafka as the job sees it; the service's own when empty
     * @param s3AccessKey with {@code s3SecretKey}: the job's S3 keys, handed to it in its environment; empty: the
     *        default AWS credential chain (IRSA on Kubernetes)
     * @param masterKeyFile the file of the reservoir hashes' master key, handed to the reservoir job as
     *        {@code SLUICE_MASTER_KEY_FILE}; empty: the job inherits this service's {@code SLUICE_MASTER_KEY} or
     *        {@code SLUICE_MASTER_KEY_FILE} (on a cluster, give the driver and executors the key with Spark's own
     *        secret settings, e.g. {@code spark.kubernetes.driver.secretKeyRef.SLUICE_MASTER_KEY})
     */
    public record Job(@DefaultValue("local") String launcher,
            @DefaultValue("file:///tmp/sluice/lake/tier0") String lake,
            @DefaultValue("file:///tmp/sluice/lake/tier1") String tierOne,
            @DefaultValue("lake-jobs/target/job") Path dir,
            Path javaHome,
            @DefaultValue("1g") String heap,
            @DefaultValue("0") int cores,
            @DefaultValue("spark-submit") List<String> sparkSubmit,
            @DefaultValue("lake-jobs.jar") String jar,
            @DefaultValue("2h") Duration timeout,
            @DefaultValue("/tmp/sluice/datapump/runs") Path logs,
            Map<String, String> hadoop,
            String cassandra,
            @DefaultValue("http://localhost:8081") String registryUrl,
            String kafkaBootstrapServers,
            String s3AccessKey,
            String s3SecretKey,
            String masterKeyFile) {

        public Job {
            hadoop = hadoop == null ? Map.of() : Map.copyOf(hadoop);
            javaHome = javaHome == null ? Path.of(System.getProperty("java.home")) : javaHome;
        }

        /** The settings of the platform's job launcher. */
        public LaunchSettings toLaunchSettings() {
            return new LaunchSettings(launcher, dir, javaHome, heap, cores, sparkSubmit, jar, timeout, logs, hadoop,
                    s3AccessKey, s3SecretKey, masterKeyFile);
        }

        @Override
        public String toString() {
            // s3a secret keys may be among the Hadoop settings
            return "Job[launcher=" + launcher + ", lake=" + lake + ", tierOne=" + tierOne + ", dir=" + dir + ", hadoop=" + hadoop.keySet() + "]";
        }
    }
}
