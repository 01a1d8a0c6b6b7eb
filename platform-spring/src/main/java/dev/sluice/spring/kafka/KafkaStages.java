package dev.sluice.spring.kafka;

import dev.sluice.core.runtime.Backoff;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.spring.runtime.RuntimeProperties;
import dev.sluice.spring.runtime.Stage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.event.ConsumerFailedToStartEvent;
import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.KafkaEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.event.NonResponsiveConsumerEvent;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerPausingBackOffHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerContainerPauseService;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Every consuming stage of the platform is a spring-kafka listener container built here, the same way: a batch
 * listener; offsets committed after each batch (with the produced records in one transaction, exactly once, where
 * the stage produces: {@code EOSMode.V2}); a failure that is not about a record (a dependency down) retried with the
 * platform's {@link Backoff} for as long as it takes, the consumer paused but polling so the group keeps it; and the
 * container's life reported to its {@link Stage}: progress after each batch and idle poll, paused on failures, dead
 * when its consumer stops abnormally. Records that are themselves bad are the listener's to route to a dead-letter
 * topic ({@link DeadLetters}), and the rest of the batch goes on.
 */
public final class KafkaStages implements ApplicationListener<KafkaEvent> {

    private static final Logger log = LoggerFactory.getLogger(KafkaStages.class);

    private final PipelineStages stages;
    private final RuntimeProperties properties;
    private final MeterRegistry meters;
    private final TaskScheduler scheduler;
    private final Map<MessageListenerContainer, Stage> byContainer = new ConcurrentHashMap<>();

    public KafkaStages(PipelineStages stages, RuntimeProperties properties, MeterRegistry meters, TaskScheduler scheduler) {
        this.stages = stages;
        this.properties = properties;
        this.meters = meters;
        this.scheduler = scheduler;
    }

    /** A container for the stage of this name, consuming with these settings (see {@link KafkaClients#consumer}). */
    public Builder container(String stageName, Map<String, Object> consumer) {
        return new Builder(stageName, consumer);
    }

    /** The spring-kafka form of a platform backoff: exponential, capped, never giving up. */
    public static BackOff forever(Backoff backoff) {
        ExponentialBackOff spring = new ExponentialBackOff(backoff.initial().toMillis(), backoff.multiplier());
        spring.setMaxInterval(backoff.max().toMillis());
        spring.setMaxElapsedTime(Long.MAX_VALUE);
        spring.setMaxAttempts(Long.MAX_VALUE);
        return spring;
    }

    /** Builds one stage's container. */
    public final class Builder {
        private final String stageName;
        private final Map<String, Object> consumer;
        private String[] topics;
        private Pattern pattern;
        private BatchMessageListener<byte[], byte[]> listener;
        private Backoff backoff = properties.backoff().toBackoff();
        private ProducerFactory<byte[], byte[]> transactions;
        private int concurrency = 1;
        private boolean autoStartup = true;
        private ConsumerAwareRebalanceListener rebalance;

        private Builder(String stageName, Map<String, Object> consumer) {
            this.stageName = stageName;
            this.consumer = consumer;
        }

        public Builder topics(String... names) {
            this.topics = names;
            return this;
        }

        public Builder topicPattern(Pattern names) {
            this.pattern = names;
            return this;
        }

        public Builder listener(BatchMessageListener<byte[], byte[]> batchListener) {
            this.listener = batchListener;
            return this;
        }

        public Builder backoff(Backoff retries) {
            this.backoff = retries;
            return this;
        }

        /** Consume, produce with this factory's transactional producer, and commit the offsets in its transaction. */
        public Builder transactional(ProducerFactory<byte[], byte[]> producers) {
            this.transactions = producers;
            return this;
        }

        public Builder concurrency(int consumers) {
            this.concurrency = consumers;
            return this;
        }

        /** Not started with the application: the service starts it (after connecting to what it writes to). */
        public Builder startLater() {
            this.autoStartup = false;
            return this;
        }

        public Builder onRebalance(ConsumerAwareRebalanceListener listener) {
            this.rebalance = listener;
            return this;
        }

