package dev.sluice.gatekeeper.pipeline;

import dev.sluice.core.topics.TopicCreation;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates the topics the gatekeeper writes: the brokers do not create topics on first use (as in production), and
 * a new event type needs its {@code events.valid.<type>} topic without a deployment.
 */
public final class TopicCreator {

    private final Admin admin;
    private final String validPrefix;
    private final int partitions;
    private final short replicationFactor;
    private final Map<String, String> validConfigs;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /**
     * @param validRetentionBytes size retention of each partition of a valid topic. Valid topics keep records by
     *        size, never by time: their timestamps are event times, and Kafka's time retention would delete a late
     *        event (a phone offline for a week) the moment it is written.
     */
    public TopicCreator(Admin admin, String validPrefix, int partitions, short replicationFactor, long validRetentionBytes) {
        this.admin = admin;
        this.validPrefix = validPrefix;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.validConfigs = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(validRetentionBytes));
    }

    /** {@code events.valid.<type>}, created if it does not exist yet. */
    public String validTopic(String type) {
        String topic = validPrefix + type;
        ensure(topic, validConfigs);
        return topic;
    }

    public void ensure(String topic) {
        ensure(topic, Map.of());
    }

    /** @param configs topic configs for a new topic (an existing topic is left as it is) */
    public void ensure(String topic, Map<String, String> configs) {
        if (known.contains(topic)) {
            return;
        }
        TopicCreation.createIfMissing(admin, new NewTopic(topic, Optional.of(partitions), Optional.of(replicationFactor))
                .configs(configs), Duration.ofSeconds(30));
        known.add(topic);
    }
}
