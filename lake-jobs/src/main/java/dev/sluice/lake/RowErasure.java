package dev.sluice.lake;

import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.privacy.OnErasure;
import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What an erasure does to a tier-zero row, by the {@code sluice.on_erasure} annotations of every schema version of
 * its type: a row that names an erased subject in a {@code drop_event} field is removed; one that names it only in
 * {@code redact} fields stays, with those values set to null (han's message to luke stays, without luke). Used by
 * the erasure job on the subjects of its requests, and by the tier-zero dump on the forget-list (defence in depth).
 *
 * <p>Paths are {@link PrivacyField#path()}s over Spark's rows: arrays and maps are transparent, as in the index.
 */
final class RowErasure implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Whether an entity is erased: one of a batch's subjects, or on the forget-list. */
    interface Forgotten extends Serializable {
        boolean test(EntityRef entity);
    }

    enum Outcome { KEEP, REDACT, DROP }

    private record SubjectField(String[] segments, String entity, OnErasure onErasure) implements Serializable {
    }

    /** The erased entities a row names, and what that does to it. */
    record Match(Outcome outcome, Set<EntityRef> subjects) {
    }

    private final List<SubjectField> fields;

    private RowErasure(List<SubjectField> fields) {
        this.fields = fields;
    }

    static RowErasure of(Collection<PrivacySchema> versions) {
        Map<String, SubjectField> fields = new LinkedHashMap<>();
        for (PrivacySchema version : versions) {
            for (PrivacyField field : version.subjectFields()) {
                fields.putIfAbsent(field.path() + '\u0000' + field.entity() + '\u0000' + field.onErasure(),
                        new SubjectField(field.path().split("\\."), field.entity(), field.onErasure()));
            }
        }
        return new RowErasure(List.copyOf(fields.values()));
    }

    /** Whether the type has no subject field: nothing of it can be erased. */
    boolean isEmpty() {
        return fields.isEmpty();
    }

    Match match(Row row, Forgotten forgotten) {
        Outcome outcome = Outcome.KEEP;
        Set<EntityRef> subjects = new LinkedHashSet<>();
        for (SubjectField field : fields) {
            boolean[] hit = {false};
            walk(row, field.segments(), 0, id -> {
                EntityRef entity = new EntityRef(field.entity(), id);
                if (forgotten.test(entity)) {
                    subjects.add(entity);
                    hit[0] = true;
                }
            });
            if (hit[0]) {
                Outcome now = field.onErasure() == OnErasure.DROP_EVENT ? Outcome.DROP : Outcome.REDACT;
                outcome = now.ordinal() > outcome.ordinal() ? now : outcome;
            }
        }
        return new Match(outcome, subjects);
    }

    /** The row with every redact field that names an erased entity set to null. */
    Row redact(Row row, Forgotten forgotten) {
        Row result = row;
        for (SubjectField field : fields) {
            if (field.onErasure() == OnErasure.REDACT) {
                result = (Row) rebuild(result, field.segments(), 0, field.entity(), forgotten);
            }
        }
        return result;
    }

    private static void walk(Object node, String[] segments, int depth, Consumer<String> ids) {
        if (node == null) {
            return;
        }
        if (node instanceof scala.collection.Seq<?> seq) {
            CollectionConverters.asJava(seq).forEach(element -> walk(element, segments, depth, ids));
        } else if (node instanceof scala.collection.Map<?, ?> map) {
            CollectionConverters.asJava(map).values().forEach(value -> walk(value, segments, depth, ids));
        } else if (depth == segments.length) {
            String id = scalar(node);
            if (id != null) {
                ids.accept(id);
            }
        } else if (node instanceof Row row) {
            walk(child(row, segments[depth]), segments, depth + 1, ids);
        }
    }

    private static Object rebuild(Object node, String[] segments, int depth, String entity, Forgotten forgotten) {
        if (node == null) {
            return null;
        }
        if (node instanceof scala.collection.Seq<?> seq) {
            List<Object> elements = new ArrayList<>();
            CollectionConverters.asJava(seq).forEach(e -> elements.add(rebuild(e, segments, depth, entity, forgotten)));
            return CollectionConverters.asScala(elements).toSeq();
        }
        if (node instanceof scala.collection.Map<?, ?> map) {
            Map<Object, Object> values = new LinkedHashMap<>();
            CollectionConverters.asJava(map).forEach((k, v) -> values.put(k, rebuild(v, segments, depth, entity, forgotten)));
            return CollectionConverters.asScala(values);
        }
        if (depth == segments.length) {
            String id = scalar(node);
            return id != null && forgotten.test(new EntityRef(entity, id)) ? null : node;
        }
        if (node instanceof Row row && row.schema() != null) {
            int index = Arrays.asList(row.schema().fieldNames()).indexOf(segments[depth]);
            if (index < 0) {
                return row;
            }
            Object[] values = new Object[row.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            values[index] = rebuild(values[index], segments, depth + 1, entity, forgotten);
            return new GenericRowWithSchema(values, row.schema());
        }
        return node;
    }

    private static Object child(Row row, String name) {
        StructType schema = row.schema();
        if (schema == null) {
            return null;
        }
        int index = Arrays.asList(schema.fieldNames()).indexOf(name);
        return index < 0 ? null : row.get(index);
    }

    private static String scalar(Object value) {
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return null;
    }

    /**
     * The schema with every field, array element and map value nullable: a redacted value is null, also where the
     * event's schema (and so a never-dumped hour's decoded rows) says it cannot be.
     */
    static StructType nullable(StructType schema) {
        return (StructType) nullable((DataType) schema);
    }

    private static DataType nullable(DataType type) {
        if (type instanceof StructType struct) {
            StructField[] fields = new StructField[struct.fields().length];
            for (int i = 0; i < fields.length; i++) {
                StructField field = struct.fields()[i];
                fields[i] = new StructField(field.name(), nullable(field.dataType()), true, field.metadata());
            }
            return new StructType(fields);
        }
        if (type instanceof ArrayType array) {
            return new ArrayType(nullable(array.elementType()), true);
        }
        if (type instanceof MapType map) {
            return new MapType(map.keyType(), nullable(map.valueType()), true);
        }
        return type;
    }

    /** Every text value anywhere in a row (nested records, arrays, map keys and values): what a verification scans. */
    static Set<String> texts(Object node) {
        Set<String> found = new java.util.HashSet<>();
        texts(node, found);
        return found;
    }

    private static void texts(Object node, Set<String> found) {
        if (node == null) {
            return;
        }
        if (node instanceof Row row) {
            for (int i = 0; i < row.length(); i++) {
                texts(row.get(i), found);
            }
        } else if (node instanceof scala.collection.Seq<?> seq) {
            CollectionConverters.asJava(seq).forEach(element -> texts(element, found));
        } else if (node instanceof scala.collection.Map<?, ?> map) {
            CollectionConverters.asJava(map).forEach((k, v) -> {
                texts(k, found);
                texts(v, found);
            });
        } else if (node instanceof CharSequence || node instanceof Number) {
            found.add(node.toString());
        }
    }
}
