package dev.sluice.datapump;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import dev.sluice.core.topics.TopicCreation;
import dev.sluice.datapump.launch.JobLauncher;
import dev.sluice.datapump.runs.RunStore;
import dev.sluice.datapump.schedule.PumpLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka consumer, the run store, the launcher and the loop, which runs on its own thread. */
@Configuration
class PumpConfiguration {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Bean
    JobLauncher jobLauncher(DatapumpProperties properties, @Value("${spring.kafka.bootstrap-servers}") String kafka,
            @Value("${spring.cassandra.contact-points}") String cassandra,
            @Value("${spring.cassandra.local-datacenter}") String datacenter) {
        DatapumpProperties.Job job = properties.job();
        return new JobLauncher(job, job.cassandra() == null || job.cassandra().isBlank() ? cassandra : job.cassandra(),
                datacenter, properties.keyspace(),
                job.kafkaBootstrapServers() == null || job.kafkaBootstrapServers().isBlank() ? kafka : job.kafkaBootstrapServers(),
                properties.partitionsTopic());
    }

    @Bean
    PumpLoop pumpLoop(DatapumpProperties properties, JobLauncher launcher, ObjectProvider<CqlSessionBuilder> sessions,
            MeterRegistry meters, @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        Map<String, Object> kafka = new HashMap<>(properties.kafka());
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        ensureTopics(properties, kafka);
        Map<String, Object> consumer = new HashMap<>(kafka);
        // no group: every start reads the compacted topic from its start (assign, not subscribe)
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "datapump");
        return new PumpLoop(properties, new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                () -> RunStore.open(sessions.getObject().build(), properties.keyspace(), properties.replication()),
                launcher, meters, Clock.systemUTC());
    }

    /**
     * The dirty-hours topic, compacted as dedup creates it (whichever starts first), and the partitions topic,
     * whose notices are events for several consumers (the catalog, reservoirs later), kept by time, not compacted.
     */
    static void ensureTopics(DatapumpProperties properties, Map<String, Object> kafka) {
        try (Admin admin = Admin.create(kafka)) {
            TopicCreation.createIfMissing(admin, new NewTopic(properties.dirtyHoursTopic(), Optional.of(4), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)), TIMEOUT);
            TopicCreation.createIfMissing(admin, new NewTopic(properties.partitionsTopic(), Optional.of(4), Optional.empty())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TimeUnit.DAYS.toMillis(30)))), TIMEOUT);
        }
    }

    @Bean
    SmartLifecycle pumpRunner(PumpLoop loop) {
        return new SmartLifecycle() {
            private Thread thread;

            @Override
            public void start() {
                thread = new Thread(loop, "datapump-loop");
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

    /** UP while pumping; OUT_OF_SERVICE (503) while Cassandra is unreachable, with the reason; DOWN if the loop died. */
    @Bean
    HealthIndicator datapumpHealth(PumpLoop loop) {
        return () -> {
            if (!loop.isAlive()) {
                return Health.down().withDetail("loop", "stopped").build();
            }
            String paused = loop.pausedBecause();
            return paused == null ? Health.up().withDetail("pending", loop.pending().size()).build()
                    : Health.outOfService().withDetail("paused", paused).build();
        };
    }
}
