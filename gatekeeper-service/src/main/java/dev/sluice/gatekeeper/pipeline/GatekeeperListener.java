package dev.sluice.gatekeeper.pipeline;

import dev.sluice.core.registry.SchemaRegistryException;
import dev.sluice.core.serde.AvroWireFormat;
import dev.sluice.core.topics.EventHeaders;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * Consume–transform–produce, exactly once: the listener container runs each poll's events in one Kafka transaction
 * ({@code EOSMode.V2}); this converts each event and sends its result (valid Avro, or its rejection) through the
 * transactional template, and the container commits the outputs with the consumer offsets. A crash, a rebalance or
 * a broker restart aborts the open transaction, and its events are read again from the last committed offsets.
 *
 * <p>An unreachable registry is not a verdict on the events: {@link SchemaRegistryException} leaves this listener,
 * the transaction is rolled back, and the container reads the batch again after the backoff, paused meanwhile.
 * One converter state per container thread (the container has one consumer, so one thread).
 */
final class GatekeeperListener implements BatchMessageListener<byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(GatekeeperListener.class);
    /** Kafka refuses timestamps more than an hour ahead (log.message.timestamp.after.max.ms); keep a margin. */
    private static final long MAX_FUTURE_MILLIS = Duration.ofMinutes(50).toMillis();

    private final GatekeeperProperties properties;
    private final KafkaOperations<byte[], byte[]> output;
    private final SchemaCatalog catalog;
    private final TopicCreator topics;
    private final EventReader reader;
    private final MeterRegistry meters;
    private final Clock clock;
    private final AvroBuffer buffer = new AvroBuffer(4096);
    private final EventConverter.Context context = new EventConverter.Context();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer batchTimer;
    /** Whether the conversion under way knows the exact event time (see {@link SchemaCatalog.Selected}). */
    private boolean exactEventTime;

    GatekeeperListener(GatekeeperProperties properties, KafkaOperations<byte[], byte[]> output, SchemaCatalog catalog,
            TopicCreator topics, MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.output = output;
        this.catalog = catalog;
        this.topics = topics;
        this.reader = new EventReader((int) properties.maxEventSize().toBytes(), properties.maxDepth());
        this.meters = meters;
        this.clock = clock;
        this.batchTimer = Timer.builder("gatekeeper.batch").description("time to validate and send one poll's events")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        long started = System.nanoTime();
        // the container's transactional producer, taken once per batch: the template's per-record send (a future and
        // its callbacks each) cost about a fifth of the throughput in the end-to-end harness
        output.execute(producer -> {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                producer.send(transform(record));
            }
            return null;
        });
        batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
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
            long timestamp = eventTime != null && eventTime >= 0 && eventTime < clock.millis() + MAX_FUTURE_MILLIS
                    ? eventTime : record.timestamp();
            byte[] key = envelope.id() != null ? envelope.id().getBytes(StandardCharsets.UTF_8) : record.key();
            count("valid", type, "none").increment();
            if (context.droppedUnknownFields() > 0) {
                meters.counter("gatekeeper.unknown.fields.dropped", "type", type).increment(context.droppedUnknownFields());
            }
            ProducerRecord<byte[], byte[]> valid = new ProducerRecord<>(topic, null, timestamp, key, buffer.toByteArray());
            if (exactEventTime && envelope.id() != null) {
                // what a consumer would decode: the payload's event time, or the record's timestamp without one
                Long micros = context.eventTimeMicros();
                valid.headers().add(new RecordHeader(EventHeaders.EVENT_TIME,
                        EventHeaders.eventTimeValue(micros != null ? micros : timestamp * 1000)));
            }
            return valid;
        } catch (Rejection rejection) {
            return rejected(record, type, rejection);
        } catch (SchemaRegistryException | KafkaException e) {
            throw e; // not about this event: the container rolls back, pauses and retries
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
        exactEventTime = selected.exactEventTime();
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
}
