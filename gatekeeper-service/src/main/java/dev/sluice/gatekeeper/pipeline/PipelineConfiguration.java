package dev.sluice.gatekeeper.pipeline;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.gatekeeper.GatekeeperProperties;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** The schema catalog, the topics the gatekeeper owns, and its one stage: a transactional listener container. */
@Configuration
class PipelineConfiguration {

    @Bean(destroyMethod = "close")
    Admin gatekeeperAdmin(KafkaClients kafka) {
        return Admin.create(kafka.common());
    }

    @Bean
    SchemaCatalog schemaCatalog(GatekeeperProperties properties) {
        GatekeeperProperties.Registry registry = properties.registry();
        SchemaRegistryClient client = SchemaRegistryClient.builder(registry.url()).userInfo(registry.userInfo())
                .latestTtl(registry.latestTtl()).build();
        return new SchemaCatalog(client, properties.dropUnknownFields(), registry.unknownTypeTtl());
    }

    /** The gatekeeper owns the raw, rejected and valid topics (Topics). */
    @Bean
    TopicCreator topicCreator(Admin gatekeeperAdmin, GatekeeperProperties properties) {
        TopicCreator topics = new TopicCreator(gatekeeperAdmin, properties.validTopicPrefix(),
                properties.topics().partitions(), properties.topics().replicationFactor(),
                properties.topics().validRetentionBytes().toBytes());
        // raw events up to max-raw-message-size reach the gatekeeper, which rejects those over max-event-size; a
        // rejection carries the original, so the rejected topic takes larger records still
        topics.ensure(properties.rawTopic(), Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Long.toString(properties.topics().maxRawMessageSize().toBytes())));
        topics.ensure(properties.rejectedTopic(), Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Long.toString(rejectedRecordLimit(properties))));
        return topics;
    }

    /**
     * Transactional producers, one per consumer of the container: the transactional id is the prefix plus a
     * suffix, stable per instance, so a restarted instance aborts what it left open.
     */
    @Bean(destroyMethod = "destroy")
    DefaultKafkaProducerFactory<byte[], byte[]> gatekeeperProducers(KafkaClients kafka, GatekeeperProperties properties,
            MeterRegistry meters) {
        Map<String, Object> producer = kafka.producer("gatekeeper-" + properties.transactionalId());
        producer.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) properties.transactionTimeout().toMillis());
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a poll's events leave in few large batches: per-request overhead, not bytes, limits a 2-core broker
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, properties.compression());
        producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) rejectedRecordLimit(properties));
        DefaultKafkaProducerFactory<byte[], byte[]> factory = new DefaultKafkaProducerFactory<>(producer,
                new ByteArraySerializer(), new ByteArraySerializer());
        factory.setTransactionIdPrefix(properties.transactionalId() + "-");
        factory.addListener(new MicrometerProducerListener<>(meters));
        return factory;
    }

    /** A rejection holds the original (base64 makes it 4/3 larger) plus a few hundred bytes. */
    static long rejectedRecordLimit(GatekeeperProperties properties) {
        return properties.topics().maxRawMessageSize().toBytes() * 3 / 2 + (1 << 20);
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> gatekeeperContainer(KafkaStages stages, KafkaClients kafka,
            GatekeeperProperties properties, DefaultKafkaProducerFactory<byte[], byte[]> gatekeeperProducers,
            SchemaCatalog catalog, TopicCreator topics, MeterRegistry meters) {
        GatekeeperListener listener = new GatekeeperListener(properties, new KafkaTemplate<>(gatekeeperProducers), catalog,
                topics, meters, Clock.systemUTC());
        return stages.container("gatekeeper", kafka.consumer(properties.groupId(), properties.maxPollRecords()))
                .topics(properties.rawTopic())
                .listener(listener)
                .transactional(gatekeeperProducers)
                .build();
    }
}
