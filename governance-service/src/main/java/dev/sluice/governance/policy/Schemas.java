package dev.sluice.governance.policy;

import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.RegisteredSchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import java.util.Collection;
import java.util.List;

/** The event types and their schemas, from the registry (subjects {@code events.valid.<type>-value}). */
public final class Schemas {

    private final SchemaRegistryClient registry;
    private final Collection<String> subjectPrefixes;

    public Schemas(SchemaRegistryClient registry, Collection<String> subjectPrefixes) {
        this.registry = registry;
        this.subjectPrefixes = subjectPrefixes;
    }

    /** Every event type with a registered schema, in name order. */
    public List<String> eventTypes() {
        return registry.subjects().stream().map(Topics::eventTypeOfSubject).flatMap(java.util.Optional::stream)
                .sorted().toList();
    }

    /** An event type's schema, its latest version or the one asked for. */
    public Versioned schema(String eventType, Integer version) {
        String subject = Topics.eventSubject(eventType);
        RegisteredSchema registered = version == null ? registry.latest(subject) : registry.version(subject, version);
        return new Versioned(eventType, registered.version(), registered.id(),
                PrivacySchema.of(registered.schema(), subjectPrefixes));
    }

    /** A schema version with its privacy annotations read. */
    public record Versioned(String eventType, int version, int schemaId, PrivacySchema schema) {
    }
}
