package dev.sluice.gatekeeper.pipeline;

import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.RegisteredSchema;
import dev.sluice.core.registry.RegistryUnavailableException;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.registry.SchemaRegistryException;
import dev.sluice.core.topics.Topics;
import dev.sluice.gatekeeper.validation.EventConverter;
import dev.sluice.gatekeeper.validation.Reason;
import dev.sluice.gatekeeper.validation.Rejection;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The converter for an event type and version, from the registry: compiled once per schema id. An unknown type or
 * version is a rejection (remembered for a while); an unreachable registry is not: it throws
 * {@link RegistryUnavailableException} and the caller pauses.
 */
public final class SchemaCatalog {

    /**
     * The converter and the id the Avro bytes are framed with.
     *
     * @param exactEventTime whether the conversion's event time (or, without one, the ingest time) is the event time
     *        a consumer decoding the payload finds: the schema has no event-time field, or a top-level one on a long
     *        (plain, timestamp-millis or -micros, local-timestamp-millis); then the record can carry it in a header
     */
    public record Selected(int schemaId, EventConverter converter, boolean exactEventTime) {
    }

    private static final Set<String> ENVELOPE_FIELDS = Set.of("type", "schema_version");

    private final SchemaRegistryClient registry;
    private final Set<String> dropUnknownFields;
    private final long unknownTtlNanos;
    private final Map<Integer, Selected> selected = new ConcurrentHashMap<>();
    private final Map<String, Remembered> unknown = new ConcurrentHashMap<>();

    private record Remembered(long untilNanos, Rejection rejection) {
    }

    public SchemaCatalog(SchemaRegistryClient registry, Set<String> dropUnknownFields, Duration unknownTypeTtl) {
        this.registry = registry;
        this.dropUnknownFields = dropUnknownFields;
        this.unknownTtlNanos = unknownTypeTtl.toNanos();
    }

    public Selected select(String type, Integer version) {
        String subject = Topics.eventSubject(type);
        String key = version == null ? subject : subject + '#' + version;
        Remembered remembered = unknown.get(key);
        if (remembered != null) {
            if (System.nanoTime() - remembered.untilNanos < 0) {
                throw remembered.rejection;
            }
            unknown.remove(key);
        }
        RegisteredSchema registered;
        try {
            registered = version == null ? registry.latest(subject) : registry.version(subject, version);
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (SchemaRegistryException e) {
            if (e.isNotFound() || e.errorCode() == 42202) {
                // a version of a subject that does not exist is an unknown type, not an unknown version
                Rejection rejection = unknown(type, e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND ? null : version);
                unknown.put(key, new Remembered(System.nanoTime() + unknownTtlNanos, rejection));
                throw rejection;
            }
            throw e;
        }
        return selected.computeIfAbsent(registered.id(), id -> compile(type, registered.schema(), id));
    }

    private Selected compile(String type, Schema schema, int id) {
        Optional<PrivacyField> field = PrivacySchema.of(schema).eventTimeField();
        String eventTime = field.map(PrivacyField::path).filter(path -> !path.contains(".")).orElse(null);
        boolean exact = field.isEmpty() || (eventTime != null && exactLong(schema.getField(eventTime).schema()));
        return new Selected(id, EventConverter.compile(schema, eventTime, ENVELOPE_FIELDS, dropUnknownFields.contains(type)),
                exact);
    }

    /** A long whose value a decoder reads as milliseconds or microseconds, as the converter does (nullable or not). */
    private static boolean exactLong(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> branches = schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
            return branches.size() == 1 && exactLong(branches.get(0));
        }
        LogicalType logical = schema.getLogicalType();
        return schema.getType() == Schema.Type.LONG && (logical == null || logical instanceof LogicalTypes.TimestampMillis
                || logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMillis);
    }

    private Rejection unknown(String type, Integer version) {
        if (version == null) {
            return new Rejection(Reason.UNKNOWN_EVENT_TYPE, "$.data.type",
                    "no schema is registered for event type '" + type + "' (subject " + Topics.eventSubject(type) + ")");
        }
        return new Rejection(Reason.UNKNOWN_SCHEMA_VERSION, "$.data.schema_version",
                "event type '" + type + "' has no schema version " + version);
    }
}
