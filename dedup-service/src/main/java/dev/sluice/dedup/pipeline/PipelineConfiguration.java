package dev.sluice.dedup.pipeline;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.dedup.DedupProperties;
import dev.sluice.dedup.landing.LandingTable;
import dev.sluice.spring.kafka.DeadLetters;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import dev.sluice.spring.privacy.ForgetListFollower;
import dev.sluice.spring.runtime.GuardedLoop;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.RuntimeProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.cassandra.autoconfigure.DriverConfigLoaderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The dedup service's stages: {@code landing-connection}, which opens the landing table (retrying while Cassandra
 * is away) and then starts {@code dedup}, the listener container that lands the valid topics' events; and
 * {@code forget-list}, which follows the erased subjects' list (dedup waits until it is read whole).
 */
@Configuration
class PipelineConfiguration {

    /** A node that comes back is found again within seconds, not the driver's default of up to a minute. */
    @Bean
    DriverConfigLoaderBuilderCustomizer landingReconnection(DedupProperties properties) {
        return builder -> builder.withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY,
                properties.landing().reconnectMaxDelay());
    }

    /** The dedup service owns the dirty-hours and the valid dead-letter topics (Topics). */
    @Bean
    DedupTopics dedupTopics(KafkaClients kafka, DedupProperties properties) {
        DedupProperties.Topics topics = properties.topics();
        try (Admin admin = Admin.create(kafka.common())) {
            Topics.DIRTY_HOURS_SPEC.named(properties.dirtyHoursTopic())
                    .createIfMissing(admin, topics.partitions(), topics.replicationFactor(), Duration.ofSeconds(30));
            Topics.VALID_DEAD_LETTERS_SPEC.named(properties.deadLetterTopic())
                    .createIfMissing(admin, topics.partitions(), topics.replicationFactor(), Duration.ofSeconds(30));
        }
        return new DedupTopics();
    }

    /** Marks that the topics exist before anything writes to them. */
    static final class DedupTopics {
    }

    @Bean
    LandingConnection landingConnection(DedupProperties properties, ObjectProvider<CqlSessionBuilder> sessions) {
        DedupProperties.Landing landing = properties.landing();
        return new LandingConnection(() -> LandingTable.open(sessions.getObject().build(), landing.keyspace(),
                landing.replication(), landing.defaultTtl(), landing.ttl(), landing.maxInFlight(), landing.batchRows()));
    }

    @Bean(destroyMethod = "destroy")
    DefaultKafkaProducerFactory<byte[], byte[]> dedupProducers(KafkaClients kafka, DedupProperties properties,
            MeterRegistry meters, DedupTopics topics) {
        Map<String, Object> producer = kafka.producer("dedup-" + properties.groupId());
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        DefaultKafkaProducerFactory<byte[], byte[]> factory = new DefaultKafkaProducerFactory<>(producer,
                new ByteArraySerializer(), new ByteArraySerializer());
        factory.addListener(new MicrometerProducerListener<>(meters));
        return factory;
    }

    /** This instance's copy of the forget-list; dedup lands nothing until it has read it whole. */
    @Bean
    ForgetListFollower forgetList() {
        return ForgetListFollower.fromEnvironment(System.getenv());
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> forgetListContainer(KafkaStages stages, KafkaClients kafka,
            DedupProperties properties, ForgetListFollower forgetList) {
        return forgetList.container(stages, kafka, "forget-list", properties.forgottenTopic(),
                properties.groupId() + "-forget-list");
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> dedupContainer(KafkaStages stages, KafkaClients kafka,
            DedupProperties properties, LandingConnection landing, DefaultKafkaProducerFactory<byte[], byte[]> dedupProducers,
            MeterRegistry meters, ForgetListFollower forgetList) {
        DedupProperties.Registry registry = properties.registry();
        SchemaRegistryClient client = SchemaRegistryClient.builder(registry.url()).userInfo(registry.userInfo()).build();
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(dedupProducers);
        DedupListener listener = new DedupListener(properties, landing::table, new EventDecoder(client),
                new DeadLetters(template, properties.deadLetterTopic()), template, meters, Clock.systemUTC(),
                forgetList::current, new ForgottenEvents(client));
        Map<String, Object> consumer = kafka.consumer(properties.groupId(), properties.maxPollRecords());
        // how soon a new event type's topic matches the subscription pattern
        consumer.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) properties.topicDiscoveryInterval().toMillis());
        // many topics of few partitions: spread every topic's partitions, and move few at a rebalance
        consumer.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class));
        return stages.container("dedup", consumer)
                .topicPattern(DedupListener.validTopics(properties.validTopicPrefix(), properties.deadLetterTopic()))
                .listener(listener)
                .startLater() // once the landing table is open
                .build();
    }

    /** Opens the landing table, retrying while Cassandra is away, then starts landing. */
    @Bean
    GuardedLoop landingConnectionLoop(PipelineStages stages, RuntimeProperties runtime, LandingConnection landing,
            ConcurrentMessageListenerContainer<byte[], byte[]> dedupContainer) {
        return new GuardedLoop(stages.stage("landing-connection"), Duration.ofSeconds(1), runtime.backoff().toBackoff(),
                () -> {
                    if (landing.open()) {
                        dedupContainer.start();
                    }
                });
    }
}
