package dev.sluice.privacy.index;

import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.privacy.EntityPaths;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.privacy.ForgetList;
import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.registry.SchemaRegistryException;
import dev.sluice.core.serde.AvroDeserializer;
import dev.sluice.core.serde.AvroWireFormat;
import dev.sluice.core.serde.EventTime;
import dev.sluice.core.topics.EventHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchMessageListener;

/**
 * The reverse indexer and relations mapper: every batch of {@code events.valid.<type>} records becomes the index
 * entries (each entity an event mentions → the event's type, date and hour) and the relations its
 * {@code sluice.linked_to} fields declare, each written once per batch, all acknowledged before the batch's offsets
 * are committed. The event's hour is the gatekeeper's event-time header, or read from the event (another producer).
 *
 * <p>A record that cannot be decoded (not the wire format, a schema id the registry does not know) is counted and
 * skipped: the dedup service sends the same record to the valid dead-letter topic, and an event that never lands is
 * in no lake partition to find. A registry that cannot answer now fails the batch, which is retried (the consumer
 * paused) until it can; so does Cassandra.
 */
public final class IndexListener implements BatchMessageListener<byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(IndexListener.class);

    private final String validTopicPrefix;
    private final Supplier<EntityIndex> index;
    private final SchemaRegistryClient registry;
    private final AvroDeserializer deserializer;
    private final Set<String> subjectPrefixes;
    private final Map<Integer, Paths> paths = new ConcurrentHashMap<>();
    private final Set<String> begun = ConcurrentHashMap.newKeySet();
    private final Counter events;
    private final Counter entries;
    private final Counter undecodable;
    private final Timer batches;
    private final Supplier<ForgetList> forgetList;
    private final Counter forgotten;

    /** What an event type's schema version says about entities and time. */
    private record Paths(EntityPaths entities, EventTime eventTime) {
    }

    /** @param forgetList the erased subjects as known now; throws until known (the batch is then retried) */
    public IndexListener(String validTopicPrefix, Supplier<EntityIndex> index, SchemaRegistryClient registry,
            Set<String> subjectPrefixes, MeterRegistry meters, Supplier<ForgetList> forgetList) {
        this.forgetList = forgetList;
        this.forgotten = Counter.builder("privacy.index.forgotten").description("Events not indexed: they mention an "
                + "erased subject").register(meters);
        this.validTopicPrefix = validTopicPrefix;
        this.index = index;
        this.registry = registry;
        this.deserializer = new AvroDeserializer(registry, null);
        this.subjectPrefixes = subjectPrefixes;
        this.events = Counter.builder("privacy.index.events").description("Events indexed").register(meters);
        this.entries = Counter.builder("privacy.index.entries").description("Index and relation rows written (before "
                + "Cassandra merges repeats)").register(meters);
        this.undecodable = Counter.builder("privacy.index.undecodable").description("Records skipped: not decodable")
                .register(meters);
        this.batches = Timer.builder("privacy.index.batch").publishPercentiles(0.5, 0.99).register(meters);
    }

    /** Every valid topic but the dead-letter one. */
    public static Pattern validTopics(String prefix, String deadLetterTopic) {
        return Pattern.compile("(?!" + Pattern.quote(deadLetterTopic) + "$)" + Pattern.quote(prefix) + ".+");
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        long started = System.nanoTime();
        EntityIndex target = index.get();
        ForgetList erased = forgetList.get();
        Set<EntityIndex.Entry> found = new LinkedHashSet<>();
        Set<EntityPaths.Link> links = new LinkedHashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String eventType = record.topic().substring(validTopicPrefix.length());
            String partition = record.topic() + "/" + record.partition();
            if (!begun.contains(partition)) {
                target.began(new EntityIndex.Coverage(eventType, record.partition(), record.offset(),
                        Instant.ofEpochMilli(record.timestamp())));
                begun.add(partition); // only once recorded: a batch that failed before records it on its retry
            }
            GenericRecord event;
            Paths schema;
            try {
                event = deserializer.deserialize(record.topic(), record.value());
                schema = paths.computeIfAbsent(AvroWireFormat.schemaId(record.value()), this::pathsOf);
            } catch (SchemaRegistryException e) {
                if (!e.isNotFound()) {
                    throw e; // the registry cannot answer now: the batch is retried
                }
                skip(record, e);
                continue;
            } catch (SerializationException | IllegalArgumentException e) {
                skip(record, e);
                continue;
            }
            if (event == null || schema.entities().isEmpty()) {
                continue;
            }
            if (erased.mentionsForgotten(schema.entities(), event)) {
                forgotten.increment(); // an erased subject's event lands nowhere: nothing to find it by
                continue;
            }
            Instant headerTime = EventHeaders.eventTime(record.headers());
            Instant time = headerTime != null ? headerTime : schema.eventTime().of(event, record.timestamp());
            HourPartition hour = HourPartition.holding(eventType, time);
            for (EntityRef entity : schema.entities().mentions(event)) {
                found.add(new EntityIndex.Entry(entity, hour));
            }
            links.addAll(schema.entities().links(event));
        }
        target.write(found, links);
        events.increment(records.size());
        entries.increment(found.size() + 2.0 * links.size());
        batches.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Paths pathsOf(int schemaId) {
        Schema schema = registry.schemaById(schemaId);
        return new Paths(EntityPaths.of(PrivacySchema.of(schema, subjectPrefixes)), EventTime.of(schema));
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, Exception why) {
        undecodable.increment();
        log.warn("{}-{}@{}: not indexed, cannot be decoded: {}", record.topic(), record.partition(), record.offset(),
                why.getMessage());
    }
}
