package dev.sluice.core.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What a topic is: its name and the settings that make it what its readers expect (compacted, how long it keeps
 * records). Every topic has exactly one owner, the service that creates it at start with {@link #createIfMissing};
 * the others only read or write it. Partitions and replication are the owner's settings, given at creation.
 * The platform's topics and their owners are listed in {@link Topics}.
 *
 * @param configs Kafka topic configs ({@code cleanup.policy}, {@code retention.ms}, ...)
 */
public record TopicSpec(String name, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        configs = Map.copyOf(configs);
    }

    /** Compacted: the latest record per key is what counts, and a reader that starts late sees every key's. */
    public static TopicSpec compacted(String name) {
        return new TopicSpec(name, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** Deleted after {@code retention}. */
    public static TopicSpec retained(String name, Duration retention) {
        return new TopicSpec(name, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
    }

    /** Kept until someone deletes it (dead letters). */
    public static TopicSpec keptForever(String name) {
        return new TopicSpec(name, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
    }

    /** The same topic under another name (names are configurable). */
    public TopicSpec named(String other) {
        return new TopicSpec(other, configs);
    }

    public TopicSpec with(String config, String value) {
        Map<String, String> more = new HashMap<>(configs);
        more.put(config, value);
        return new TopicSpec(name, more);
    }

    public boolean isCompacted() {
        return TopicConfig.CLEANUP_POLICY_COMPACT.equals(configs.get(TopicConfig.CLEANUP_POLICY_CONFIG));
    }

    public NewTopic newTopic(int partitions, short replicationFactor) {
        return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor)).configs(configs);
    }

    /**
     * Creates the topic unless it exists (an existing one is left as it is): the owner calls this at start.
     *
     * @return whether this call created it
     */
    public boolean createIfMissing(Admin admin, int partitions, short replicationFactor, Duration timeout) {
        return TopicCreation.createIfMissing(admin, newTopic(partitions, replicationFactor), timeout);
    }
}
