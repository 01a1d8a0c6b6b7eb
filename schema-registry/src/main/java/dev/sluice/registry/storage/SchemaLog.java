package dev.sluice.registry.storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's storage: a compacted, single-partition Kafka topic, and the in-memory {@link RegistryState} that
 * a reader thread rebuilds from it (from the beginning at start, then following it).
 *
 * <p><b>One writer at a time.</b> Writes go through a transactional producer whose {@code transactional.id} is the
 * same for every registry instance of a deployment. Starting a transaction fences any other producer with that id:
 * Kafka aborts its open transaction and refuses its further writes. Each write therefore (1) takes the writer role
 * if it does not hold it, (2) reads the topic to its end, so it sees everything the previous writer committed,
 * (3) decides (ids, versions) on that state, (4) commits, (5) waits until its own records are applied. With two
 * instances, both serve reads and writes: a write finds itself fenced only at commit, when nothing of it has reached
 * the topic, and is then decided again once, after taking the role back and reading the other's writes. Only a write
 * that loses the role twice in a row fails, with error 50001 and no trace in the topic; no id or version is ever
 * assigned twice.
 */
public final class SchemaLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaLog.class);

    private final String topic;
    private final TopicPartition partition;
    private final Map<String, Object> kafka;
    private final String writerId;
    private final Duration timeout;
    private final RegistryState state = new RegistryState();
    private final Admin admin;
    private final Thread reader;
    private final Object progress = new Object();
    private volatile long appliedPosition;
    private volatile boolean running = true;
    private volatile RuntimeException readerFailure;
    private volatile Observer observer = new Observer() {
    };

    /** Told how the reader fares: for the registry's liveness. */
    public interface Observer {
        /** The reader polled (whether or not there was anything new). */
        default void polled() {
        }

        /** The reader stopped for good. */
        default void died(String reason) {
        }
    }
    private KafkaConsumer<String, String> consumer;
    private KafkaProducer<String, String> producer;

    /**
     * @param kafka client properties (bootstrap servers, security) shared by the admin, consumer and producer
     * @param writerId the transactional id every instance of this registry shares
     * @param timeout how long a read-to-the-end or a write may take before it fails with a storage error
     */
    public SchemaLog(Map<String, Object> kafka, String topic, short replicationFactor, String writerId, Duration timeout) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.kafka = Map.copyOf(kafka);
        this.writerId = writerId;
        this.timeout = timeout;
        this.admin = Admin.create(withDefaults(kafka, Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "schema-registry-admin")));
        createTopicIfMissing(replicationFactor);
        this.reader = new Thread(this::follow, "schema-log-reader");
        this.reader.setDaemon(true);
    }

    public void observe(Observer observer) {
        this.observer = observer;
    }

    /** Starts following the topic and waits until everything already in it is applied. */
    public void start() {
        consumer = new KafkaConsumer<>(withDefaults(kafka, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // a write waits for its own records to come back: do not let an idle fetch sit for the default 500 ms
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-reader",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class)));
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        reader.start();
        awaitCaughtUp();
        log.info("schema log {} read to offset {}: {} subjects, highest id {}", topic, appliedPosition,
                state.subjects(true).size(), state.highestId());
    }

    public RegistryState state() {
        return state;
    }

    /** Waits until every record committed to the topic so far is applied to the state. */
    public void awaitCaughtUp() {
        long end;
        try {
            end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(partition).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new StorageException(50001, "cannot read the end offset of " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(50001, "interrupted", e);
        }
        awaitApplied(end);
    }

    /**
     * Writes the records that {@code decide} makes from the current state, as the single writer, and returns once
     * they are applied. {@code decide} runs on fully caught-up state with no other write in between.
     */
    public synchronized <T> T write(Function<RegistryState, Decision<T>> decide) {
        try {
            return attempt(decide);
        } catch (Fenced e) {
            // another instance wrote since our last write: nothing of ours reached the topic, so take the role back
            // and decide again on the state that now includes its writes
            closeWriter();
            log.info("another registry instance wrote to {}; taking the writer role back", topic);
            try {
                return attempt(decide);
            } catch (Fenced again) {
                closeWriter();
                throw new StorageException(50001, "another registry instance took the writer role during this write;"
                        + " nothing was written, retry the request", again);
            }
        }
    }

    private <T> T attempt(Function<RegistryState, Decision<T>> decide) {
        try {
            KafkaProducer<String, String> writer = writer();
            awaitCaughtUp();
            Decision<T> decision = decide.apply(state);
            if (decision.records().isEmpty()) {
                return decision.result();
            }
            writer.beginTransaction();
            Future<RecordMetadata> last = null;
            for (LogRecord record : decision.records()) {
                last = writer.send(new ProducerRecord<>(topic, 0, record.key(), record.value()));
            }
            writer.commitTransaction();
            awaitApplied(last.get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset() + 1);
            return decision.result();
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            if (fenced(e)) {
                throw new Fenced(e);
            }
            closeWriter();
            throw new StorageException(50001, "cannot write to " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(50001, "interrupted", e);
        }
    }

    /** Another producer with our transactional id started: Kafka aborted our transaction. */
    private static final class Fenced extends RuntimeException {
        Fenced(Throwable cause) {
            super(cause);
        }
    }

    private static boolean fenced(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** What a write decided: the records to append (none for a no-op) and the answer to give. */
    public record Decision<T>(List<LogRecord> records, T result) {

        public static <T> Decision<T> answer(T result) {
            return new Decision<>(List.of(), result);
        }
    }

    private KafkaProducer<String, String> writer() {
        if (producer == null) {
            KafkaProducer<String, String> created = new KafkaProducer<>(withDefaults(kafka, Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, writerId,
                    ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-writer",
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)));
            try {
                created.initTransactions(); // fences any other instance holding the writer role
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
            log.info("this instance holds the writer role of {} (transactional id {})", topic, writerId);
        }
        return producer;
    }

    private void closeWriter() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private void awaitApplied(long offset) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (appliedPosition < offset) {
                if (readerFailure != null) {
                    throw new StorageException(50001, "the schema log reader failed: " + readerFailure.getMessage(), readerFailure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StorageException(50002, "timed out after " + timeout + " reading " + topic
                            + " to offset " + offset + " (at " + appliedPosition + ")", null);
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException(50001, "interrupted", e);
                }
            }
        }
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    state.apply(record.key(), record.value());
                }
                // the position moves past transaction markers too, which poll never returns
                long position = consumer.position(partition);
                synchronized (progress) {
                    appliedPosition = position;
                    progress.notifyAll();
                }
                observer.polled();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the schema log reader stopped", e);
            observer.died("the schema log reader stopped: " + e);
            synchronized (progress) {
                readerFailure = e;
                progress.notifyAll();
            }
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void createTopicIfMissing(short replicationFactor) {
        NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.of(replicationFactor)).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, replicationFactor))));
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("created the schema log topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new StorageException(50001, "cannot create the schema log topic " + topic + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new StorageException(50002, "timed out creating the schema log topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(50001, "interrupted", e);
        }
    }

    private static Properties withDefaults(Map<String, Object> kafka, Map<String, Object> specific) {
        Properties properties = new Properties();
        properties.putAll(kafka);
        properties.putAll(specific);
        return properties;
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closeWriter();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
