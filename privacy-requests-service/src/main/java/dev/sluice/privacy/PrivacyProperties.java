package dev.sluice.privacy;

import dev.sluice.spring.jobs.LaunchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the privacy-requests service ({@code sluice.privacy.*}; environment {@code SLUICE_PRIVACY_...}). The
 * Cassandra connection is Spring Boot's {@code spring.cassandra.*}; Kafka, security and the runtime are
 * platform-spring's.
 *
 * @param keyspace holds the index, the relations, the requests and their runs
 * @param replication of the keyspace when this service creates it (CQL map)
 * @param subjectPrefixes entity types that identify people
 * @param registry where the event schemas are (the indexer decodes with them)
 * @param index the reverse indexer and relations mapper
 * @param requests deadlines, batches and scope of the requests
 * @param exports where the access exports go, and how long a download link lives
 * @param s3 the S3 API of the exports bucket, for this service (the job has its own settings)
 * @param erasure the right to be forgotten: the forget-list, tier zero's writer lease, the verification
 * @param job how the access and erasure jobs are launched
 */
@ConfigurationProperties("sluice.privacy")
public record PrivacyProperties(
        @DefaultValue("sluice") String keyspace,
        @DefaultValue("{'class': 'SimpleStrategy', 'replication_factor': 1}") String replication,
        @DefaultValue("user/") Set<String> subjectPrefixes,
        @DefaultValue Registry registry,
        @DefaultValue Index index,
        @DefaultValue Requests requests,
        @DefaultValue Exports exports,
        @DefaultValue S3 s3,
        @DefaultValue Erasure erasure,
        @DefaultValue Job job) {

    /** The exports bucket's root as the jobs see it: {@code job.exports}, or {@code s3a://<exports.bucket>}. */
    public String jobExports() {
        return job.exports() == null || job.exports().isBlank() ? "s3a://" + exports.bucket() : job.exports();
    }

    /** @param userInfo {@code user:password}, if reads need authentication */
    public record Registry(@DefaultValue("http://localhost:8081") String url, String userInfo) {

        @Override
        public String toString() {
            return "Registry[url=" + url + ", userInfo=" + (userInfo == null ? "none" : "***") + "]";
        }
    }

    /**
     * @param validTopicPrefix every topic with it is indexed ({@code events.valid.<type>}) ...
     * @param deadLetterTopic ... but this one
     * @param groupId the indexer's consumer group (its own: it reads every valid topic from its start)
     * @param maxPollRecords records per batch at most
     * @param topicDiscoveryInterval how soon a new event type's topic is indexed
     * @param maxInFlight index and relation write batches in flight at once per consumer batch
     * @param concurrency consumers of the indexer in this instance (each its own thread, its own partitions): some
     *        decode while the others wait for Cassandra
     */
    public record Index(@DefaultValue("events.valid.") String validTopicPrefix,
            @DefaultValue("events.valid.dlt") String deadLetterTopic,
            @DefaultValue("privacy-indexer") String groupId,
            @DefaultValue("2000") int maxPollRecords,
            @DefaultValue("10s") Duration topicDiscoveryInterval,
            @DefaultValue("64") int maxInFlight,
            @DefaultValue("4") int concurrency) {
    }

    /**
     * @param deadline from receipt to the legal deadline (GDPR Art. 12(3): one month)
     * @param maxExtension the longest one extension may add (Art. 12(3): two further months)
     * @param batchEvery a batch is formed when the oldest queued request has waited this long ...
     * @param batchSize ... or when this many are queued (and at most this many go in one run)
     * @param tick how often the queue and the running job are looked at
     * @param scopeDepth how many hops of the relations graph a request's scope follows (1: a user's products, not
     *        the products' other buyers)
     * @param maxScopeEntities a scope larger than this fails the request instead of reading half the lake
     * @param fallbackDays when the index cannot answer for some hours of a type, how far back those hours are scanned
     * @param listMonths how many months back {@code GET /requests} looks
     * @param retention what each store keeps, as every export's manifest states it
     */
    public record Requests(@DefaultValue("P1M") Period deadline,
            @DefaultValue("P2M") Period maxExtension,
            @DefaultValue("2m") Duration batchEvery,
            @DefaultValue("20") int batchSize,
            @DefaultValue("2s") Duration tick,
            @DefaultValue("1") int scopeDepth,
            @DefaultValue("1000") int maxScopeEntities,
            @DefaultValue("400") int fallbackDays,
            @DefaultValue("15") int listMonths,
            Map<String, String> retention) {

        public Requests {
            retention = retention == null || retention.isEmpty() ? Map.of(
                    "landing (Cassandra)", "7 days from landing (the table's TTL)",
                    "tier zero (S3, no person reads it)", "kept until erased",
                    "reservoirs (S3, per team, anonymized)", "each reservoir's retention in days (governance service)",
                    "access exports", "until the subject is erased or the export is replaced")
                    : Map.copyOf(retention);
        }
    }

    /**
     * @param bucket the exports bucket; zips are {@code access/<request>.zip}, batch specs {@code _batches/}
     * @param linkExpiry how long a pre-signed download link is valid
     */
    public record Exports(@DefaultValue("sluice-exports") String bucket, @DefaultValue("5m") Duration linkExpiry) {
    }

    /**
     * @param forgottenTopic the forget-list's compacted topic, which dedup and the indexer follow; this service creates
     *        it (one partition: the list is small and read whole)
     * @param forgottenReplicationFactor of that topic when this service creates it
     * @param propagation how long after an entry is on the forget-list the rewrite may start: dedup and the indexer
     *        take it from the topic within a poll; an event landed in between is caught by the rewrite or the
     *        verification
     * @param writerLeaseTable tier zero's writer lease ({@code <keyspace>.<table>}, the datapump's): a rewrite runs
     *        only while it holds the lease, so no dump writes an hour it rewrites; missing (no datapump): no wait
     * @param writerLease how long the lease lasts unless renewed (the run renews it while it lasts)
     * @param verifyEvery how often the verification runs again while reservoirs are still being recomputed
     * @param reservoirWait how long the reservoirs may take to be recomputed after the rewrite before the request
     *        fails (retry it once the datapump has caught up)
     */
    public record Erasure(@DefaultValue("privacy.forgotten") String forgottenTopic,
            @DefaultValue("1") short forgottenReplicationFactor,
            @DefaultValue("5s") Duration propagation,
            @DefaultValue("sluice.lake_writers") String writerLeaseTable,
            @DefaultValue("60s") Duration writerLease,
            @DefaultValue("15s") Duration verifyEvery,
            @DefaultValue("30m") Duration reservoirWait) {
    }

    /**
     * @param endpoint an S3-compatible endpoint; empty for AWS
     * @param accessKey with {@code secretKey}; empty: the default AWS credential chain (IRSA on Kubernetes)
     */
    public record S3(String endpoint, @DefaultValue("us-east-1") String region, String accessKey, String secretKey,
            @DefaultValue("false") boolean pathStyleAccess) {

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", keys=" + (accessKey == null ? "chain" : "***") + "]";
        }
    }

    /**
     * The access and erasure jobs' launch (the same settings as the datapump's, see platform-spring's
     * {@link LaunchSettings}) and what they are given.
     *
     * @param lake tier zero's root, as the job sees it
     * @param tierOne tier one's root (the reservoirs), which the erasure's verification scans
     * @param exports the exports bucket's root as the job sees it; {@code s3a://<exports.bucket>} when empty
     * @param legalHold the legal-hold bucket's root, where an erasure copies what it removes
     * @param registryUrl the schema registry as the job sees it
     * @param cassandra the landing table's contact points as the job sees them; empty: this service's
     * @param keyspace the landing table's keyspace
     * @param kafka the brokers as the job sees them (partition notices, the reservoirs' policies); empty: this service's
     * @param masterKeyFile the platform master key's file, handed to the erasure job as {@code SLUICE_MASTER_KEY_FILE};
     *        empty: the job inherits this service's {@code SLUICE_MASTER_KEY} or {@code SLUICE_MASTER_KEY_FILE}
     */
    public record Job(@DefaultValue("local") String launcher,
            @DefaultValue("file:///tmp/sluice/lake/tier0") String lake,
            @DefaultValue("file:///tmp/sluice/lake/tier1") String tierOne,
            String exports,
            @DefaultValue("file:///tmp/sluice/legal-hold") String legalHold,
            @DefaultValue("http://localhost:8081") String registryUrl,
            String cassandra,
            @DefaultValue("sluice") String keyspace,
            String kafka,
            @DefaultValue("lake.partitions") String partitionsTopic,
            @DefaultValue("governance.changes") String changesTopic,
            @DefaultValue("lake-jobs/target/job") Path dir,
            Path javaHome,
            @DefaultValue("1g") String heap,
            @DefaultValue("0") int cores,
            @DefaultValue("spark-submit") List<String> sparkSubmit,
            @DefaultValue("lake-jobs.jar") String jar,
            @DefaultValue("2h") Duration timeout,
            @DefaultValue("/tmp/sluice/privacy/runs") Path logs,
            Map<String, String> hadoop,
            String s3AccessKey,
            String s3SecretKey,
            String masterKeyFile) {

        public LaunchSettings toLaunchSettings() {
            return new LaunchSettings(launcher, dir, javaHome, heap, cores, sparkSubmit, jar, timeout, logs, hadoop,
                    s3AccessKey, s3SecretKey, masterKeyFile);
        }

        @Override
        public String toString() {
            return "Job[launcher=" + launcher + ", lake=" + lake + ", tierOne=" + tierOne + ", exports=" + exports
                    + ", legalHold=" + legalHold + ", dir=" + dir + "]";
        }
    }
}