        public ConcurrentMessageListenerContainer<byte[], byte[]> build() {
            if (listener == null || (topics == null) == (pattern == null)) {
                throw new IllegalStateException(stageName + ": a container needs a listener and either topics or a pattern");
            }
            Stage stage = stages.stage(stageName);
            DefaultKafkaConsumerFactory<byte[], byte[]> consumers = new DefaultKafkaConsumerFactory<>(consumer,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumers.addListener(new MicrometerConsumerListener<>(meters)); // records-lag-max and friends
            ContainerProperties container = topics != null ? new ContainerProperties(topics) : new ContainerProperties(pattern);
            container.setMessageListener(tracked(stage, listener));
            container.setAckMode(ContainerProperties.AckMode.BATCH);
            container.setIdleEventInterval(properties.idleEventInterval().toMillis());
            container.setSyncCommitTimeout(Duration.ofSeconds(60));
            if (rebalance != null) {
                container.setConsumerRebalanceListener(rebalance);
            }
            if (transactions != null) {
                container.setKafkaAwareTransactionManager(new KafkaTransactionManager<>(transactions));
                container.setEosMode(ContainerProperties.EOSMode.V2);
            }
            // the container copies its properties: every one is set before this
            ConcurrentMessageListenerContainer<byte[], byte[]> built = new ConcurrentMessageListenerContainer<>(consumers, container);
            built.setBeanName(stageName);
            built.setConcurrency(concurrency);
            built.setAutoStartup(autoStartup);
            if (transactions != null) {
                // after a rollback the batch is read again; meanwhile the container is paused, not sleeping in poll
                built.setAfterRollbackProcessor(new StageAfterRollback(stage, forever(backoff),
                        new ContainerPausingBackOffHandler(new ListenerContainerPauseService(null, scheduler))));
            } else {
                built.setCommonErrorHandler(new StageErrorHandler(stage, forever(backoff)));
            }
            byContainer.put(built, stage);
            return built;
        }
    }

    /** The listener, telling the stage when a batch was done and when one failed. */
    private static BatchMessageListener<byte[], byte[]> tracked(Stage stage, BatchMessageListener<byte[], byte[]> listener) {
        return records -> {
            try {
                listener.onMessage(records);
            } catch (RuntimeException e) {
                stage.paused(reason(e));
                throw e;
            }
            stage.progressed();
        };
    }

    static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() != null && cause.getMessage().contains("Listener failed")) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Retries a failed batch forever (the consumer paused and polling), and says so in the stage. */
    private static final class StageErrorHandler extends DefaultErrorHandler {
        private final Stage stage;

        StageErrorHandler(Stage stage, BackOff backOff) {
            super(backOff);
            this.stage = stage;
        }

        @Override
        public void handleBatch(Exception thrown, ConsumerRecords<?, ?> data, Consumer<?, ?> consumer,
                MessageListenerContainer container, Runnable invokeListener) {
            stage.paused(reason(thrown));
            super.handleBatch(thrown, data, consumer, container, invokeListener);
        }

        @Override
        public void handleOtherException(Exception thrown, Consumer<?, ?> consumer, MessageListenerContainer container,
                boolean batchListener) {
            stage.paused(reason(thrown)); // a commit or poll that failed: the next batch or idle poll clears it
            super.handleOtherException(thrown, consumer, container, batchListener);
        }
    }

    /** After a rolled-back transaction: the batch is read again after a pause, forever, and the stage knows. */
    private static final class StageAfterRollback extends DefaultAfterRollbackProcessor<byte[], byte[]> {
        private final Stage stage;

        StageAfterRollback(Stage stage, BackOff backOff, ContainerPausingBackOffHandler pausing) {
            super((record, e) -> { }, backOff, pausing, null, false);
            this.stage = stage;
        }

        @Override
        public void processBatch(ConsumerRecords<byte[], byte[]> records, List<ConsumerRecord<byte[], byte[]>> recordList,
                Consumer<byte[], byte[]> consumer, MessageListenerContainer container, Exception exception,
                boolean recoverable, ContainerProperties.EOSMode eosMode) {
            stage.paused(reason(exception));
            super.processBatch(records, recordList, consumer, container, exception, recoverable, eosMode);
        }
    }

    @Override
    public void onApplicationEvent(KafkaEvent event) {
        MessageListenerContainer container = event.getContainer(MessageListenerContainer.class);
        Stage stage = container == null ? null : byContainer.get(container);
        if (stage == null) {
            return;
        }
        if (event instanceof ListenerContainerIdleEvent || event instanceof ConsumerStartedEvent) {
            // polled and found nothing: alive; a pause ends only when the container is not holding one
            if (container.isPauseRequested()) {
                stage.heartbeat();
            } else {
                stage.progressed();
            }
        } else if (event instanceof ConsumerStoppedEvent stopped) {
            if (stopped.getReason() == ConsumerStoppedEvent.Reason.NORMAL) {
                stage.stopped();
            } else {
                stage.died("its Kafka consumer stopped: " + stopped.getReason());
            }
        } else if (event instanceof ConsumerFailedToStartEvent) {
            stage.died("its Kafka consumer failed to start");
        } else if (event instanceof NonResponsiveConsumerEvent late) {
            log.warn("{}: the consumer has not polled for {} ms", stage.name(), late.getTimeSinceLastPoll());
        }
    }
}
