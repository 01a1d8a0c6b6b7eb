package dev.sluice.spring.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * The Kafka client settings of a service: the bootstrap servers and the shared extras ({@code sluice.runtime.kafka.*}:
 * TLS, SASL), to which each consumer or producer adds its own.
 */
public final class KafkaClients {

    private final Map<String, Object> common;

    public KafkaClients(String bootstrapServers, Map<String, String> extra) {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.common = Map.copyOf(settings);
    }

    /** For an admin client, or as the base of one's own. */
    public Map<String, Object> common() {
        return common;
    }

    /**
     * A consumer in a group that reads only committed records from the start of what it has not committed, and
     * commits itself (the listener container does, after each batch).
     */
    public Map<String, Object> consumer(String groupId, int maxPollRecords) {
        Map<String, Object> consumer = new HashMap<>(common);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        return consumer;
    }

    /** A producer whose sends are acknowledged by every in-sync replica, without duplicates on retry. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> producer = new HashMap<>(common);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return producer;
    }
}
