package dev.sluice.registry.privacy;

import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The data contract every event schema signs: annotations are well formed, the event id is there, and every field
 * whose name suggests personal data says so with an entity or a tag.
 */
public final class PrivacyContract {

    private final List<SubjectRule<PrivacyMode>> modes;
    private final PrivacyMode defaultMode;
    private final List<Compiled> patterns;
    private final Set<String> subjectPrefixes;

    private record Compiled(PersonalDataPattern pattern, Pattern regex) {
    }

    public PrivacyContract(List<SubjectRule<PrivacyMode>> modes, PrivacyMode defaultMode,
            List<PersonalDataPattern> patterns, Set<String> subjectPrefixes) {
        this.modes = List.copyOf(modes);
        this.defaultMode = defaultMode;
        this.patterns = patterns.stream().map(p -> new Compiled(p, p.compiled())).toList();
        this.subjectPrefixes = Set.copyOf(subjectPrefixes);
    }

    public PrivacyMode mode(String subject) {
        return modes.stream().filter(rule -> rule.matches(subject)).map(SubjectRule::value).findFirst().orElse(defaultMode);
    }

    /** Every breach of the contract, each naming the field and what to add or fix; empty when it holds. */
    public List<String> findings(String subject, Schema schema) {
        List<String> findings = new ArrayList<>();
        if (schema.getType() != Schema.Type.RECORD) {
            findings.add("an event schema must be a record; this one is " + schema.getType().getName());
            return findings;
        }
        PrivacySchema privacy = PrivacySchema.of(schema, subjectPrefixes);
        privacy.problems().forEach(problem -> findings.add(problem.toString()));
        if (Topics.eventTypeOfSubject(subject).isPresent() && !privacy.hasEventId()) {
            findings.add("field 'id': every event schema needs a top-level string field \"id\", the event id"
                    + " (Kafka key and dedup key)");
        }
        for (PrivacyField field : privacy.fields().values()) {
            if (field.hasEntity() || !field.tags().isEmpty() || isRecord(schema, field.path())) {
                continue;
            }
            String name = snakeCase(field.name());
            for (Compiled pattern : patterns) {
                if (pattern.regex.matcher(name).matches()) {
                    findings.add("field '" + field.path() + "' looks like personal data (" + pattern.pattern.kind()
                            + ") but has no privacy annotation: add " + pattern.pattern.annotation()
                            + " (or another \"sluice.entity\" or \"sluice.tags\" that says what it holds)");
                    break;
                }
            }
        }
        return findings;
    }

    /** Only leaves are checked: a record field's own fields are (its tags are inherited by them). */
    private static boolean isRecord(Schema root, String path) {
        Schema current = root;
        for (String name : path.split("\\.")) {
            current = recordOf(current);
            if (current == null || current.getField(name) == null) {
                return false;
            }
            current = current.getField(name).schema();
        }
        return recordOf(current) != null;
    }

    private static Schema recordOf(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> schema;
            case ARRAY -> recordOf(schema.getElementType());
            case MAP -> recordOf(schema.getValueType());
            case UNION -> schema.getTypes().stream().map(PrivacyContract::recordOf)
                    .filter(s -> s != null).findFirst().orElse(null);
            default -> null;
        };
    }

    /** {@code userId} and {@code UserID} become {@code user_id}; snake case stays as it is. */
    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
                .replace('-', '_').toLowerCase(java.util.Locale.ROOT);
    }
}
