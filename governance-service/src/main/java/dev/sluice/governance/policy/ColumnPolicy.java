package dev.sluice.governance.policy;

import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.Decision;
import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;

/**
 * One column of a reservoir's table: the engine's decision and what the schema says the column holds, so that a
 * person deciding about it (the DPO, an analyst) reads both in one place.
 *
 * @param doc the field's {@code doc} in the schema (absent when it has none)
 * @param entity its {@code sluice.entity} (absent when it names none)
 * @param tags its {@code sluice.tags}
 * @param personal whether it holds personal data (a data-subject entity or a {@code PII} tag)
 */
public record ColumnPolicy(String path, Action action, Decision.Basis basis, String doc, String entity,
        Set<String> tags, boolean personal) {

    public static List<ColumnPolicy> of(PrivacySchema schema, List<Decision> decisions) {
        return decisions.stream().map(decision -> {
            PrivacyField field = schema.field(decision.path()).orElse(null);
            return new ColumnPolicy(decision.path(), decision.action(), decision.basis(), doc(schema.schema(),
                    decision.path()), field == null ? null : field.entity(),
                    field == null ? Set.of() : new TreeSet<>(field.tags()), field != null && field.personal());
        }).toList();
    }

    /** The doc of the field at a dotted path, through unions and arrays of records. */
    static String doc(Schema record, String path) {
        Schema current = record;
        Schema.Field field = null;
        for (String name : path.split("\\.")) {
            current = recordIn(current);
            field = current == null ? null : current.getField(name);
            if (field == null) {
                return null;
            }
            current = field.schema();
        }
        return field == null ? null : field.doc();
    }

    private static Schema recordIn(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> schema;
            case ARRAY -> recordIn(schema.getElementType());
            case MAP -> recordIn(schema.getValueType());
            case UNION -> schema.getTypes().stream().map(ColumnPolicy::recordIn).filter(s -> s != null).findFirst()
                    .orElse(null);
            default -> null;
        };
    }
}
