package dev.sluice.gatekeeper.pipeline;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.gatekeeper.GatekeeperProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka clients, the schema catalog and the loop, which runs on its own thread while the application runs. */
@Configuration
class PipelineConfiguration {

    @Bean(destroyMethod = "close")
    Admin gatekeeperAdmin(Map<String, Object> gatekeeperKafka) {
        return Admin.create(gatekeeperKafka);
    }

    @Bean
    Map<String, Object> gatekeeperKafka(GatekeeperProperties properties,
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        Map<String, Object> kafka = new HashMap<>(properties.kafka());
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return kafka;
    }

    @Bean
    SchemaCatalog schemaCatalog(GatekeeperProperties properties) {
        GatekeeperProperties.Registry registry = properties.registry();
        SchemaRegistryClient client = SchemaRegistryClient.builder(registry.url()).userInfo(registry.userInfo())
                .latestTtl(registry.latestTtl()).build();
        return new SchemaCatalog(client, properties.dropUnknownFields(), registry.unknownTypeTtl());
    }

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

    @Bean
    GatekeeperLoop gatekeeperLoop(GatekeeperProperties properties, Map<String, Object> gatekeeperKafka,
            SchemaCatalog catalog, TopicCreator topics, MeterRegistry meters) {
        Map<String, Object> consumer = new HashMap<>(gatekeeperKafka);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "gatekeeper-" + properties.transactionalId());
        Map<String, Object> producer = new HashMap<>(gatekeeperKafka);
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.transactionalId());
        producer.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) properties.transactionTimeout().toMillis());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a poll's events leave in few large batches: per-request overhead, not bytes, limits a 2-core broker
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, properties.compression());
        producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) rejectedRecordLimit(properties));
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "gatekeeper-" + properties.transactionalId());
        return new GatekeeperLoop(properties,
                new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                () -> new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer()),
                catalog, topics, meters, Clock.systemUTC());
    }

    /** A rejection holds the original (base64 makes it 4/3 larger) plus a few hundred bytes. */
    static long rejectedRecordLimit(GatekeeperProperties properties) {
        return properties.topics().maxRawMessageSize().toBytes() * 3 / 2 + (1 << 20);
    }

    @Bean
    SmartLifecycle gatekeeperRunner(GatekeeperLoop loop) {
        return new SmartLifecycle() {
            private Thread thread;

            @Override
            public void start() {
                thread = new Thread(loop, "gatekeeper-loop");
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

    @Bean
    HealthIndicator gatekeeperHealth(GatekeeperLoop loop) {
        return () -> {
            if (!loop.isAlive()) {
                return Health.down().withDetail("loop", "stopped").build();
            }
            String paused = loop.pausedBecause();
            return paused == null ? Health.up().build()
                    : Health.up().withDetail("paused", "schema registry unavailable: " + paused).build();
        };
    }

}
