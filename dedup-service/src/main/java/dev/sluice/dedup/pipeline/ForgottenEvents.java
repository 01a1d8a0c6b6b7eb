package dev.sluice.dedup.pipeline;

import dev.sluice.core.privacy.EntityPaths;
import dev.sluice.core.privacy.ForgetList;
import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.serde.AvroDeserializer;
import dev.sluice.core.serde.AvroWireFormat;
import dev.sluice.dedup.pipeline.EventDecoder.Undecodable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Whether an event mentions an erased subject: its entity fields (every {@code sluice.entity}, with the index's
 * walker) against the forget-list's keyed hashes. Asked only while the list has entries, so the landing path pays
 * nothing until someone is erased; then each event of a type with entity fields is decoded whole and each mention
 * hashed (one HMAC-SHA-256 each).
 */
final class ForgottenEvents {

    private final SchemaRegistryClient registry;
    private final AvroDeserializer deserializer;
    private final Map<Integer, EntityPaths> paths = new ConcurrentHashMap<>();

    ForgottenEvents(SchemaRegistryClient registry) {
        this.registry = registry;
        this.deserializer = new AvroDeserializer(registry, null);
    }

    boolean mentions(ForgetList forgotten, ConsumerRecord<byte[], byte[]> record) throws Undecodable {
        try {
            EntityPaths entities = paths.computeIfAbsent(AvroWireFormat.schemaId(record.value()),
                    id -> EntityPaths.of(PrivacySchema.of(registry.schemaById(id))));
            if (entities.isEmpty()) {
                return false;
            }
            GenericRecord event = deserializer.deserialize(record.topic(), record.value());
            return event != null && forgotten.mentionsForgotten(entities, event);
        } catch (SerializationException | IllegalArgumentException e) {
            throw new Undecodable(e.getMessage());
        }
    }
}
