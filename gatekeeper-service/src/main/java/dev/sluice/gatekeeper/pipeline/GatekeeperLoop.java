package dev.sluice.gatekeeper.pipeline;

import dev.sluice.core.registry.SchemaRegistryException;
import dev.sluice.core.serde.AvroWireFormat;
import dev.sluice.gatekeeper.GatekeeperProperties;
import dev.sluice.gatekeeper.validation.AvroBuffer;
import dev.sluice.gatekeeper.validation.Envelope;
import dev.sluice.gatekeeper.validation.EventConverter;
import dev.sluice.gatekeeper.validation.EventReader;
import dev.sluice.gatekeeper.validation.Reason;
import dev.sluice.gatekeeper.validation.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume–transform–produce loop, exactly once: every poll's events are converted, their results (valid Avro
 * or rejections) and the consumer offsets are committed in one Kafka transaction. A crash, a rebalance or a broker
 * restart aborts the open transaction, and its events are read again from the last committed offsets, so a
 * read_committed reader sees every input exactly once on {@code events.valid.*} or {@code events.rejected}.
 *
 * <p>An unreachable registry is not a verdict on the events: the transaction is aborted, the consumer goes back to
 * the batch's first offsets, and the loop waits with growing pauses until the registry answers.
 */
public final class GatekeeperLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(GatekeeperLoop.class);
    /** Kafka refuses timestamps more than an hour ahead (log.message.timestamp.after.max.ms); keep a margin. */
    private static final long MAX_FUTURE_MILLIS = Duration.ofMinutes(50).toMillis();

    private final GatekeeperProperties properties;
    private final Consumer<byte[], byte[]> consumer;
    private final java.util.function.Supplier<Producer<byte[], byte[]>> producers;
    private final SchemaCatalog catalog;
    private final TopicCreator topics;
    private final EventReader reader;
    private final MeterRegistry meters;
    private final Clock clock;
    private final AvroBuffer buffer = new AvroBuffer(4096);
    private final EventConverter.Context context = new EventConverter.Context();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer batchTimer;
    private final AtomicReference<String> pausedBecause = new AtomicReference<>();
    private Producer<byte[], byte[]> producer;
    private volatile boolean running = true;
    private volatile boolean alive = true;

    public GatekeeperLoop(GatekeeperProperties properties, Consumer<byte[], byte[]> consumer,
            java.util.function.Supplier<Producer<byte[], byte[]>> producers, SchemaCatalog catalog, TopicCreator topics,
            MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.consumer = consumer;
        this.producers = producers;
        this.catalog = catalog;
        this.topics = topics;
        this.reader = new EventReader((int) properties.maxEventSize().toBytes(), properties.maxDepth());
        this.meters = meters;
        this.clock = clock;
        this.batchTimer = Timer.builder("gatekeeper.batch").description("time to validate and commit one poll's events")
                .publishPercentiles(0.5, 0.99).register(meters);
        new KafkaClientMetrics(consumer).bindTo(meters); // records-lag-max and friends: the consumer lag
    }

    /** Why the loop is waiting (the registry is unreachable), or null while it runs normally. */
    public String pausedBecause() {
        return pausedBecause.get();
    }

    public boolean isAlive() {
        return alive;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(properties.rawTopic()));
            producer = newProducer();
            Duration pause = properties.registryBackoff().initial();
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    long started = System.nanoTime();
                    processInTransaction(records);
                    batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    if (pausedBecause.getAndSet(null) != null) {
                        log.info("the schema registry answers again; processing resumed");
                    }
                    pause = properties.registryBackoff().initial();
                } catch (SchemaRegistryException e) {
                    // unreachable, or answering errors that say nothing about the event (401, 500): wait for it
                    abortAndRewind(records);
                    if (pausedBecause.getAndSet(e.getMessage()) == null) {
                        log.warn("schema registry unreachable; pausing without rejecting anything: {}", e.getMessage());
                    }
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(properties.registryBackoff().max()) > 0
                            ? properties.registryBackoff().max() : pause.multipliedBy(2);
                } catch (ProducerFencedException | InvalidProducerEpochException e) {
                    // another instance with our transactional id, or our transaction timed out: start over cleanly
                    log.warn("producer fenced ({}); reopening it and rereading from the committed offsets", e.toString());
                    producer.close(Duration.ZERO);
                    producer = newProducer();
                    rewindToCommitted(records);
                } catch (KafkaException e) {
                    if (!running) {
                        break;
                    }
                    log.warn("transaction failed, its events will be read again: {}", e.toString());
                    abortAndRewind(records);
                    sleep(properties.registryBackoff().initial());
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("the gatekeeper loop stopped", e);
            throw e;
        } finally {
            alive = false;
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private Producer<byte[], byte[]> newProducer() {
        Producer<byte[], byte[]> created = producers.get();
        created.initTransactions(); // aborts what a previous incarnation with this id left open
        return created;
    }

    private void processInTransaction(ConsumerRecords<byte[], byte[]> records) {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            producer.send(transform(record));
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
    }

    /** The record to publish for one input: its Avro on the valid topic, or its rejection. */
    ProducerRecord<byte[], byte[]> transform(ConsumerRecord<byte[], byte[]> record) {
        String type = null;
        try {
            if (record.value() == null) {
                throw new Rejection(Reason.MALFORMED_JSON, "$", "the record has no value");
            }
            Envelope envelope = reader.convertInOnePass(record.value(), this::startOutput, buffer, context);
            if (envelope == null) {
                // not the common shape, or not valid: the two-pass path decides, with the precise reason
                envelope = reader.envelope(record.value());
                type = envelope.type();
                EventConverter converter = startOutput(type, envelope.schemaVersion(), buffer);
                reader.convert(record.value(), converter, buffer, context);
            }
            type = envelope.type();
            String topic = topics.validTopic(type);
            Long eventTime = context.eventTimeMillis();
            long now = clock.millis();
            long timestamp = eventTime != null && eventTime >= 0 && eventTime < now + MAX_FUTURE_MILLIS ? eventTime : record.timestamp();
            byte[] key = envelope.id() != null ? envelope.id().getBytes(java.nio.charset.StandardCharsets.UTF_8) : record.key();
            count("valid", type, "none").increment();
            if (context.droppedUnknownFields() > 0) {
                meters.counter("gatekeeper.unknown.fields.dropped", "type", type).increment(context.droppedUnknownFields());
            }
            return new ProducerRecord<>(topic, null, timestamp, key, buffer.toByteArray());
        } catch (Rejection rejection) {
            return rejected(record, type, rejection);
        } catch (SchemaRegistryException | KafkaException e) {
            throw e; // not about this event: the loop pauses or retries
        } catch (RuntimeException e) {
            // a bug of ours must not stop the stream or lose the event: it is rejected, with the error, and logged
            log.error("unexpected error converting {}-{}@{}; rejecting it", record.topic(), record.partition(), record.offset(), e);
            return rejected(record, type, new Rejection(Reason.INVALID_VALUE, "$", "internal error: " + e));
        }
    }

    private ProducerRecord<byte[], byte[]> rejected(ConsumerRecord<byte[], byte[]> record, String type, Rejection rejection) {
        // an unknown type is whatever a producer wrote: as a tag it would let anyone grow the metrics without bound
        boolean known = type != null && rejection.reason() != Reason.UNKNOWN_EVENT_TYPE;
        count("rejected", known ? type : "unknown", rejection.reason().name()).increment();
        return new ProducerRecord<>(properties.rejectedTopic(), null, clock.millis(), record.key(),
                RejectedEvent.json(rejection, type, record.topic(), record.partition(), record.offset(),
                        record.value(), Instant.now(clock)));
    }

    private EventConverter startOutput(String type, AvroBuffer out) {
        return startOutput(type, null, out);
    }

    /** Selects the schema and writes the wire header (magic byte, schema id) the Avro bytes follow. */
    private EventConverter startOutput(String type, Integer version, AvroBuffer out) {
        SchemaCatalog.Selected selected = catalog.select(type, version);
        out.reset();
        out.writeByte(AvroWireFormat.MAGIC_BYTE);
        int id = selected.schemaId();
        out.writeByte(id >>> 24);
        out.writeByte(id >>> 16);
        out.writeByte(id >>> 8);
        out.writeByte(id);
        return selected.converter();
    }

    private Counter count(String outcome, String type, String reason) {
        return counters.computeIfAbsent(outcome + '/' + type + '/' + reason, key -> Counter.builder("gatekeeper.events")
                .description("events read from the raw topic, by outcome, event type and rejection reason")
                .tag("outcome", outcome).tag("type", type).tag("reason", reason).register(meters));
    }

    private void abortAndRewind(ConsumerRecords<byte[], byte[]> records) {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            log.warn("abort failed ({}); reopening the producer", e.toString());
            producer.close(Duration.ZERO);
            producer = newProducer();
        }
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private void rewindToCommitted(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(records.partitions());
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata offset = committed.get(partition);
            consumer.seek(partition, offset != null ? offset.offset() : records.records(partition).get(0).offset());
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
