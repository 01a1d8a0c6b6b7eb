package dev.sluice.datapump;

import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import dev.sluice.core.topics.Topics;
import dev.sluice.datapump.launch.LakeJobs;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.datapump.reservoirs.PolicyListener;
import dev.sluice.datapump.reservoirs.ReservoirPlanner;
import dev.sluice.datapump.reservoirs.TierZeroNoticeListener;
import dev.sluice.datapump.runs.RunStore;
import dev.sluice.datapump.schedule.DirtyHourListener;
import dev.sluice.datapump.schedule.Pump;
import dev.sluice.spring.kafka.DeadLetters;
import dev.sluice.spring.kafka.KafkaClients;
import dev.sluice.spring.kafka.KafkaStages;
import dev.sluice.spring.kafka.ReadFromStart;
import dev.sluice.spring.runtime.GuardedLoop;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.RuntimeProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * The datapump's stages: {@code dirty-hours}, the listener container that reads the dirty-hour notices;
 * {@code policies}, the one that reads the governance service's change feed; {@code tier-zero-notices}, the one
 * that turns written tier-zero partitions into reservoir work; and {@code pump}, the guarded loop that schedules and
 * watches the runs of both jobs.
 */
@Configuration
class PumpConfiguration {

    @Bean
    LakeJobs lakeJobs(DatapumpProperties properties, @Value("${spring.kafka.bootstrap-servers}") String kafka,
            @Value("${spring.cassandra.contact-points}") String cassandra,
            @Value("${spring.cassandra.local-datacenter}") String datacenter) {
        DatapumpProperties.Job job = properties.job();
        return new LakeJobs(job, job.cassandra() == null || job.cassandra().isBlank() ? cassandra : job.cassandra(),
                datacenter, properties.keyspace(),
                job.kafkaBootstrapServers() == null || job.kafkaBootstrapServers().isBlank() ? kafka : job.kafkaBootstrapServers(),
                properties.partitionsTopic(), properties.changesTopic(), properties.forgottenTopic());
    }

    /** The datapump owns the partitions topic and the lake's dead-letter topic (Topics). */
    @Bean
    PumpTopics pumpTopics(KafkaClients kafka, DatapumpProperties properties) {
        try (Admin admin = Admin.create(kafka.common())) {
            Topics.PARTITIONS_SPEC.named(properties.partitionsTopic()).createIfMissing(admin, 4, (short) 1, Duration.ofSeconds(30));
            Topics.LAKE_DEAD_LETTERS_SPEC.named(properties.deadLetterTopic())
                    .createIfMissing(admin, 1, (short) 1, Duration.ofSeconds(30));
        }
        return new PumpTopics();
    }

    /** Marks that the topics exist before anything writes to them. */
    static final class PumpTopics {
    }

    /** Reads the change feed whole at every start; the planner waits for it. */
    @Bean
    ReadFromStart policiesFromStart() {
        return new ReadFromStart();
    }

    @Bean
    ReservoirPlanner reservoirPlanner(DatapumpProperties properties, ReadFromStart policiesFromStart) {
        DatapumpProperties.Reservoirs reservoirs = properties.reservoirs();
        return new ReservoirPlanner(new ReservoirPlanner.Settings(reservoirs.evaluateEvery(), reservoirs.retentionEvery(),
                reservoirs.tierZeroRetentionDays(), reservoirs.maxTasksPerRun(), properties.backoff().toBackoff()),
                SchemaRegistryClient.builder(properties.job().registryUrl()).build(), policiesFromStart::caughtUp,
                Clock.systemUTC());
    }

    @Bean(destroyMethod = "stop")
    Pump pump(DatapumpProperties properties, LakeJobs launcher, ReservoirPlanner reservoirPlanner,
            ObjectProvider<CqlSessionBuilder> sessions, MeterRegistry meters) {
        return new Pump(properties, () -> RunStore.open(sessions.getObject().build(), properties.keyspace(),
                properties.replication()), launcher, reservoirPlanner, meters, Clock.systemUTC());
    }

    @Bean(destroyMethod = "destroy")
    DefaultKafkaProducerFactory<byte[], byte[]> pumpProducers(KafkaClients kafka, PumpTopics topics) {
        return new DefaultKafkaProducerFactory<>(kafka.producer("datapump"), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Bean
    DirtyHourListener dirtyHourListener(Pump pump, DatapumpProperties properties,
            DefaultKafkaProducerFactory<byte[], byte[]> pumpProducers) {
        return new DirtyHourListener(pump, new DeadLetters(new KafkaTemplate<>(pumpProducers), properties.deadLetterTopic()));
    }

    /** Every start reads the compacted topic from its beginning: the latest notice of every hour. */
    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> dirtyHoursContainer(KafkaStages stages, KafkaClients kafka,
            DatapumpProperties properties, DirtyHourListener listener) {
        return stages.container("dirty-hours", kafka.consumer(properties.groupId(), 5000))
                .topics(properties.dirtyHoursTopic())
                .listener(listener)
                .onRebalance(listener.fromStart())
                .build();
    }

    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> policiesContainer(KafkaStages stages, KafkaClients kafka,
            DatapumpProperties properties, ReservoirPlanner reservoirPlanner, ReadFromStart policiesFromStart,
            DefaultKafkaProducerFactory<byte[], byte[]> pumpProducers) {
        PolicyListener listener = new PolicyListener(reservoirPlanner,
                new DeadLetters(new KafkaTemplate<>(pumpProducers), properties.deadLetterTopic()), policiesFromStart);
        return stages.container("policies", kafka.consumer(properties.groupId() + "-policies", 500))
                .topics(properties.changesTopic())
                .listener(listener)
                .onRebalance(policiesFromStart)
                .build();
    }

    /** Tier-zero notices become reservoir work, stored before the offsets are committed. */
    @Bean
    ConcurrentMessageListenerContainer<byte[], byte[]> tierZeroNoticesContainer(KafkaStages stages, KafkaClients kafka,
            DatapumpProperties properties, ReservoirPlanner reservoirPlanner,
            DefaultKafkaProducerFactory<byte[], byte[]> pumpProducers, PumpTopics topics) {
        TierZeroNoticeListener listener = new TierZeroNoticeListener(reservoirPlanner,
                new DeadLetters(new KafkaTemplate<>(pumpProducers), properties.deadLetterTopic()), Clock.systemUTC());
        return stages.container("tier-zero-notices", kafka.consumer(properties.reservoirs().groupId(), 500))
                .topics(properties.partitionsTopic())
                .listener(listener)
                .build();
    }

    @Bean
    GuardedLoop pumpLoop(PipelineStages stages, DatapumpProperties properties, RuntimeProperties runtime, Pump pump) {
        return new GuardedLoop(stages.stage("pump"), properties.tick(), runtime.backoff().toBackoff(), pump::turn);
    }
}
