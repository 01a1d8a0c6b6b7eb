package dev.sluice.core.privacy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * The privacy view of an Avro event schema: every field with its dotted path and annotations, which fields are
 * personal data, which identify a data subject, and the event-time field. Every module reads annotations through
 * this class; the registry also uses {@link #problems()} to refuse malformed annotations.
 *
 * <p>Reading never throws on a malformed annotation: the field is read as if the annotation were absent and the
 * problem is listed.
 */
public final class PrivacySchema {

    /** Entity types whose prefix is listed here identify people (DESIGN.md: default {@code user/}). */
    public static final Set<String> DEFAULT_SUBJECT_PREFIXES = Set.of("user/");

    private static final Pattern ENTITY = Pattern.compile("[a-z][a-z0-9_]*/[a-z][a-z0-9_]*");

    private final Schema schema;
    private final Map<String, PrivacyField> fields;
    private final List<AnnotationProblem> problems;

    private PrivacySchema(Schema schema, Map<String, PrivacyField> fields, List<AnnotationProblem> problems) {
        this.schema = schema;
        this.fields = fields;
        this.problems = problems;
    }

    public static PrivacySchema of(Schema schema) {
        return of(schema, DEFAULT_SUBJECT_PREFIXES);
    }

    public static PrivacySchema of(Schema schema, Collection<String> subjectPrefixes) {
        Reader reader = new Reader(Set.copyOf(subjectPrefixes));
        Schema record = unwrapNullable(schema);
        if (record.getType() == Schema.Type.RECORD) {
            reader.readRecord(record, "", Set.of(), new HashSet<>());
        }
        return new PrivacySchema(schema, reader.fields, reader.problems);
    }

    public Schema schema() {
        return schema;
    }

    /** Every field, depth first in declaration order, keyed by dotted path. */
    public Map<String, PrivacyField> fields() {
        return fields;
    }

    public Optional<PrivacyField> field(String path) {
        return Optional.ofNullable(fields.get(path));
    }

    /** Fields that carry a {@code sluice.entity}. */
    public List<PrivacyField> entityFields() {
        return fields.values().stream().filter(PrivacyField::hasEntity).toList();
    }

    /** Fields whose entity identifies a person (a data subject). */
    public List<PrivacyField> subjectFields() {
        return fields.values().stream().filter(PrivacyField::identifiesSubject).toList();
    }

    /** Fields holding personal data: a subject entity or a {@code PII} tag. */
    public List<PrivacyField> personalFields() {
        return fields.values().stream().filter(PrivacyField::personal).toList();
    }

    /** The field marked {@code "sluice.event_time": true}, if exactly one well-formed one exists. */
    public Optional<PrivacyField> eventTimeField() {
        List<PrivacyField> marked = fields.values().stream().filter(PrivacyField::eventTime).toList();
        return marked.size() == 1 ? Optional.of(marked.get(0)) : Optional.empty();
    }

    /** Whether the top-level record has the string field {@code id}, the event id. */
    public boolean hasEventId() {
        Schema record = unwrapNullable(schema);
        if (record.getType() != Schema.Type.RECORD) {
            return false;
        }
        Schema.Field id = record.getField(PrivacyAnnotations.EVENT_ID_FIELD);
        return id != null && id.schema().getType() == Schema.Type.STRING;
    }

    /** Annotations present but malformed; empty when every annotation is well formed. */
    public List<AnnotationProblem> problems() {
        return problems;
    }

    /** {@code ["null", T]} (either order) is read as T; any other schema is returned as is. */
    static Schema unwrapNullable(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
            if (branches.size() == 1) {
                return branches.get(0);
            }
        }
        return schema;
    }

    private static final class Reader {
        final Set<String> subjectPrefixes;
        final Map<String, PrivacyField> fields = new LinkedHashMap<>();
        final List<AnnotationProblem> problems = new ArrayList<>();
        boolean firstSubjectSeen;
        int eventTimeFields;

        Reader(Set<String> subjectPrefixes) {
            this.subjectPrefixes = subjectPrefixes;
        }

        void readRecord(Schema record, String prefix, Set<String> inheritedTags, Set<String> enclosing) {
            if (!enclosing.add(record.getFullName())) {
                return; // a recursive type: its fields were read at the first level
            }
            for (Schema.Field field : record.getFields()) {
                String path = prefix + field.name();
                Set<String> tags = new LinkedHashSet<>(inheritedTags);
                tags.addAll(tags(field, path, PrivacyAnnotations.TAGS));
                tags.addAll(tags(field, path, PrivacyAnnotations.CONFLUENT_TAGS));
                String entity = entity(field, path);
                boolean subject = entity != null && subjectPrefixes.stream().anyMatch(entity::startsWith);
                OnErasure onErasure = onErasure(field, path, entity, subject);
                String linkedTo = linkedTo(field, record, prefix, path, entity);
                boolean eventTime = eventTime(field, path);
                boolean personal = subject || tags.contains(PrivacyAnnotations.PII);
                fields.put(path, new PrivacyField(path, entity, linkedTo, tags, onErasure, personal, eventTime));
                for (Schema nested : nestedRecords(field.schema(), new ArrayList<>())) {
                    readRecord(nested, path + ".", tags, enclosing);
                }
            }
            enclosing.remove(record.getFullName());
        }

        private List<Schema> nestedRecords(Schema schema, List<Schema> found) {
            switch (schema.getType()) {
                case RECORD -> found.add(schema);
                case ARRAY -> nestedRecords(schema.getElementType(), found);
                case MAP -> nestedRecords(schema.getValueType(), found);
                case UNION -> schema.getTypes().forEach(branch -> nestedRecords(branch, found));
                default -> { }
            }
            return found;
        }

        private String entity(Schema.Field field, String path) {
            Object value = field.getObjectProp(PrivacyAnnotations.ENTITY);
            if (value == null) {
                return null;
            }
            if (value instanceof String entity && ENTITY.matcher(entity).matches()) {
                return entity;
            }
            problems.add(new AnnotationProblem(path, PrivacyAnnotations.ENTITY, "\"" + PrivacyAnnotations.ENTITY
                    + "\" must be \"type/attribute\" in lower case, such as \"user/id\"; found " + describe(value)));
            return null;
        }

        private OnErasure onErasure(Schema.Field field, String path, String entity, boolean subject) {
            Object value = field.getObjectProp(PrivacyAnnotations.ON_ERASURE);
            OnErasure declared = null;
            if (value != null) {
                declared = value instanceof String text ? OnErasure.fromAnnotation(text).orElse(null) : null;
                if (declared == null) {
                    problems.add(new AnnotationProblem(path, PrivacyAnnotations.ON_ERASURE, "\""
                            + PrivacyAnnotations.ON_ERASURE + "\" must be \"drop_event\" or \"redact\"; found "
                            + describe(value)));
                } else if (entity == null) {
                    problems.add(new AnnotationProblem(path, PrivacyAnnotations.ON_ERASURE, "\""
                            + PrivacyAnnotations.ON_ERASURE + "\" applies to a field with a \""
                            + PrivacyAnnotations.ENTITY + "\"; add one or remove it"));
                }
            }
            if (!subject) {
                return null;
            }
            OnErasure effective = declared != null ? declared : firstSubjectSeen ? OnErasure.REDACT : OnErasure.DROP_EVENT;
            firstSubjectSeen = true;
            return effective;
        }

        private String linkedTo(Schema.Field field, Schema record, String prefix, String path, String entity) {
            Object value = field.getObjectProp(PrivacyAnnotations.LINKED_TO);
            if (value == null) {
                return null;
            }
            if (!(value instanceof String target)) {
                problems.add(new AnnotationProblem(path, PrivacyAnnotations.LINKED_TO, "\"" + PrivacyAnnotations.LINKED_TO
                        + "\" must name a field of the same record; found " + describe(value)));
                return null;
            }
            Schema.Field linked = record.getField(target);
            if (linked == null || linked.name().equals(field.name())) {
                problems.add(new AnnotationProblem(path, PrivacyAnnotations.LINKED_TO, "\"" + PrivacyAnnotations.LINKED_TO
                        + "\" names '" + target + "', which is not another field of record " + record.getName()));
                return null;
            }
            if (!(linked.getObjectProp(PrivacyAnnotations.ENTITY) instanceof String)) {
                problems.add(new AnnotationProblem(path, PrivacyAnnotations.LINKED_TO, "\"" + PrivacyAnnotations.LINKED_TO
                        + "\" names '" + target + "', which has no \"" + PrivacyAnnotations.ENTITY + "\""));
                return null;
            }
            if (entity == null) {
                problems.add(new AnnotationProblem(path, PrivacyAnnotations.LINKED_TO, "\"" + PrivacyAnnotations.LINKED_TO
                        + "\" relates two entities; this field needs a \"" + PrivacyAnnotations.ENTITY + "\" too"));
                return null;
            }
            return prefix + target;
        }

        private boolean eventTime(Schema.Field field, String path) {
            Object value = field.getObjectProp(PrivacyAnnotations.EVENT_TIME);
            if (value == null || Boolean.FALSE.equals(value)) {
                return false;
            }
            if (!Boolean.TRUE.equals(value)) {
                problems.add(new AnnotationProblem(path, PrivacyAnnotations.EVENT_TIME, "\"" + PrivacyAnnotations.EVENT_TIME
                        + "\" must be true or false; found " + describe(value)));
                return false;
            }
            Schema type = unwrapNullable(field.schema());
            LogicalType logical = type.getLogicalType();
            boolean timestamp = type.getType() == Schema.Type.LONG && (logical == null
                    || logical.getName().startsWith("timestamp-") || logical.getName().startsWith("local-timestamp-"));
            if (!timestamp) {
                problems.add(new AnnotationProblem(path, PrivacyAnnotations.EVENT_TIME, "\"" + PrivacyAnnotations.EVENT_TIME
                        + "\" needs a long or timestamp field; this field is " + type));
                return false;
            }
            if (++eventTimeFields > 1) {
                problems.add(new AnnotationProblem(path, PrivacyAnnotations.EVENT_TIME, "only one field may carry \""
                        + PrivacyAnnotations.EVENT_TIME + "\""));
                return false;
            }
            return true;
        }

        private Set<String> tags(Schema.Field field, String path, String annotation) {
            Object value = field.getObjectProp(annotation);
            if (value == null) {
                return Set.of();
            }
            Set<String> tags = new LinkedHashSet<>();
            if (value instanceof List<?> list) {
                for (Object tag : list) {
                    if (tag instanceof String text && !text.isBlank()) {
                        tags.add(text);
                    } else {
                        problems.add(new AnnotationProblem(path, annotation, "\"" + annotation
                                + "\" must be a list of non-empty strings; found " + describe(tag) + " in it"));
                    }
                }
            } else {
                problems.add(new AnnotationProblem(path, annotation, "\"" + annotation
                        + "\" must be a list of strings such as [\"PII\"]; found " + describe(value)));
            }
            return tags;
        }

        private static String describe(Object value) {
            return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
        }
    }
}
