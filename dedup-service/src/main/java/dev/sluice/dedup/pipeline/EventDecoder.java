package dev.sluice.dedup.pipeline;

import dev.sluice.core.privacy.PrivacyAnnotations;
import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.registry.SchemaRegistryException;
import dev.sluice.core.serde.AvroDeserializer;
import dev.sluice.core.serde.AvroWireFormat;
import dev.sluice.core.serde.EventTime;
import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.topics.EventHeaders;
import java.nio.charset.StandardCharsets;
import dev.sluice.dedup.landing.LandingRow;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Turns a record of {@code events.valid.<type>} into its landing row. A record the gatekeeper wrote carries the
 * event id as its key and the exact event time in the {@link EventHeaders#EVENT_TIME} header: it is taken from
 * there without decoding the payload, which is only checked to be in the wire format with a schema id the registry
 * knows. Any other record is decoded with the platform-core serde (which fetches the writer schema by id): the event
 * id from the {@code id} field, the event time from the field the schema marks {@code sluice.event_time} (the Kafka
 * timestamp when there is none, or when it is null).
 *
 * <p>The row keeps the payload bytes as they came, so only those two fields are materialized: the serde reads with
 * a projection of the writer schema onto them and Avro skips the rest (still walking every field, so a truncated
 * payload fails). Measured with the landing benchmark's 24-field event: decoding takes about 30 % of the loop's
 * CPU either way (Avro's generic skip costs about what building the fields did), with less garbage.
 */
final class EventDecoder {

    private final AvroDeserializer deserializer;
    private final SchemaRegistryClient registry;
    private final Map<Integer, EventTime> eventTimes = new ConcurrentHashMap<>();

    EventDecoder(SchemaRegistryClient registry) {
        this.registry = registry;
        this.deserializer = AvroDeserializer.projecting(registry, EventDecoder::projection);
    }

    /**
     * @throws Undecodable when the record cannot land, whatever happens (the dead-letter topic takes it)
     * @throws SchemaRegistryException when the registry cannot answer now (retry later)
     */
    LandingRow decode(String eventType, ConsumerRecord<byte[], byte[]> record, Instant landingTime) throws Undecodable {
        byte[] value = record.value();
        if (value == null) {
            throw new Undecodable("the record has no value");
        }
        Instant headerTime = EventHeaders.eventTime(record.headers());
        if (headerTime != null && record.key() != null && record.key().length > 0) {
            return fromHeaders(eventType, record, headerTime, landingTime);
        }
        GenericRecord event;
        int schemaId;
        try {
            schemaId = AvroWireFormat.schemaId(value);
            event = deserializer.deserialize(record.topic(), value);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new Undecodable("the schema registry has no schema with the record's id: " + e.getMessage());
            }
            throw e;
        } catch (SerializationException | IllegalArgumentException e) {
            throw new Undecodable(e.getMessage());
        }
        Object id = event.hasField(PrivacyAnnotations.EVENT_ID_FIELD) ? event.get(PrivacyAnnotations.EVENT_ID_FIELD) : null;
        if (id == null || id.toString().isEmpty()) {
            throw new Undecodable("the event has no id (the field 'id', the dedup key)");
        }
        Instant eventTime = eventTimes.computeIfAbsent(schemaId, this::eventTimeOf).of(event, record.timestamp());
        return new LandingRow(eventType, DirtyHour.hourOf(eventTime), id.toString(), schemaId,
                ByteBuffer.wrap(value, AvroWireFormat.HEADER_LENGTH, value.length - AvroWireFormat.HEADER_LENGTH).slice(),
                eventTime, landingTime);
    }

    private LandingRow fromHeaders(String eventType, ConsumerRecord<byte[], byte[]> record, Instant eventTime,
            Instant landingTime) throws Undecodable {
        byte[] value = record.value();
        int schemaId;
        try {
            schemaId = AvroWireFormat.schemaId(value);
            registry.schemaById(schemaId); // cached: ids never change
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new Undecodable("the schema registry has no schema with the record's id: " + e.getMessage());
            }
            throw e;
        } catch (SerializationException e) {
            throw new Undecodable(e.getMessage());
        }
        return new LandingRow(eventType, DirtyHour.hourOf(eventTime), new String(record.key(), StandardCharsets.UTF_8),
                schemaId, ByteBuffer.wrap(value, AvroWireFormat.HEADER_LENGTH, value.length - AvroWireFormat.HEADER_LENGTH)
                .slice(), eventTime, landingTime);
    }

    /** The writer schema reduced to the event id and the event-time field (with the records on its path). */
    static Schema projection(Schema writer) {
        if (writer.getType() != Schema.Type.RECORD) {
            return writer;
        }
        String[] path = PrivacySchema.of(writer).eventTimeField().map(f -> f.path().split("\\.")).orElse(new String[0]);
        return project(writer, path, 0, true);
    }

    private static Schema project(Schema record, String[] path, int depth, boolean top) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            boolean id = top && field.name().equals(PrivacyAnnotations.EVENT_ID_FIELD);
            boolean onPath = depth < path.length && field.name().equals(path[depth]);
            if (!id && !onPath) {
                continue;
            }
            Schema type = field.schema();
            if (onPath && depth + 1 < path.length) {
                type = projectNested(type, path, depth + 1);
            }
            fields.add(new Schema.Field(field.name(), type, null, (Object) null));
        }
        return Schema.createRecord(record.getName(), null, record.getNamespace(), false, fields);
    }

    /** A record on the event-time path, or a union holding one (null and the record), projected in place. */
    private static Schema projectNested(Schema type, String[] path, int depth) {
        if (type.getType() == Schema.Type.RECORD) {
            return project(type, path, depth, false);
        }
        if (type.getType() == Schema.Type.UNION) {
            return Schema.createUnion(type.getTypes().stream()
                    .map(branch -> branch.getType() == Schema.Type.RECORD ? project(branch, path, depth, false) : branch)
                    .toList());
        }
        return type;
    }

    private EventTime eventTimeOf(int schemaId) {
        return EventTime.of(registry.schemaById(schemaId));
    }

    /** Why a record cannot land; it goes to the dead-letter topic with this reason. */
    static final class Undecodable extends Exception {
        Undecodable(String reason) {
            super(reason, null, false, false);
        }
    }
}
