package dev.sluice.dedup;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the dedup service ({@code sluice.dedup.*}; environment {@code SLUICE_DEDUP_...}). The Cassandra
 * connection itself is Spring Boot's {@code spring.cassandra.*} ({@code CASSANDRA_CONTACT_POINTS}, ...); the pause
 * while Cassandra, the registry or Kafka is away and extra Kafka client settings are the shared {@code sluice.runtime.*}.
 *
 * @param validTopicPrefix every topic {@code <prefix><type>} is consumed (a pattern subscription), except the
 *        dead-letter topic
 * @param deadLetterTopic records that cannot be decoded go here, unchanged, with the reason in headers
 * @param dirtyHoursTopic compacted; one notice per hour that events landed in
 * @param groupId the consumer group: instances with the same group share the valid topics' partitions
 * @param maxPollRecords events per batch at most (one wait for Cassandra, one offset commit)
 * @param topicDiscoveryInterval how soon the topic of a new event type is consumed
 * @param recentIds how many recently landed event ids each instance remembers: a duplicate of one of them is
 *        counted and not written again (an older duplicate is written again onto the same row, uncounted)
 * @param landing where and how events land
 * @param topics partitions and replication of the topics this service creates
 * @param registry the schema registry that the serde reads writer schemas from
 * @param forgottenTopic the forget-list (compacted, keyed hashes of erased subjects; the privacy-requests service's):
 *        events that mention one are dropped, counted as {@code forgotten}
 */
@ConfigurationProperties("sluice.dedup")
public record DedupProperties(
        @DefaultValue("events.valid.") String validTopicPrefix,
        @DefaultValue("events.valid.dlt") String deadLetterTopic,
        @DefaultValue("lake.dirty-hours") String dirtyHoursTopic,
        @DefaultValue("dedup") String groupId,
        @DefaultValue("20000") int maxPollRecords,
        @DefaultValue("10s") Duration topicDiscoveryInterval,
        @DefaultValue("500000") int recentIds,
        @DefaultValue Landing landing,
        @DefaultValue Topics topics,
        @DefaultValue Registry registry,
        @DefaultValue("privacy.forgotten") String forgottenTopic) {

    /**
     * @param keyspace holds the landing table
     * @param replication of the keyspace when this service creates it (CQL map)
     * @param defaultTtl the landing table's {@code default_time_to_live}, set at start
     * @param ttl per event type, a TTL other than the default
     * @param maxInFlight write requests in flight at most (each a single-partition batch)
     * @param batchRows rows per write request at most; rows of one (event type, hour) travel together, which costs
     *        Cassandra one mutation instead of one per row (1 writes row by row)
     * @param reconnectMaxDelay the longest wait between the driver's attempts to reach a node that went away
     */
    public record Landing(@DefaultValue("sluice") String keyspace,
            @DefaultValue("{'class': 'SimpleStrategy', 'replication_factor': 1}") String replication,
            @DefaultValue("7d") Duration defaultTtl, Map<String, Duration> ttl,
            @DefaultValue("32") int maxInFlight, @DefaultValue("50") int batchRows,
            @DefaultValue("5s") Duration reconnectMaxDelay) {

        public Landing {
            ttl = ttl == null ? Map.of() : Map.copyOf(ttl);
        }
    }

    /**
     * @param partitions of the dirty-hours and dead-letter topics, when this service creates them
     * @param replicationFactor of those topics
     */
    public record Topics(@DefaultValue("4") int partitions, @DefaultValue("1") short replicationFactor) {
    }

    /** @param userInfo {@code user:password}, if reads need authentication */
    public record Registry(@DefaultValue("http://localhost:8081") String url, String userInfo) {

        @Override
        public String toString() {
            return "Registry[url=" + url + ", userInfo=" + (userInfo == null ? "none" : "***") + "]";
        }
    }
}
