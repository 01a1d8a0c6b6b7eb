package dev.sluice.governance;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the governance service ({@code sluice.governance.*}; environment {@code SLUICE_GOVERNANCE_...}). The
 * Cassandra connection is Spring Boot's {@code spring.cassandra.*}; Kafka, security and the runtime are
 * platform-spring's.
 *
 * @param keyspace holds the governance tables
 * @param replication of the keyspace when this service creates it (CQL map)
 * @param changesTopic the compacted topic of every reservoir's policy snapshot (this service creates it)
 * @param topics partitions and replication of that topic
 * @param registry where the event schemas are (for the policy view and the exposure check of rule changes)
 * @param upkeepTick how often expired grants and rules are reverted and unpublished revisions published
 * @param maxGrantDuration the longest a grant may be asked or approved for
 * @param subjectPrefixes entity types that identify people (personal data by default)
 */
@ConfigurationProperties("sluice.governance")
public record GovernanceProperties(
        @DefaultValue("sluice") String keyspace,
        @DefaultValue("{'class': 'SimpleStrategy', 'replication_factor': 1}") String replication,
        @DefaultValue("governance.changes") String changesTopic,
        @DefaultValue Topics topics,
        @DefaultValue Registry registry,
        @DefaultValue("10s") Duration upkeepTick,
        @DefaultValue("365d") Duration maxGrantDuration,
        @DefaultValue("user/") Set<String> subjectPrefixes) {

    public record Topics(@DefaultValue("4") int partitions, @DefaultValue("1") short replicationFactor) {
    }

    /** @param userInfo {@code user:password}, if reads need authentication */
    public record Registry(@DefaultValue("http://localhost:8081") String url, String userInfo,
            @DefaultValue("10s") Duration latestTtl) {

        @Override
        public String toString() {
            return "Registry[url=" + url + ", userInfo=" + (userInfo == null ? "none" : "***") + "]";
        }
    }
}
