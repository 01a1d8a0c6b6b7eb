package dev.sluice.dedup.pipeline;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.TopicCreation;
import dev.sluice.dedup.DedupProperties;
import dev.sluice.dedup.landing.LandingTable;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.cassandra.autoconfigure.DriverConfigLoaderBuilderCustomizer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka clients, the landing table and the loop, which runs on its own thread while the application runs. */
@Configuration
class PipelineConfiguration {

    @Bean
    Map<String, Object> dedupKafka(DedupProperties properties,
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        Map<String, Object> kafka = new HashMap<>(properties.kafka());
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return kafka;
    }

    /** A node that comes back is found again within seconds, not the driver's default of up to a minute. */
    @Bean
    DriverConfigLoaderBuilderCustomizer landingReconnection(DedupProperties properties) {
        return builder -> builder.withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY,
                properties.landing().reconnectMaxDelay());
    }

    @Bean
    DedupLoop dedupLoop(DedupProperties properties, Map<String, Object> dedupKafka,
            ObjectProvider<CqlSessionBuilder> sessions, MeterRegistry meters) {
        ensureTopics(properties, dedupKafka);
        Map<String, Object> consumer = new HashMap<>(dedupKafka);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        // how soon a new event type's topic matches the subscription pattern
        consumer.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) properties.topicDiscoveryInterval().toMillis());
        // many topics of few partitions: spread every topic's partitions, and move few at a rebalance
        consumer.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class));
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "dedup-" + properties.groupId());
        Map<String, Object> producer = new HashMap<>(dedupKafka);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "dedup-" + properties.groupId());
        DedupProperties.Registry registry = properties.registry();
        SchemaRegistryClient client = SchemaRegistryClient.builder(registry.url()).userInfo(registry.userInfo()).build();
        DedupProperties.Landing landing = properties.landing();
        return new DedupLoop(properties,
                new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer()),
                () -> LandingTable.open(sessions.getObject().build(), landing.keyspace(), landing.replication(),
                        landing.defaultTtl(), landing.ttl(), landing.maxInFlight(), landing.batchRows()),
                new EventDecoder(client), meters, Clock.systemUTC());
    }

    /** The dirty-hours topic (compacted: the latest notice per hour is what counts) and the dead-letter topic. */
    static void ensureTopics(DedupProperties properties, Map<String, Object> kafka) {
        DedupProperties.Topics topics = properties.topics();
        try (Admin admin = Admin.create(kafka)) {
            TopicCreation.createIfMissing(admin, new NewTopic(properties.dirtyHoursTopic(), Optional.of(topics.partitions()),
                    Optional.of(topics.replicationFactor()))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)), Duration.ofSeconds(30));
            // dead letters are kept until someone looks at them
            TopicCreation.createIfMissing(admin, new NewTopic(properties.deadLetterTopic(), Optional.of(topics.partitions()),
                    Optional.of(topics.replicationFactor())).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")), Duration.ofSeconds(30));
        }
    }

    @Bean
    SmartLifecycle dedupRunner(DedupLoop loop) {
        return new SmartLifecycle() {
            private Thread thread;

            @Override
            public void start() {
                thread = new Thread(loop, "dedup-loop");
                thread.start();
            }

            @Override
            public void stop() {
                loop.stop();
                try {
                    thread.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public boolean isRunning() {
                return thread != null && thread.isAlive();
            }
        };
    }

    /** UP while landing; OUT_OF_SERVICE (503) while waiting for Cassandra or the registry, with the reason; DOWN if the loop died. */
    @Bean
    HealthIndicator dedupHealth(DedupLoop loop) {
        return () -> {
            if (!loop.isAlive()) {
                return Health.down().withDetail("loop", "stopped").build();
            }
            String paused = loop.pausedBecause();
            return paused == null ? Health.up().build() : Health.outOfService().withDetail("paused", paused).build();
        };
    }
}
