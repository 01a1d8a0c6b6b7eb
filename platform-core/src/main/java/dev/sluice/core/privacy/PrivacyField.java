package dev.sluice.core.privacy;

import java.util.Optional;
import java.util.Set;

/**
 * One field of an event schema as the privacy annotations describe it.
 *
 * @param path dotted path from the top-level record ({@code address.city}); arrays, maps and unions are
 *        transparent, so the elements of {@code items} (an array of records) are {@code items.sku}
 * @param entity the {@code sluice.entity} value ({@code user/id}), or null
 * @param linkedTo the dotted path of the field named by {@code sluice.linked_to}, or null
 * @param tags {@code sluice.tags} and {@code confluent:tags} of this field and of the fields that enclose it
 * @param onErasure what erasure does to an event whose subject this field names; null for fields without a
 *        subject entity
 * @param personal whether the field holds personal data: a data-subject entity or a {@code PII} tag
 * @param eventTime whether the field carries {@code "sluice.event_time": true}
 */
public record PrivacyField(String path, String entity, String linkedTo, Set<String> tags, OnErasure onErasure,
        boolean personal, boolean eventTime) {

    public PrivacyField {
        tags = Set.copyOf(tags);
    }

    /** The entity type without its attribute: {@code user} for {@code user/id}. */
    public Optional<String> entityType() {
        return entity == null ? Optional.empty() : Optional.of(entity.substring(0, Math.max(0, entity.indexOf('/'))));
    }

    public boolean hasEntity() {
        return entity != null;
    }

    /** Whether the field identifies a data subject (a person), not just personal data. */
    public boolean identifiesSubject() {
        return onErasure != null;
    }

    /** The last element of the path: the name in the record that declares the field. */
    public String name() {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
