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
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The converter for an event type and version, from the registry: compiled once per schema id. An unknown type or
 * version is a rejection (remembered for a while); an unreachable registry is not: it throws
 * {@link RegistryUnavailableException} and the caller pauses.
 */
public final class SchemaCatalog {

    /** The converter and the id the Avro bytes are framed with. */
    public record Selected(int schemaId, EventConverter converter) {
    }

    private static final Set<String> ENVELOPE_FIELDS = Set.of("type", "schema_version");

    private final SchemaRegistryClient registry;
    private final Set<String> dropUnknownFields;
    private final long unknownTtlNanos;
    private final Map<Integer, EventConverter> converters = new ConcurrentHashMap<>();
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
        EventConverter converter = converters.computeIfAbsent(registered.id(), id -> {
            String eventTime = PrivacySchema.of(registered.schema()).eventTimeField().map(PrivacyField::path)
                    .filter(path -> !path.contains(".")).orElse(null);
            return EventConverter.compile(registered.schema(), eventTime, ENVELOPE_FIELDS, dropUnknownFields.contains(type));
        });
        return new Selected(registered.id(), converter);
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
