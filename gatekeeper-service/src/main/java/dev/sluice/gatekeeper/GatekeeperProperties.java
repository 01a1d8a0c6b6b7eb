package dev.sluice.gatekeeper;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the gatekeeper ({@code sluice.gatekeeper.*}; environment {@code SLUICE_GATEKEEPER_...}). The pause
 * while the registry is unreachable and extra Kafka client settings are the shared {@code sluice.runtime.*}.
 *
 * @param rawTopic where producers send JSON events
 * @param validTopicPrefix valid events go to {@code <prefix><type>}
 * @param rejectedTopic where rejections go
 * @param groupId the consumer group: instances with the same group share the partitions of {@code rawTopic}
 * @param transactionalId unique and stable per instance, so a restarted instance aborts what it left open
 * @param transactionTimeout how long an instance that died mid-transaction can hold back read_committed readers
 * @param maxEventSize larger events are rejected as TOO_LARGE
 * @param maxDepth deeper nesting is rejected as TOO_DEEP
 * @param dropUnknownFields event types whose undeclared fields are dropped and counted instead of rejected
 * @param maxPollRecords events per transaction at most
 * @param compression of the records the gatekeeper produces (Kafka's compression.type)
 * @param topics partitions and replication of the topics the gatekeeper creates
 */
@ConfigurationProperties("sluice.gatekeeper")
public record GatekeeperProperties(
        @DefaultValue("events.raw") String rawTopic,
        @DefaultValue("events.valid.") String validTopicPrefix,
        @DefaultValue("events.rejected") String rejectedTopic,
        @DefaultValue("gatekeeper") String groupId,
        @DefaultValue("gatekeeper-local") String transactionalId,
        @DefaultValue("15s") Duration transactionTimeout,
        @DefaultValue("1MB") DataSize maxEventSize,
        @DefaultValue("64") int maxDepth,
        Set<String> dropUnknownFields,
        @DefaultValue("5000") int maxPollRecords,
        @DefaultValue("lz4") String compression,
        @DefaultValue Topics topics,
        @DefaultValue Registry registry) {

    public GatekeeperProperties {
        dropUnknownFields = dropUnknownFields == null ? Set.of() : Set.copyOf(dropUnknownFields);
    }

    /**
     * @param partitions of the topics the gatekeeper creates (raw, rejected, each valid topic)
     * @param replicationFactor of those topics
     * @param maxRawMessageSize the largest record the raw topic takes (when the gatekeeper creates it), so that
     *        an oversized event reaches the gatekeeper and is rejected as TOO_LARGE rather than refused to its producer
     * @param validRetentionBytes size retention per partition of the valid topics it creates, which have no time
     *        retention: their timestamps are event times, and a late event would fall out of time retention at once
     */
    public record Topics(@DefaultValue("4") int partitions, @DefaultValue("1") short replicationFactor,
            @DefaultValue("16MB") DataSize maxRawMessageSize, @DefaultValue("1GB") DataSize validRetentionBytes) {
    }

    /**
     * @param url the schema registry (Sluice's or any Confluent-compatible one)
     * @param userInfo {@code user:password}, if reads need authentication
     * @param latestTtl how soon a newly registered version is used for events that name no version
     * @param unknownTypeTtl how long "no such event type" is remembered, so a flood of unknown types does not
     *        become a flood of registry requests
     */
    public record Registry(@DefaultValue("http://localhost:8081") String url, String userInfo,
            @DefaultValue("10s") Duration latestTtl, @DefaultValue("10s") Duration unknownTypeTtl) {

        @Override
        public String toString() {
            return "Registry[url=" + url + ", userInfo=" + (userInfo == null ? "none" : "***") + "]";
        }
    }
}
